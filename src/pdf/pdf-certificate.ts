/**
 * The service's PDF signing certificate: a self-signed ECDSA P-256 X.509 v3
 * certificate (RFC 5280) with KeyUsage digitalSignature + nonRepudiation,
 * which every PDF verifier in use accepts (research: Ed25519 in CMS is not).
 * Clock and randomness are injected, so a test can make the same certificate twice.
 */
import { createPrivateKey } from "node:crypto";
import { p256 } from "@noble/curves/nist.js";
import { equalBytes, fromBase64, utf8 } from "../core/bytes.js";
import type { Clock, RandomBytes } from "../core/clock.js";
import { ValidationError } from "../core/errors.js";
import { sha256 } from "../crypto/sha256.js";
import {
  der,
  derBitString,
  derExplicit,
  derOctetString,
  derOid,
  derSequence,
  derSetOf,
  derSmallInteger,
  derTime,
  derUnsignedInteger,
  derUtf8String,
  TAG,
} from "./der.js";
import { createP256Signer, type PdfSigner } from "./pdf-signer.js";
import { fromPem, toPem } from "./pem.js";
import { OID, parseCertificate } from "./x509.js";

export interface PdfCertificateOptions {
  /** Subject CN: the centre or log name. */
  commonName: string;
  organization?: string;
  /** ISO 3166 country code, e.g. "CN". */
  country?: string;
  validityYears?: number;
  clock: Clock;
  randomBytes: RandomBytes;
}

export interface PdfCertificate {
  certificatePem: string;
  /** PKCS#8 (RFC 5208) "PRIVATE KEY" PEM; keep it secret (mode 0600). */
  privateKeyPem: string;
  certificateDer: Uint8Array;
}

const BOOLEAN_TRUE = Uint8Array.of(0x01, 0x01, 0xff);

function extension(oid: string, critical: boolean, value: Uint8Array): Uint8Array {
  return critical
    ? derSequence(derOid(oid), BOOLEAN_TRUE, derOctetString(value))
    : derSequence(derOid(oid), derOctetString(value));
}

function buildName(o: PdfCertificateOptions): Uint8Array {
  const rdn = (oid: string, value: Uint8Array) => derSetOf(derSequence(derOid(oid), value));
  const rdns: Uint8Array[] = [];
  // PrintableString for the country code (RFC 5280 Appendix A), UTF8String otherwise (§4.1.2.6).
  if (o.country) rdns.push(rdn(OID.country, der(TAG.PRINTABLE_STRING, utf8(o.country))));
  if (o.organization) rdns.push(rdn(OID.organization, derUtf8String(o.organization)));
  rdns.push(rdn(OID.commonName, derUtf8String(o.commonName)));
  return derSequence(...rdns);
}

const ECDSA_SHA256 = derSequence(derOid(OID.ecdsaWithSha256));

/** SEC1 §2.3.3 point → SubjectPublicKeyInfo (RFC 5480 §2). */
export function p256SubjectPublicKeyInfo(publicKey: Uint8Array): Uint8Array {
  return derSequence(derSequence(derOid(OID.ecPublicKey), derOid(OID.prime256v1)), derBitString(publicKey));
}

