import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../src/core/canonical-json.js";
import { utf8 } from "../../src/core/bytes.js";
import { type Entry, encodeEntry, GENESIS_PREV, MAX_LEAF_BYTES, parseEntry } from "../../src/ledger/entry.js";

const base: Entry = {
  v: 1,
  index: 41,
  prev: "ab".repeat(32),
  time: "2026-11-26T10:00:00.000Z",
  type: "evidence.deposited",
  body: { sha256: "cd".repeat(32), title: "合同 \u2028 \"quoted\"", size: 12 },
};

describe("ledger entries", () => {
  it("encode to exactly the RFC 8785 canonical JSON of the entry", () => {
    expect(encodeEntry(base)).toEqual(utf8(canonicalJson(base)));
  });

  it("match the generic canonicaliser for arbitrary JSON bodies", () => {
    const json = fc.jsonValue({ maxDepth: 3 }).filter((v) => JSON.stringify(v) !== undefined);
    fc.assert(
      fc.property(fc.dictionary(fc.string(), json), fc.nat({ max: 2 ** 40 }), (body, index) => {
        const e = { ...base, index, body: JSON.parse(JSON.stringify(body)) } as Entry;
        expect(encodeEntry(e)).toEqual(utf8(canonicalJson(e)));
      }),
      { numRuns: 300 },
    );
  });

  it("round-trip through parseEntry", () => {
    expect(parseEntry(encodeEntry(base))).toEqual(base);
  });

  it("refuse leaves over 64 KiB with LEAF_TOO_LARGE", () => {
    const big = { ...base, body: { sha256: "cd".repeat(32), title: "x".repeat(MAX_LEAF_BYTES) } };
    expect(() => encodeEntry(big)).toThrow(expect.objectContaining({ code: "LEAF_TOO_LARGE" }));
  });

  it("reject non-canonical, malformed or unknown-type leaf data", () => {
    const bad = [
      '{"v":1}',
      JSON.stringify({ ...base }, null, 1),
      canonicalJson({ ...base, type: "evidence.stolen" }),
      canonicalJson({ ...base, prev: "AB".repeat(32) }),
      canonicalJson({ ...base, time: "2026-11-26T10:00:00Z" }),
      canonicalJson({ ...base, extra: 1 }),
      "not json",
    ];
    for (const s of bad) expect(() => parseEntry(utf8(s)), s).toThrow(expect.objectContaining({ code: "INVALID_ENTRY" }));
    expect(() => parseEntry(Uint8Array.of(0xff, 0xfe))).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
  });

  it("use 64 zeros as the prev of entry 0", () => {
    expect(GENESIS_PREV).toMatch(/^0{64}$/);
  });
});
