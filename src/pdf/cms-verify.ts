/**
 * Reads and checks the CMS SignedData of a PDF signature (RFC 5652 §5.6):
 * detached content, the messageDigest attribute against the digest of the
 * signed byte ranges, signing-certificate-v2 (RFC 5035) against the
 * embedded certificate, and the ECDSA P-256/SHA-256 signature over the
 * DER SET OF signed attributes. Portable: @noble/curves and DER by hand.
 */
import { p256 } from "@noble/curves/nist.js";
import { equalBytes } from "../core/bytes.js";
import { sha256 } from "../crypto/sha256.js";
import {
  DerError,
  type DerNode,
  decodeOid,
  derChildren,
  derContent,
  derEncoding,
  expectTag,
  parseDer,
  TAG,
} from "./der.js";
import { OID, type ParsedCertificate, parseCertificate } from "./x509.js";

export interface ParsedCms {
  /** Length of the DER ContentInfo (the rest of /Contents is zero padding). */
  length: number;
  certificates: Uint8Array[];
  detached: boolean;
  digestAlgorithm: string;
  signatureAlgorithm: string;
  issuerDer: Uint8Array;
  serialDer: Uint8Array;
  /** The signed attributes re-tagged as SET OF (0x31): the bytes the signature covers. */
  signedAttributesDer: Uint8Array;
  attributes: Map<string, DerNode[]>;
  signature: Uint8Array;
}

/** Parses the ContentInfo at the start of `contents`; throws DerError when malformed. */
export function parseCms(contents: Uint8Array): ParsedCms {
  const ci = expectTag(parseDer(contents), TAG.SEQUENCE, "ContentInfo");
  const [type, wrapped] = derChildren(ci);
  if (!type || decodeOid(type) !== OID.signedData) throw new DerError("not a CMS SignedData");
  const [sd] = derChildren(expectTag(wrapped, 0xa0, "content [0]"));
  const fields = derChildren(expectTag(sd, TAG.SEQUENCE, "SignedData"));
  const encap = derChildren(expectTag(fields[2], TAG.SEQUENCE, "encapContentInfo"));
  let i = 3;
  const certificates: Uint8Array[] = [];
  if (fields[i]?.tag === 0xa0) {
    for (const c of derChildren(fields[i] as DerNode))
      if (c.tag === TAG.SEQUENCE) certificates.push(derEncoding(c));
    i++;
  }
  if (fields[i]?.tag === 0xa1) i++; // crls
  const infos = derChildren(expectTag(fields[i], TAG.SET, "signerInfos"));
  if (infos.length !== 1) throw new DerError(`expected one SignerInfo, found ${infos.length}`);
  const si = derChildren(expectTag(infos[0], TAG.SEQUENCE, "SignerInfo"));
  const sid = derChildren(expectTag(si[1], TAG.SEQUENCE, "IssuerAndSerialNumber"));
  const digestAlg = derChildren(expectTag(si[2], TAG.SEQUENCE, "digestAlgorithm"));
  const attrsNode = expectTag(si[3], 0xa0, "signedAttrs");
  const sigAlg = derChildren(expectTag(si[4], TAG.SEQUENCE, "signatureAlgorithm"));
  const signature = derContent(expectTag(si[5], TAG.OCTET_STRING, "signature"));
  const attributes = new Map<string, DerNode[]>();
  for (const a of derChildren(attrsNode)) {
    const [oid, values] = derChildren(expectTag(a, TAG.SEQUENCE, "Attribute"));
    if (!oid) throw new DerError("attribute without type");
    const key = decodeOid(oid);
    if (attributes.has(key)) throw new DerError(`attribute ${key} appears twice`);
    attributes.set(key, derChildren(expectTag(values, TAG.SET, "attrValues")));
  }
  const signedAttributesDer = Uint8Array.from(derEncoding(attrsNode));
  signedAttributesDer[0] = TAG.SET;
  const [issuer, serial] = sid;
  if (!issuer || !serial || !digestAlg[0] || !sigAlg[0]) throw new DerError("incomplete SignerInfo");
  return {
    length: ci.end,
    certificates,
    detached: encap.length === 1,
    digestAlgorithm: decodeOid(digestAlg[0]),
    signatureAlgorithm: decodeOid(sigAlg[0]),
    issuerDer: derEncoding(issuer),
    serialDer: derEncoding(serial),
    signedAttributesDer,
    attributes,
    signature,
  };
}

