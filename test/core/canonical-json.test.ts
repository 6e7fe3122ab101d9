import canonicalize from "canonicalize";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson, canonicalJsonAsWritten } from "../../src/core/canonical-json.js";
import { AppError } from "../../src/core/errors.js";

const reference = canonicalize as unknown as (v: unknown) => string;

/** I-JSON text (RFC 7493 §2.1), by code point, independently of the code under test. */
function isIJsonText(s: string): boolean {
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    if (cp >= 0xd800 && cp <= 0xdfff) return false; // a surrogate left alone by for…of
    if ((cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) === 0xfffe) return false;
  }
  return true;
}

/** Every string and key of a JSON value is I-JSON text. */
function iJson(v: unknown): boolean {
  if (typeof v === "string") return isIJsonText(v);
  if (Array.isArray(v)) return v.every(iJson);
  if (typeof v === "object" && v !== null)
    return Object.entries(v).every(([k, x]) => isIJsonText(k) && iJson(x));
  return true;
}

function refusal(v: unknown): string {
  try {
    canonicalJson(v);
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe("INVALID_ARGUMENT");
    return (e as AppError).message;
  }
  throw new Error("not refused");
}

describe("canonicalJson (RFC 8785)", () => {
  it("writes the RFC's own example (§3.2.2): numbers, escapes and literals", () => {
    const input = JSON.parse(
      '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],' +
        '"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}',
    );
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it("sorts keys by UTF-16 code units (§3.2.3), integer-like keys included", () => {
    const input = { "€": 1, "\r": 2, דּ: 3, "1": 4, "😀": 5, "\u0080": 6, ö: 7, "10": 8, "9": 9 };
    expect(canonicalJson(input)).toBe('{"\\r":2,"1":4,"10":8,"9":9,"\u0080":6,"ö":7,"€":1,"😀":5,"דּ":3}');
  });

  it("agrees with the canonicalize package on random I-JSON values (ASCII, any code points, graphemes), refuses the rest", () => {
    for (const stringUnit of [undefined, "binary", "grapheme"] as const) {
      fc.assert(
        fc.property(fc.jsonValue(stringUnit ? { stringUnit } : {}), (v) => {
          if (iJson(v)) expect(canonicalJson(v)).toBe(reference(v));
          else expect(refusal(v)).toMatch(/lone surrogate or a noncharacter/);
        }),
        { numRuns: 1000, seed: 8785 },
      );
    }
  });

  it("refuses what is not JSON, saying where", () => {
    expect(refusal({ a: [1, Number.NaN] })).toContain("$.a[1]: number must be finite");
    expect(refusal({ a: { b: Number.POSITIVE_INFINITY } })).toContain("$.a.b");
    expect(refusal({ a: undefined })).toContain("$.a: not a JSON value (undefined)");
    expect(refusal([() => 1])).toContain("$[0]: not a JSON value (function)");
    expect(refusal({ d: new Date(0) })).toContain("$.d: not a JSON value (object)");
    expect(refusal(new Map())).toContain("$: not a JSON value (object)");
    expect(refusal({ toJSON: () => "x" })).toContain("$.toJSON");
    // biome-ignore lint/suspicious/noSparseArray: a hole is not a JSON value
    expect(refusal([1, , 3])).toContain("$[1]");
    expect(refusal(Object.create(null))).toContain("not a JSON value");
    expect(refusal({ a: Object.assign([1, 2], { toJSON: () => "x" }) })).toContain("$.a: not a JSON value");
    class List extends Array {}
    expect(refusal(List.from([1]))).toContain("$: not a JSON value");
  });

  it("refuses text I-JSON excludes (RFC 7493 §2.1): lone surrogates and noncharacters, in values and keys", () => {
    for (const bad of [
      "a\ud800b",
      "\udc00",
      "x\ud83d",
      "\ufdd0",
      "\ufffe",
      "\uffff",
      "\u{1fffe}",
      "\u{10ffff}",
    ]) {
      expect(refusal({ t: [bad] }), JSON.stringify(bad)).toMatch(/^\$\.t\[0\]: text holds a lone surrogate/);
      expect(refusal({ [bad]: 1 })).toMatch(/^\$ \(a key\): /);
    }
    // Pairs, controls and the characters around the excluded ranges are text like any other.
    // Every code point, and every lone surrogate, against the independent check.
    const wrong: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      const t = String.fromCodePoint(cp);
      let written: string | undefined;
      try {
        written = canonicalJson(t);
      } catch {
        written = undefined;
      }
      if (written !== (isIJsonText(t) ? JSON.stringify(t) : undefined)) wrong.push(cp.toString(16));
    }
    expect(wrong).toEqual([]);
    // What the log holds from before the check is still written back as it was.
    expect(canonicalJsonAsWritten({ t: "a\ud800" })).toBe('{"t":"a\\ud800"}');
    for (const good of ["😀", "\u0000\u001f", "\ufdcf\ufdf0\ufffd", "\u{1fffd}", "\u{10fffd}"])
      expect(canonicalJson({ t: good })).toBe(reference({ t: good }));
  });
});
