import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fromHex, utf8 } from "../../src/core/bytes.js";
import { ENTRY_TYPES, type Entry, encodeEntry } from "../../src/ledger/entry.js";
import { hexEquals, readEntryTail } from "../../src/ledger/entry-tail.js";

describe("readEntryTail", () => {
  it("finds index, prev and time in any canonical entry, whatever its body holds", () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 })),
        fc.nat({ max: Number.MAX_SAFE_INTEGER }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.constantFrom(...ENTRY_TYPES),
        (body, index, prevBytes, type) => {
          const prev = [...prevBytes].map((b) => b.toString(16).padStart(2, "0")).join("");
          const e: Entry = {
            v: 1,
            index,
            prev,
            time: "2026-11-26T10:00:00.000Z",
            type,
            body: JSON.parse(JSON.stringify(body)),
          };
          const data = encodeEntry(e);
          const t = readEntryTail(data);
          expect(t?.index).toBe(index);
          expect(hexEquals(data, t?.prevAt ?? -1, prevBytes)).toBe(true);
          expect(new TextDecoder().decode(data.subarray(t?.timeAt, (t?.timeAt ?? 0) + 24))).toBe(e.time);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("rejects bytes that do not end like a canonical entry", () => {
    const good = `{"body":{},"index":12,"prev":"${"a".repeat(64)}","time":"2026-11-26T10:00:00.000Z","type":"evidence.deposited","v":1}`;
    expect(readEntryTail(utf8(good))?.index).toBe(12);
    for (const bad of [
      good.replace('"v":1}', '"v":2}'),
      good.replace('"index":12', '"index":012'),
      good.replace('"index":12', '"index":'),
      good.replace('"type":"evidence.deposited"', '"type":"Evidence"'),
      good.replace('"prev":"a', '"prev":"'),
      good.slice(0, -1),
      "",
      "}",
    ]) {
      expect(readEntryTail(utf8(bad)), bad).toBeUndefined();
    }
    expect(hexEquals(utf8("ab".repeat(32)), 0, fromHex("ab".repeat(32)))).toBe(true);
    expect(hexEquals(utf8("AB".repeat(32)), 0, fromHex("ab".repeat(32)))).toBe(false);
  });
});
