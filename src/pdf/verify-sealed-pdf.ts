/**
 * `verifySealedPdf`: checks a sealed agreement offline and says what it
 * checked, in plain words. It finds the last signature dictionary, requires
 * its /ByteRange to cover the whole file but the /Contents hole
 * (ISO 32000-1 §12.8.1), verifies the CMS (RFC 5652 §5.6; messageDigest,
 * signing-certificate-v2, ECDSA P-256), compares the signer with the
 * expected certificate, recovers the original prefix from the seal record
 * and returns its length and SHA-256 for the caller to compare with the
 * registered agreement, plus the embedded proof JSON. Malformed input gives
 * `valid: false` with reasons, never an exception. Portable code only.
 */
import { equalBytes, toHex } from "../core/bytes.js";
import { AppError, ValidationError } from "../core/errors.js";
import { createSha256, sha256 } from "../crypto/sha256.js";
import { type CmsCheck, parseCms, verifyCms } from "./cms-verify.js";
import { findProof } from "./embed-proof.js";
import { type LoadedPdf, loadPdf } from "./load-pdf.js";
import type { PdfLimits } from "./pdf-limits.js";
import { fromPem } from "./pem.js";
import { readSealRecord } from "./seal-record.js";
import { findStartXref } from "./xref-chain.js";

export type SealedPdfCheck = CmsCheck;

export interface SealedPdfVerification {
  valid: boolean;
  checks: SealedPdfCheck[];
  /** Length of the original (registered) document: the bytes before the first Notarium update. */
  originalLength?: number;
  /** SHA-256 (hex) of those bytes, to compare with the registered agreement. */
  originalSha256?: string;
  proofJson?: Uint8Array;
  signer?: { subject: string; certificateSha256: string };
}

export interface VerifySealedPdfOptions {
  /** The service's PDF certificate (PEM); when given, the signer must be exactly this certificate. */
  certificatePem?: string;
  limits?: Partial<PdfLimits>;
}

interface SignatureSpot {
  byteRange: number[];
  subFilter: string | undefined;
}

const latin1 = new TextDecoder("latin1");

/**
 * The last /ByteRange in file order: the signature dictionary of the newest
 * revision. Found by scanning bytes rather than through pdf-lib, so a file
 * whose objects no longer parse still gets its signature checked.
 */
function lastSignature(bytes: Uint8Array): SignatureSpot | undefined {
  const tail = latin1.decode(bytes.subarray(Math.max(0, bytes.length - 65536)));
  const text = tail.includes("/ByteRange") ? tail : latin1.decode(bytes);
  const at = text.lastIndexOf("/ByteRange");
  if (at < 0) return undefined;
  const m = /^\/ByteRange\s*\[\s*(\d{1,15})\s+(\d{1,15})\s+(\d{1,15})\s+(\d{1,15})\s*\]/.exec(
    text.slice(at, at + 120),
  );
  if (!m) return undefined;
  const objStart = text.lastIndexOf(" obj", at);
  const dict = text.slice(Math.max(0, objStart), at + 200);
  const sf = /\/SubFilter\s*\/([^\s/<>[\]()]+)/.exec(dict);
  return { byteRange: m.slice(1).map(Number), subFilter: sf?.[1] };
}

function hexToBytes(b: Uint8Array, from: number, to: number): Uint8Array | undefined {
  const digits: number[] = [];
  for (let i = from; i < to; i++) {
    const c = b[i] as number;
    const v = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
    if (v >= 0) digits.push(v);
    else if (c !== 32 && c !== 10 && c !== 13 && c !== 9 && c !== 12) return undefined;
  }
  if (digits.length % 2) digits.push(0);
  const out = new Uint8Array(digits.length / 2);
  for (let i = 0; i < out.length; i++)
    out[i] = ((digits[2 * i] as number) << 4) | (digits[2 * i + 1] as number);
  return out;
}