export interface CmsCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface CmsVerification {
  checks: CmsCheck[];
  certificate?: ParsedCertificate;
}

function single(cms: ParsedCms, oid: string): DerNode | undefined {
  const v = cms.attributes.get(oid);
  return v && v.length === 1 ? v[0] : undefined;
}

/** Checks `cms` against the SHA-256 digest of the signed byte ranges. Never throws on bad input. */
export function verifyCms(cms: ParsedCms, contentDigest: Uint8Array): CmsVerification {
  const checks: CmsCheck[] = [];
  const add = (name: string, ok: boolean, detail: string) => checks.push({ name, ok, detail });
  let certificate: ParsedCertificate | undefined;
  try {
    certificate = cms.certificates
      .map((c) => {
        try {
          return parseCertificate(c);
        } catch {
          return undefined;
        }
      })
      .find((c) => c && equalBytes(c.issuerDer, cms.issuerDer) && equalBytes(c.serialDer, cms.serialDer));
  } catch {
    certificate = undefined;
  }
  add(
    "cms-structure",
    cms.detached && cms.digestAlgorithm === OID.sha256 && cms.signatureAlgorithm === OID.ecdsaWithSha256,
    cms.detached
      ? `detached SignedData, digest ${cms.digestAlgorithm}, signature ${cms.signatureAlgorithm}`
      : "the SignedData encapsulates content; a PDF signature must be detached",
  );
  add(
    "signer-certificate",
    certificate !== undefined,
    certificate
      ? `signed by ${certificate.subject}`
      : "the CMS does not carry the signer's P-256 certificate",
  );
  const ct = single(cms, OID.contentType);
  add(
    "content-type",
    !!ct && ct.tag === TAG.OID && decodeOid(ct) === OID.data,
    "contentType attribute is id-data",
  );
  const md = single(cms, OID.messageDigest);
  const mdOk = !!md && md.tag === TAG.OCTET_STRING && equalBytes(derContent(md), contentDigest);
  add(
    "message-digest",
    mdOk,
    mdOk
      ? "the messageDigest attribute equals the SHA-256 of the signed byte ranges"
      : "the signed bytes were changed: their SHA-256 differs from the messageDigest attribute",
  );
  const scv2 = single(cms, OID.signingCertificateV2);
  let scOk = false;
  try {
    if (scv2 && certificate) {
      const [certs] = derChildren(expectTag(scv2, TAG.SEQUENCE, "SigningCertificateV2"));
      const [first] = derChildren(expectTag(certs, TAG.SEQUENCE, "certs"));
      const idFields = derChildren(expectTag(first, TAG.SEQUENCE, "ESSCertIDv2"));
      const hashNode = idFields[0]?.tag === TAG.OCTET_STRING ? idFields[0] : idFields[1];
      const algIsSha256 =
        idFields[0]?.tag === TAG.OCTET_STRING ||
        decodeOid(derChildren(idFields[0] as DerNode)[0] as DerNode) === OID.sha256;
      scOk = !!hashNode && algIsSha256 && equalBytes(derContent(hashNode), sha256(certificate.der));
    }
  } catch {
    scOk = false;
  }
  add(
    "signing-certificate-v2",
    scOk,
    scOk
      ? "signing-certificate-v2 binds the signature to the embedded certificate"
      : "signing-certificate-v2 is missing or names another certificate",
  );
  add(
    "no-signing-time",
    !cms.attributes.has(OID.signingTime),
    "PAdES baseline: no signingTime in the signed attributes",
  );
  let sigOk = false;
  if (certificate) {
    try {
      sigOk = p256.verify(cms.signature, cms.signedAttributesDer, certificate.publicKey, {
        prehash: true,
        format: "der",
        lowS: false,
      });
    } catch {
      sigOk = false;
    }
  }
  add(
    "cms-signature",
    sigOk,
    sigOk
      ? "the ECDSA P-256 signature over the signed attributes verifies"
      : "the ECDSA signature over the signed attributes does not verify",
  );
  return certificate ? { checks, certificate } : { checks };
}
