/**
 * CMS SignedData (RFC 5652 §5) for a PAdES baseline B-B signature
 * (ETSI EN 319 142-1 §6.3, CAdES baseline per ETSI EN 319 122-1 §6.3):
 * detached id-data content, one SignerInfo identified by issuer and serial,
 * signed attributes contentType, messageDigest and signing-certificate-v2
 * (RFC 5035) and no signingTime (PAdES puts the time in the /M entry of the
 * signature dictionary instead), ECDSA with SHA-256 (RFC 5753, RFC 5758).
 */
import { AppError } from "../core/errors.js";
import { sha256 } from "../crypto/sha256.js";
import {
  der,
  derExplicit,
  derOctetString,
  derOid,
  derSequence,
  derSetOf,
  derSmallInteger,
  sortDer,
  TAG,
} from "./der.js";
import type { PdfSigner } from "./pdf-signer.js";
import { OID, parseCertificate } from "./x509.js";

const SHA256_ALG = derSequence(derOid(OID.sha256));
const ECDSA_SHA256_ALG = derSequence(derOid(OID.ecdsaWithSha256));

function attribute(oid: string, value: Uint8Array): Uint8Array {
  return derSequence(derOid(oid), derSetOf(value));
}

/**
 * The DER encoding of the signed attributes as a SET OF (tag 0x31), which is
 * what the signature covers (RFC 5652 §5.4); in the SignerInfo the same
 * content appears under [0] IMPLICIT. Sorted, since OpenSSL re-encodes before it verifies.
 */
export function buildSignedAttributes(messageDigest: Uint8Array, certificateDer: Uint8Array): Uint8Array {
  const cert = parseCertificate(certificateDer);
  // ESSCertIDv2 with the default hash (SHA-256) omitted, and IssuerSerial with
  // the issuer as a GeneralName directoryName [4] (RFC 5035 §3, RFC 5280 §4.2.1.6).
  const essCertIdV2 = derSequence(
    derOctetString(sha256(certificateDer)),
    derSequence(derSequence(derExplicit(4, cert.issuerDer)), cert.serialDer),
  );
  const attrs = [
    attribute(OID.contentType, derOid(OID.data)),
    attribute(OID.messageDigest, derOctetString(messageDigest)),
    attribute(OID.signingCertificateV2, derSequence(derSequence(essCertIdV2))),
  ];
  return der(TAG.SET, ...sortDer(attrs));
}

/** Builds the DER ContentInfo for /Contents, signing `signedAttributes` with `signer`. */
export async function buildCmsSignature(messageDigest: Uint8Array, signer: PdfSigner): Promise<Uint8Array> {
  const cert = parseCertificate(signer.certificateDer);
  const signedAttrs = buildSignedAttributes(messageDigest, signer.certificateDer);
  let signature: Uint8Array;
  try {
    signature = await signer.sign(signedAttrs);
  } catch (cause) {
    throw new AppError("INTERNAL", `the PDF signer failed: ${(cause as Error)?.message ?? String(cause)}`, {
      cause,
    });
  }
  if (!(signature instanceof Uint8Array) || signature[0] !== 0x30) {
    throw new AppError("INTERNAL", "the PDF signer must return a DER ECDSA-Sig-Value");
  }
  // [0] IMPLICIT SET OF Attribute: same content, context tag 0xa0.
  const implicitAttrs = Uint8Array.from(signedAttrs);
  implicitAttrs[0] = 0xa0;
  const signerInfo = derSequence(
    derSmallInteger(1),
    derSequence(cert.issuerDer, cert.serialDer),
    SHA256_ALG,
    implicitAttrs,
    ECDSA_SHA256_ALG,
    derOctetString(signature),
  );
  const signedData = derSequence(
    derSmallInteger(1),
    derSetOf(SHA256_ALG),
    derSequence(derOid(OID.data)),
    der(0xa0, signer.certificateDer), // certificates [0] IMPLICIT CertificateSet
    derSetOf(signerInfo),
  );
  return derSequence(derOid(OID.signedData), derExplicit(0, signedData));
}
