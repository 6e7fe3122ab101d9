import { readFileSync } from "node:fs";
import { expect } from "vitest";
import { type AppError, type ErrorCode, isAppError } from "../../src/core/errors.js";

/** Runs `fn`, which must throw an AppError with `code` (and of class `cls`, when given). */
export function expectCode(
  fn: () => unknown,
  code: ErrorCode,
  cls?: abstract new (...args: never[]) => AppError,
): AppError {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  if (thrown === undefined) throw new Error(`expected an error with code ${code}, but nothing was thrown`);
  if (!isAppError(thrown)) throw thrown;
  expect(thrown.code).toBe(code);
  if (cls) expect(thrown).toBeInstanceOf(cls);
  return thrown;
}

/** A fixture file's text, relative to the repository's `fixtures/`. */
export function fixture(path: string): string {
  return readFileSync(new URL(`../../fixtures/${path}`, import.meta.url), "utf8");
}

export const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, "hex"));

/** Deterministic bytes for tests: byte i is (seed + 31 i) mod 256. */
export function testBytes(n: number, seed = 1): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (seed + 31 * i) & 0xff);
}
