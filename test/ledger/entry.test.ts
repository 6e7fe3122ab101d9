import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { utf8 } from "../../src/core/bytes.js";
import { canonicalJson } from "../../src/core/canonical-json.js";
import {
  type Entry,
  encodeEntry,
  GENESIS_PREV,
  MAX_LEAF_BYTES,
  parseEntry,
  utf8Length,
} from "../../src/ledger/entry.js";

const base: Entry = {
  v: 1,
  index: 41,
  prev: "ab".repeat(32),
  time: "2026-11-26T10:00:00.000Z",
  type: "evidence.deposited",
  body: { sha256: "cd".repeat(32), title: '合同 \u2028 "quoted"', size: 12 },
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

  it("read an entry written before the I-JSON check (a lone surrogate escaped) as it was written", () => {
    const text = canonicalJson({ ...base, body: { sha256: "cd".repeat(32), title: "x" } }).replace(
      '"x"',
      '"\\ud800"',
    );
    expect(parseEntry(utf8(text)).body.title).toBe("\ud800");
    // New entries with it are refused before they are written.
    expect(() => encodeEntry({ ...base, body: { sha256: "cd".repeat(32), title: "\ud800" } })).toThrow(
      /lone surrogate/,
    );
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
    for (const s of bad)
      expect(() => parseEntry(utf8(s)), s).toThrow(expect.objectContaining({ code: "INVALID_ENTRY" }));
    expect(() => parseEntry(Uint8Array.of(0xff, 0xfe))).toThrow(
      expect.objectContaining({ code: "INVALID_ARGUMENT" }),
    );
  });

  it("place the real prev even when the body has a field named prev", async () => {
    const { openTestLedger } = await import("../helpers/ledger.js");
    const { ledger } = await openTestLedger();
    await ledger.append("evidence.deposited", { sha256: "ab".repeat(32) });
    const a = await ledger.append("evidence.deposited", {
      sha256: "cd".repeat(32),
      prev: GENESIS_PREV,
    } as never);
    expect(parseEntry(a.data)).toEqual(a.entry);
    expect(a.entry.prev).not.toBe(GENESIS_PREV);
    expect(a.entry.body.prev).toBe(GENESIS_PREV);
  });

  it("count UTF-8 bytes exactly, including astral characters and lone surrogates", () => {
    for (const s of ["", "abc", "é", "合同", "😀", "a\ud800b", "\udc00", "x😀y合"]) {
      expect(utf8Length(s), JSON.stringify(s)).toBe(utf8(s).length);
    }
    fc.assert(fc.property(fc.string({ unit: "binary" }), (s) => utf8Length(s) === utf8(s).length));
  });

  it("use 64 zeros as the prev of entry 0", () => {
    expect(GENESIS_PREV).toMatch(/^0{64}$/);
  });
});
