import { describe, expect, it } from "vitest";
import { VerdictCache } from "../../src/http/verdict-cache.js";

describe("VerdictCache", () => {
  const a = { size: 1 };
  const b = { size: 2 };

  it("answers only for the checkpoint a verdict was made against", () => {
    const cache = new VerdictCache<object>(1 << 20);
    expect(cache.get("d1", a)).toBeUndefined();
    cache.set("d1", a, '{"valid":true}');
    expect(cache.get("d1", a)).toBe('{"valid":true}');
    expect(cache.get("d1", b)).toBeUndefined(); // a newer checkpoint empties it
    expect(cache.get("d1", a)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it("lets the least recently asked verdicts go past its size", () => {
    const cache = new VerdictCache<object>(300);
    const json = (n: number) => `{"n":${n}${" ".repeat(80)}}`;
    for (let i = 0; i < 3; i++) cache.set(`d${i}`, a, json(i));
    expect(cache.get("d0", a)).toBe(json(0)); // d1 is now the least recent
    cache.set("d3", a, json(3));
    expect(cache.get("d1", a)).toBeUndefined();
    expect([0, 2, 3].map((i) => cache.get(`d${i}`, a))).toEqual([json(0), json(2), json(3)]);
  });

  it("holds nothing when given no memory", () => {
    const cache = new VerdictCache<object>(0);
    cache.set("d1", a, "{}");
    expect(cache.get("d1", a)).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});