export function createPdfCertificate(o: PdfCertificateOptions): PdfCertificate {
  if (typeof o.commonName !== "string" || o.commonName.trim() === "" || o.commonName.length > 64) {
    throw new ValidationError("INVALID_ARGUMENT", "commonName: 1 to 64 characters (RFC 5280 ub-common-name)");
  }
  if (o.country !== undefined && !/^[A-Z]{2}$/.test(o.country)) {
    throw new ValidationError("INVALID_ARGUMENT", "country: two capital letters (ISO 3166)");
  }
  const years = o.validityYears ?? 10;
  // The scalar comes from injected randomness: 48 bytes reduced mod n (FIPS 186-5 A.2.1).
  const secretKey = p256.utils.randomSecretKey(o.randomBytes(48));
  const publicKey = p256.getPublicKey(secretKey, false);
  const serial = Uint8Array.from(o.randomBytes(16));
  serial[0] = ((serial[0] as number) & 0x7f) | 0x40; // positive, 16 bytes, never zero (RFC 5280 §4.1.2.2)
  const now = o.clock.now();
  const notBefore = new Date(Math.floor(now.getTime() / 1000) * 1000 - 60_000);
  const notAfter = new Date(notBefore);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + years);
  const name = buildName(o);
  const spki = p256SubjectPublicKeyInfo(publicKey);
  const keyId = sha256(publicKey).subarray(0, 20);
  const tbs = derSequence(
    derExplicit(0, derSmallInteger(2)),
    derUnsignedInteger(serial),
    ECDSA_SHA256,
    name,
    derSequence(derTime(notBefore), derTime(notAfter)),
    name,
    spki,
    derExplicit(
      3,
      derSequence(
        extension(OID.basicConstraints, true, derSequence()),
        // digitalSignature (bit 0) and nonRepudiation/contentCommitment (bit 1): 0b11, 6 unused bits.
        extension(OID.keyUsage, true, derBitString(Uint8Array.of(0xc0), 6)),
        extension(OID.subjectKeyIdentifier, false, derOctetString(keyId)),
      ),
    ),
  );
  const signature = p256.sign(tbs, secretKey, {
    prehash: true,
    format: "der",
    lowS: true,
    extraEntropy: false,
  });
  const certificateDer = derSequence(tbs, ECDSA_SHA256, derBitString(signature));
  const privateKeyDer = derSequence(
    derSmallInteger(0),
    derSequence(derOid(OID.ecPublicKey), derOid(OID.prime256v1)),
    // RFC 5915 ECPrivateKey, parameters omitted (they are in the PKCS#8 AlgorithmIdentifier).
    derOctetString(
      derSequence(derSmallInteger(1), derOctetString(secretKey), derExplicit(1, derBitString(publicKey))),
    ),
  );
  return {
    certificatePem: toPem("CERTIFICATE", certificateDer),
    privateKeyPem: toPem("PRIVATE KEY", privateKeyDer),
    certificateDer,
  };
}

function base64UrlToBytes(s: string): Uint8Array {
  const b64 = s.replace(/-/g, "+").replace(/_/g, "/");
  return fromBase64(b64 + "=".repeat((4 - (b64.length % 4)) % 4), "JWK field");
}

/**
 * Turns the PEMs into a `PdfSigner`. The key may be PKCS#8 ("PRIVATE KEY")
 * or SEC1 ("EC PRIVATE KEY"); it must be P-256 and match the certificate.
 */
export function pdfSignerFromPem(certificatePem: string, privateKeyPem: string): PdfSigner {
  const certificateDer = fromPem("CERTIFICATE", certificatePem);
  const cert = parseCertificate(certificateDer);
  let jwk: { crv?: string; d?: string; x?: string; y?: string };
  try {
    jwk = createPrivateKey({ key: privateKeyPem, format: "pem" }).export({ format: "jwk" }) as typeof jwk;
  } catch (cause) {
    throw new ValidationError("MALFORMED_KEY", "the PDF signing key is not a readable PEM private key", {
      cause,
    });
  }
  if (jwk.crv !== "P-256" || !jwk.d) {
    throw new ValidationError(
      "MALFORMED_KEY",
      `the PDF signing key must be ECDSA P-256, got ${jwk.crv ?? "another type"}`,
    );
  }
  const secretKey = base64UrlToBytes(jwk.d);
  if (!equalBytes(p256.getPublicKey(secretKey, false), cert.publicKey)) {
    throw new ValidationError(
      "MALFORMED_KEY",
      "the PDF signing key does not match the certificate's public key",
    );
  }
  return createP256Signer(secretKey, certificateDer);
}
