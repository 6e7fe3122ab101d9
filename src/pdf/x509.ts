/**
 * Just enough X.509 (RFC 5280) for the PDF signing certificate: read the
 * fields CMS needs (issuer, serial, public key) and the subject for people.
 * Portable (no node:crypto), so it also runs in the browser verifier.
 */
import { fromUtf8 } from "../core/bytes.js";
import { ValidationError } from "../core/errors.js";
import {
  DerError,
  type DerNode,
  decodeOid,
  derChildren,
  derContent,
  derEncoding,
  expectTag,
  parseDerExact,
  TAG,
} from "./der.js";

export const OID = {
  ecPublicKey: "1.2.840.10045.2.1",
  prime256v1: "1.2.840.10045.3.1.7",
  ecdsaWithSha256: "1.2.840.10045.4.3.2",
  sha256: "2.16.840.1.101.3.4.2.1",
  commonName: "2.5.4.3",
  organization: "2.5.4.10",
  country: "2.5.4.6",
  basicConstraints: "2.5.29.19",
  keyUsage: "2.5.29.15",
  subjectKeyIdentifier: "2.5.29.14",
  data: "1.2.840.113549.1.7.1",
  signedData: "1.2.840.113549.1.7.2",
  contentType: "1.2.840.113549.1.9.3",
  messageDigest: "1.2.840.113549.1.9.4",
  signingTime: "1.2.840.113549.1.9.5",
  signingCertificateV2: "1.2.840.113549.1.9.16.2.47",
} as const;

const NAME_LABELS: Record<string, string> = {
  [OID.commonName]: "CN",
  [OID.organization]: "O",
  [OID.country]: "C",
  "2.5.4.11": "OU",
  "2.5.4.7": "L",
  "2.5.4.8": "ST",
};

export interface ParsedCertificate {
  der: Uint8Array;
  /** DER of the issuer Name (for IssuerAndSerialNumber, RFC 5652 §10.2.4). */
  issuerDer: Uint8Array;
  /** DER of the serialNumber INTEGER. */
  serialDer: Uint8Array;
  subjectDer: Uint8Array;
  /** RFC 4514-style rendering, e.g. "CN=示例人民调解委员会". */
  subject: string;
  /** Uncompressed SEC1 point (65 bytes) of the P-256 public key. */
  publicKey: Uint8Array;
  notBefore: Date;
  notAfter: Date;
}

/** Renders a Name as "CN=…, O=…" (most specific first, as RFC 4514 orders it). */
export function formatName(nameDer: Uint8Array): string {
  const name = parseDerExact(nameDer, "Name");
  const parts: string[] = [];
  for (const rdn of derChildren(expectTag(name, TAG.SEQUENCE, "Name"))) {
    for (const atv of derChildren(expectTag(rdn, TAG.SET, "RDN"))) {
      const [type, value] = derChildren(expectTag(atv, TAG.SEQUENCE, "AttributeTypeAndValue"));
      if (!type || !value) throw new DerError("AttributeTypeAndValue needs type and value");
      const oid = decodeOid(type);
      parts.push(`${NAME_LABELS[oid] ?? oid}=${fromUtf8(derContent(value), "Name value")}`);
    }
  }
  return parts.reverse().join(", ");
}

function parseTime(n: DerNode): Date {
  const s = fromUtf8(derContent(n), "time");
  const m =
    n.tag === TAG.UTC_TIME
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s)
      : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) throw new DerError("bad certificate time");
  let year = Number(m[1]);
  if (n.tag === TAG.UTC_TIME) year += year < 50 ? 2000 : 1900;
  return new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
}

/** Parses a DER certificate with a P-256 key; throws ValidationError("MALFORMED_KEY") otherwise. */
export function parseCertificate(der: Uint8Array): ParsedCertificate {
  try {
    const cert = expectTag(parseDerExact(der, "Certificate"), TAG.SEQUENCE, "Certificate");
    const [tbs] = derChildren(cert);
    const fields = derChildren(expectTag(tbs, TAG.SEQUENCE, "TBSCertificate"));
    let i = fields[0]?.tag === 0xa0 ? 1 : 0; // [0] EXPLICIT version
    const serial = expectTag(fields[i++], TAG.INTEGER, "serialNumber");
    i++; // signature AlgorithmIdentifier
    const issuer = expectTag(fields[i++], TAG.SEQUENCE, "issuer");
    const validity = derChildren(expectTag(fields[i++], TAG.SEQUENCE, "validity"));
    const subject = expectTag(fields[i++], TAG.SEQUENCE, "subject");
    const spki = derChildren(expectTag(fields[i++], TAG.SEQUENCE, "subjectPublicKeyInfo"));
    const alg = derChildren(expectTag(spki[0], TAG.SEQUENCE, "algorithm"));
    const [algOid, curveOid] = alg;
    if (
      !algOid ||
      !curveOid ||
      decodeOid(algOid) !== OID.ecPublicKey ||
      decodeOid(curveOid) !== OID.prime256v1
    ) {
      throw new DerError("the certificate key is not ECDSA P-256");
    }
    const bits = derContent(expectTag(spki[1], TAG.BIT_STRING, "subjectPublicKey"));
    const publicKey = bits.subarray(1);
    if (bits[0] !== 0 || publicKey.length !== 65 || publicKey[0] !== 4) {
      throw new DerError("expected an uncompressed P-256 point");
    }
    const [nb, na] = validity;
    if (!nb || !na) throw new DerError("validity needs two times");
    return {
      der,
      issuerDer: derEncoding(issuer),
      serialDer: derEncoding(serial),
      subjectDer: derEncoding(subject),
      subject: formatName(derEncoding(subject)),
      publicKey: Uint8Array.from(publicKey),
      notBefore: parseTime(nb),
      notAfter: parseTime(na),
    };
  } catch (cause) {
    if (cause instanceof ValidationError) throw cause;
    throw new ValidationError(
      "MALFORMED_KEY",
      `not a usable P-256 X.509 certificate: ${(cause as Error).message}`,
      {
        cause,
      },
    );
  }
}
