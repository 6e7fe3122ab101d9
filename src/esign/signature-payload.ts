import { isHexDigest } from "../core/bytes.js";
import { ValidationError } from "../core/errors.js";

/** What a party signs (DESIGN §6): one field per line, each ending in LF. */
export interface SignatureFields {
  /** Case ID. */
  case: string;
  /** Lowercase hex SHA-256 of the registered agreement PDF. */
  document: string;
  role: string;
  /** Signer (party) ID within the case. */
  signer: string;
  /** RFC 3339 UTC time the signer asserts, e.g. 2026-11-26T10:00:00Z. */
  time: string;
}

export const SIGNATURE_CONTEXT = "notarium/agreement-signature/v1";

const TOKEN = /^[A-Za-z0-9_.:-]{1,64}$/;
/** RFC 3339 §5.6 date-time restricted to UTC ("Z"), optional fractional seconds. */
const RFC3339_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?Z$/;

/** Parses an RFC 3339 UTC time strictly (real calendar date, no offsets other than Z). */
export function parseRfc3339Utc(time: string): Date {
  const m = typeof time === "string" ? RFC3339_UTC.exec(time) : null;
  if (!m) throw new ValidationError("INVALID_TIME", "time must be RFC 3339 UTC, like 2026-11-26T10:00:00Z");
  const d = new Date(time);
  const [, y, mo, da, h, mi, s] = m;
  if (
    Number.isNaN(d.getTime()) ||
    d.getUTCFullYear() !== Number(y) ||
    d.getUTCMonth() + 1 !== Number(mo) ||
    d.getUTCDate() !== Number(da) ||
    d.getUTCHours() !== Number(h) ||
    d.getUTCMinutes() !== Number(mi) ||
    d.getUTCSeconds() !== Number(s)
  ) {
    throw new ValidationError("INVALID_TIME", "time is not a real calendar instant");
  }
  return d;
}

/** Checks every field: identifiers are plain tokens, so no field can smuggle a newline. */
export function checkSignatureFields(f: SignatureFields): SignatureFields {
  for (const k of ["case", "role", "signer"] as const) {
    if (typeof f[k] !== "string" || !TOKEN.test(f[k])) {
      throw new ValidationError("INVALID_ARGUMENT", `${k} must be 1-64 characters of A-Z a-z 0-9 _ . : -`);
    }
  }
  if (!isHexDigest(f.document))
    throw new ValidationError("INVALID_DIGEST", "document must be a lowercase hex SHA-256");
  parseRfc3339Utc(f.time);
  return f;
}

/** The exact text a party signs with Ed25519 (DESIGN §6). */
export function formatSignaturePayload(f: SignatureFields): string {
  checkSignatureFields(f);
  return `${SIGNATURE_CONTEXT}\ncase ${f.case}\ndocument ${f.document}\nrole ${f.role}\nsigner ${f.signer}\ntime ${f.time}\n`;
}
