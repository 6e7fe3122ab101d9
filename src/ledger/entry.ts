import { fromUtf8, isHexDigest, utf8 } from "../core/bytes.js";
import { canonicalJson, canonicalJsonAsWritten } from "../core/canonical-json.js";
import { ValidationError } from "../core/errors.js";

/** RFC 6962 leaves are at most 64 KiB (the tlog-tiles entry-bundle uint16 length prefix). */
export const MAX_LEAF_BYTES = 65_535;

export const GENESIS_PREV = "0".repeat(64);

export const ENTRY_TYPES = [
  "evidence.deposited",
  "agreement.registered",
  "agreement.signed",
  "agreement.sealed",
  "identity.attested",
  "key.rotated",
] as const;

export type EntryType = (typeof ENTRY_TYPES)[number];

export type JsonObject = { [k: string]: JsonValue };
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;

/** A ledger entry (DESIGN §3); its leaf data is the JCS encoding of this object. */
export interface Entry {
  v: 1;
  index: number;
  /** Hex leaf hash of entry index-1, or 64 zeros for entry 0: the hash chain. */
  prev: string;
  /** ISO 8601 UTC with milliseconds. */
  time: string;
  type: EntryType;
  body: JsonObject;
}

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function isEntryType(t: unknown): t is EntryType {
  return typeof t === "string" && (ENTRY_TYPES as readonly string[]).includes(t);
}

/** Leaf data for an entry: RFC 8785 canonical JSON, UTF-8. Refuses leaves over 64 KiB. */
export function encodeEntry(entry: Entry): Uint8Array {
  const text = entryText(entry, canonicalJson(entry.body));
  checkLeafSize(utf8Length(text));
  return utf8(text);
}

/**
 * The canonical text of an entry whose body is already canonical JSON (the
 * ledger makes each body canonical once and builds its text with
 * formatEntryText, checking the block's time once). The top-level keys are fixed and already
 * in JCS order (body < index < prev < time < type < v), and index, prev, time
 * and type are validated values that need no escaping, so the template is
 * exactly JCS; test/ledger/entry.test.ts checks it against the generic canonicaliser.
 */
export function entryText(entry: Entry, bodyJson: string): string {
  if (!isEntryType(entry.type))
    throw new ValidationError("INVALID_ENTRY", `unknown entry type ${String(entry.type)}`);
  if (
    !isHexDigest(entry.prev) ||
    !ISO_MS.test(entry.time) ||
    !Number.isSafeInteger(entry.index) ||
    entry.index < 0
  ) {
    throw new ValidationError("INVALID_ENTRY", "entry index, prev or time is malformed");
  }
  return formatEntryText(entry.index, entry.prev, entry.time, entry.type, bodyJson);
}

/**
 * entryText without its checks, for the ledger's block loop, which checks the
 * block's time once and makes every index and prev itself.
 */
export function formatEntryText(
  index: number,
  prev: string,
  time: string,
  type: EntryType,
  bodyJson: string,
): string {
  return `{"body":${bodyJson},"index":${index},"prev":"${prev}","time":"${time}","type":"${type}","v":1}`;
}

/** Throws LEAF_TOO_LARGE for a leaf of `n` bytes over the limit. */
export function checkLeafSize(n: number): void {
  if (n > MAX_LEAF_BYTES) {
    throw new ValidationError(
      "LEAF_TOO_LARGE",
      `entry is ${n} bytes; a leaf holds at most ${MAX_LEAF_BYTES}: record a digest of large content, not the content`,
    );
  }
}

/** UTF-8 length of a string without encoding it (lone surrogates count as U+FFFD, as TextEncoder writes them). */
export function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 2; // a surrogate pair: 2 UTF-16 units, 4 bytes
      i++;
    } else n += 2;
  }
  return n;
}

/**
 * Strictly parses leaf data back into an entry: valid UTF-8, JCS-canonical
 * (re-encoding gives the same bytes), known shape.
 */
export function parseEntry(data: Uint8Array): Entry {
  if (data.length > MAX_LEAF_BYTES)
    throw new ValidationError("LEAF_TOO_LARGE", `leaf is ${data.length} bytes`);
  let o: unknown;
  const text = fromUtf8(data, "entry");
  try {
    o = JSON.parse(text);
  } catch (cause) {
    throw new ValidationError("INVALID_ENTRY", "entry is not JSON", { cause });
  }
  const e = o as Partial<Entry>;
  if (typeof o !== "object" || o === null || Array.isArray(o))
    throw new ValidationError("INVALID_ENTRY", "entry is not an object");
  const keys = Object.keys(o).sort().join(",");
  if (keys !== "body,index,prev,time,type,v")
    throw new ValidationError("INVALID_ENTRY", `entry has fields {${keys}}`);
  if (e.v !== 1) throw new ValidationError("INVALID_ENTRY", "entry version must be 1");
  if (!Number.isSafeInteger(e.index) || (e.index as number) < 0)
    throw new ValidationError("INVALID_ENTRY", "bad entry index");
  if (!isHexDigest(e.prev))
    throw new ValidationError("INVALID_ENTRY", "prev must be 64 lowercase hex characters");
  if (typeof e.time !== "string" || !ISO_MS.test(e.time) || Number.isNaN(Date.parse(e.time))) {
    throw new ValidationError("INVALID_ENTRY", "time must be ISO 8601 UTC with milliseconds");
  }
  if (!isEntryType(e.type))
    throw new ValidationError("INVALID_ENTRY", `unknown entry type ${String(e.type)}`);
  if (typeof e.body !== "object" || e.body === null || Array.isArray(e.body)) {
    throw new ValidationError("INVALID_ENTRY", "body must be an object");
  }
  // As written: entries recorded before the I-JSON check stay readable (the log is append-only).
  const canonical = canonicalJsonAsWritten(o);
  if (canonical !== text)
    throw new ValidationError("INVALID_ENTRY", "entry is not in RFC 8785 canonical form");
  return o as Entry;
}

/** The SHA-256 digest an entry commits to (evidence, agreement), for lookups. */
export function entryDigest(entry: Pick<Entry, "body">): string | undefined {
  const d = entry.body.sha256 ?? entry.body.document;
  return isHexDigest(d) ? d : undefined;
}

const CASE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The case an entry belongs to, as a lookup reference (`case:<id>`), if any. */
export function entryRef(entry: Pick<Entry, "body">): string | undefined {
  const c = entry.body.case;
  return typeof c === "string" && CASE_ID.test(c) ? `case:${c}` : undefined;
}
