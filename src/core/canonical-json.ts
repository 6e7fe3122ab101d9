import { ValidationError } from "./errors.js";

/**
 * RFC 8785 (JCS) canonical JSON. Only plain JSON values are accepted: numbers
 * must be finite, and `undefined`, functions and symbols are refused rather
 * than silently dropped.
 *
 * One walk both checks and writes, as the `canonicalize` package writes: keys
 * sorted by UTF-16 code units, strings and numbers as JSON.stringify gives them
 * (ECMAScript's serialisation, which RFC 8785 adopts). A ledger entry's body is
 * made canonical on every append; checking first and then serialising with the
 * package walked each value twice and named every key's path on the way. A
 * value that is refused is walked again, slowly, to say where.
 */
export function canonicalJson(value: unknown): string {
  return canonicalize(value, true);
}

/**
 * canonicalJson without the I-JSON check, for reading entries written before
 * it existed: the log is append-only, so what it holds must stay readable.
 */
export function canonicalJsonAsWritten(value: unknown): string {
  return canonicalize(value, false);
}

function canonicalize(value: unknown, iJson: boolean): string {
  try {
    return write(value, iJson);
  } catch (e) {
    if (e !== NOT_JSON) throw e;
    assertJsonValue(value, "$", iJson);
    throw new ValidationError("INVALID_ARGUMENT", "value is not representable as JSON");
  }
}

const NOT_JSON = Symbol("not JSON");

/**
 * What I-JSON (RFC 7493 §2.1), which RFC 8785 requires of its input, keeps out
 * of strings: surrogates that are not part of a pair, and noncharacters
 * (U+FDD0..U+FDEF and the last two code points of every plane). Other JCS
 * implementations refuse them or write them differently, so an entry holding
 * one could not be recomputed by independent code. With the u flag a string
 * is read by code points, so a surrogate matches only when it is not part of
 * a pair (and no lookbehind is needed, which Safari before 16.4 cannot parse).
 */
const NOT_I_JSON = /[\p{Cs}\p{Noncharacter_Code_Point}]/u;

/** True when `s` may appear in canonical JSON (no lone surrogate, no noncharacter). */
function isIJsonString(s: string): boolean {
  return !NOT_I_JSON.test(s);
}

function string(s: string, iJson: boolean): string {
  if (iJson && NOT_I_JSON.test(s)) throw NOT_JSON;
  return JSON.stringify(s);
}

function write(v: unknown, iJson: boolean): string {
  if (typeof v === "string") return string(v, iJson);
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw NOT_JSON;
    return JSON.stringify(v);
  }
  if (v === null) return "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (isPlainArray(v)) {
    let out = "[";
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out += ",";
      out += write(v[i], iJson);
    }
    return `${out}]`;
  }
  if (isPlainObject(v)) {
    const keys = Object.keys(v).sort();
    let out = "{";
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as string;
      if (i > 0) out += ",";
      out += `${string(k, iJson)}:${write(v[k], iJson)}`;
    }
    return `${out}}`;
  }
  throw NOT_JSON;
}

/** An array as JSON.parse makes them: no subclass, no toJSON of its own (which JSON.stringify would call). */
function isPlainArray(v: unknown): v is unknown[] {
  return Array.isArray(v) && Object.getPrototypeOf(v) === Array.prototype && !Object.hasOwn(v, "toJSON");
}

/** An object as JSON.parse makes them: nothing inherited (no class instance, no null prototype). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}

const notIJson = (path: string) =>
  new ValidationError(
    "INVALID_ARGUMENT",
    `${path}: text holds a lone surrogate or a noncharacter (U+FDD0-U+FDEF, U+FFFE, U+FFFF…), which I-JSON (RFC 7493) and so canonical JSON (RFC 8785) exclude`,
  );

function assertJsonValue(v: unknown, path: string, iJson: boolean): void {
  if (typeof v === "string") {
    if (iJson && !isIJsonString(v)) throw notIJson(path);
    return;
  }
  if (v === null || typeof v === "boolean") return;
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new ValidationError("INVALID_ARGUMENT", `${path}: number must be finite`);
    return;
  }
  if (isPlainArray(v)) {
    for (const [i, x] of v.entries()) assertJsonValue(x, `${path}[${i}]`, iJson);
    return;
  }
  if (isPlainObject(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (iJson && !isIJsonString(k)) throw notIJson(`${path} (a key)`);
      assertJsonValue(x, `${path}.${k}`, iJson);
    }
    return;
  }
  throw new ValidationError("INVALID_ARGUMENT", `${path}: not a JSON value (${typeof v})`);
}