export async function verifySealedPdf(
  bytes: Uint8Array,
  o: VerifySealedPdfOptions = {},
): Promise<SealedPdfVerification> {
  const checks: SealedPdfCheck[] = [];
  const add = (name: string, ok: boolean, detail: string) => checks.push({ name, ok, detail });
  const result: SealedPdfVerification = { valid: false, checks };
  if (!(bytes instanceof Uint8Array))
    throw new ValidationError("INVALID_ARGUMENT", "pdf: expected Uint8Array");
  let pdf: LoadedPdf | undefined;
  try {
    pdf = await loadPdf(bytes, o.limits);
    add("pdf-structure", true, `a readable PDF ${pdf.version} with ${pdf.pages.length} page(s)`);
  } catch (e) {
    add(
      "pdf-structure",
      false,
      e instanceof AppError ? `${e.code}: ${e.message}` : "the file cannot be read as a PDF",
    );
  }

  const sig = lastSignature(bytes);
  if (!sig) {
    add("signature-present", false, "the PDF has no signature: it was not sealed, or the seal was removed");
  } else {
    const [s0, a, b, len] = sig.byteRange as [number, number, number, number];
    const whole = s0 === 0 && a < b && b + len === bytes.length && bytes[a] === 0x3c && bytes[b - 1] === 0x3e;
    add(
      "byte-range",
      whole,
      whole
        ? "the signature covers the whole file except its own /Contents"
        : b + len < bytes.length
          ? `${bytes.length - b - len} bytes were added after the signature`
          : "the /ByteRange does not describe this file",
    );
    add(
      "sub-filter",
      sig.subFilter === "ETSI.CAdES.detached",
      `signature type ${sig.subFilter ?? "(none)"}; PAdES requires ETSI.CAdES.detached`,
    );
    const contents = whole ? hexToBytes(bytes, a + 1, b - 1) : undefined;
    if (contents) {
      const digest = createSha256().update(bytes.subarray(0, a)).update(bytes.subarray(b)).digest();
      try {
        const cms = parseCms(contents);
        const v = verifyCms(cms, digest);
        checks.push(...v.checks);
        if (v.certificate) {
          const certSha = sha256(v.certificate.der);
          result.signer = { subject: v.certificate.subject, certificateSha256: toHex(certSha) };
          if (o.certificatePem !== undefined) {
            let expected: Uint8Array | undefined;
            try {
              expected = fromPem("CERTIFICATE", o.certificatePem);
            } catch {
              expected = undefined;
            }
            const same = !!expected && equalBytes(expected, v.certificate.der);
            add(
              "expected-certificate",
              same,
              same
                ? "signed with the expected service certificate"
                : `signed by ${v.certificate.subject}, not the expected certificate`,
            );
          }
        }
      } catch (e) {
        add(
          "cms-structure",
          false,
          `the signature value is not a readable CMS SignedData (${(e as Error).message})`,
        );
      }
    } else if (whole) {
      add("cms-structure", false, "the /Contents of the signature is not a hex string");
    }
  }

  if (!pdf) return result;
  let record: ReturnType<typeof readSealRecord>;
  try {
    record = readSealRecord(pdf.context, pdf.catalog);
  } catch {
    record = undefined; // a seal record of the wrong shape counts as none
  }
  if (!record) {
    add("seal-record", false, "no Notarium seal record: the original document cannot be located");
  } else {
    const n = record.originalLength;
    const inside = n < (sig?.byteRange[1] ?? bytes.length);
    let revision = false;
    try {
      revision = inside && findStartXref(bytes.subarray(0, n)) > 0;
    } catch {
      revision = false;
    }
    const prefix = bytes.subarray(0, Math.min(n, bytes.length));
    const digest = sha256(prefix);
    const same = inside && equalBytes(digest, record.originalSha256);
    add(
      "original-prefix",
      same && revision,
      same && revision
        ? `the first ${n} bytes are the original document, unchanged (SHA-256 ${toHex(digest)})`
        : !revision
          ? `byte ${n} is not the end of a complete PDF revision`
          : "the original document's bytes were changed after sealing",
    );
    result.originalLength = n;
    result.originalSha256 = toHex(digest);
  }

  try {
    const proof = findProof(pdf);
    add(
      "embedded-proof",
      !!proof,
      proof
        ? `notarium-proof.json (${proof.length} bytes) is embedded`
        : "no notarium-proof.json is embedded",
    );
    if (proof) result.proofJson = proof;
  } catch (e) {
    add("embedded-proof", false, `the embedded proof cannot be read (${(e as Error).message})`);
  }
  result.valid = checks.length > 0 && checks.every((c) => c.ok);
  return result;
}
