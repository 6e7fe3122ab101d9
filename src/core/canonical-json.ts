import canonicalizeImpl from "canonicalize";
import { ValidationError } from "./errors.js";

const canonicalize = canonicalizeImpl as unknown as (v: unknown) => string | undefined;

/**
 * RFC 8785 (JCS) canonical JSON. Only plain JSON values are accepted: numbers
 * must be finite, and `undefined`, functions and symbols are refused rather
 * than silently dropped.
 */
export function canonicalJson(value: unknown): string {
  assertJsonValue(value, "$");
  const out = canonicalize(value);
  if (out === undefined) throw new ValidationError("INVALID_ARGUMENT", "value is not representable as JSON");
  return out;
}

/** An object as JSON.parse makes them: nothing inherited (no class instance, no null prototype). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}

function assertJsonValue(v: unknown, path: string): void {
  if (v === null || typeof v === "string" || typeof v === "boolean") return;
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new ValidationError("INVALID_ARGUMENT", `${path}: number must be finite`);
    return;
  }
  if (Array.isArray(v)) {
    for (const [i, x] of v.entries()) assertJsonValue(x, `${path}[${i}]`);
    return;
  }
  if (isPlainObject(v)) {
    for (const [k, x] of Object.entries(v)) assertJsonValue(x, `${path}.${k}`);
    return;
  }
  throw new ValidationError("INVALID_ARGUMENT", `${path}: not a JSON value (${typeof v})`);
}
