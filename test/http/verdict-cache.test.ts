import { describe, expect, it } from "vitest";
import { VerdictCache, type VerdictCacheOptions } from "../../src/http/verdict-cache.js";

interface Head {
  size: number;
}

/** A cache over a fake ledger: `block(digests)` makes the next head, recording those digests. */
function setup(options: Partial<VerdictCacheOptions> = {}) {
  let now = 0;
  const blocks: { to: number; digests: string[] }[] = [];
  let head: Head = { size: 1 };
  const cache = new VerdictCache<Head>({
    maxBytes: 1 << 20,
    maxAgeMs: 10_000,
    now: () => now,
    recordedAfter: (size) => blocks.filter((b) => b.to > size).flatMap((b) => b.digests),
    ...options,
  });
  return {
    cache,
    head: () => head,
    block(...digests: string[]) {
      head = { size: head.size + Math.max(1, digests.length) };
      blocks.push({ to: head.size, digests });
      return head;
    },
    wait(ms: number) {
      now += ms;
    },
  };
}

describe("VerdictCache", () => {
  it("answers what was said for a digest against the newest checkpoint", () => {
    const { cache, head } = setup();
    expect(cache.get("d1", head())).toBeUndefined();
    cache.set("d1", head(), '{"valid":true}');
    expect(cache.get("d1", head())).toBe('{"valid":true}');
    expect(cache.get("d2", head())).toBeUndefined();
  });

  it("drops a verdict at once when a new block records its digest", () => {
    const t = setup();
    t.cache.set("found", t.head(), "one match");
    t.cache.set("missing", t.head(), "not found");
    t.cache.set("other", t.head(), "other");
    const next = t.block("found", "missing");
    expect(t.cache.get("found", next)).toBeUndefined(); // a second match now
    expect(t.cache.get("missing", next)).toBeUndefined(); // found now
    expect(t.cache.get("other", next)).toBe("other"); // unchanged, against the older checkpoint
  });

  it("gives a verdict against an older checkpoint for at most maxAgeMs", () => {
    const t = setup({ maxAgeMs: 5000 });
    t.cache.set("d", t.head(), "v");
    t.wait(60_000); // no block: still the newest checkpoint, however old
    expect(t.cache.get("d", t.head())).toBe("v");
    t.cache.set("d", t.head(), "v again");
    t.wait(4000);
    const next = t.block("x");
    expect(t.cache.get("d", next)).toBe("v again");
    t.wait(1001);
    expect(t.cache.get("d", next)).toBeUndefined();
    t.cache.set("d", next, "v newest");
    expect(t.cache.get("d", next)).toBe("v newest");
  });

  it("with maxAgeMs 0, answers only against the newest checkpoint", () => {
    const t = setup({ maxAgeMs: 0 });
    t.cache.set("d", t.head(), "v");
    expect(t.cache.get("d", t.block("x"))).toBeUndefined();
    expect(t.cache.size).toBe(0);
  });

  it("forgets everything when the ledger can no longer tell what was recorded since", () => {
    const t = setup({ recordedAfter: () => undefined });
    t.cache.set("d", t.head(), "v");
    expect(t.cache.get("d", t.block("x"))).toBeUndefined();
    expect(t.cache.size).toBe(0);
  });

  it("does not keep a verdict made against a checkpoint older than one it has seen", () => {
    const t = setup();
    const old = t.head();
    const next = t.block("x");
    expect(t.cache.get("d", next)).toBeUndefined();
    t.cache.set("d", old, "stale");
    expect(t.cache.get("d", next)).toBeUndefined();
  });

  it("lets the least recently asked verdicts go past its size", () => {
    const { cache, head } = setup({ maxBytes: 500 });
    const json = (n: number) => `{"n":${n}${" ".repeat(80)}}`;
    for (let i = 0; i < 3; i++) cache.set(`d${i}`, head(), json(i));
    expect(cache.get("d0", head())).toBe(json(0)); // d1 is now the least recent
    cache.set("d3", head(), json(3));
    expect(cache.get("d1", head())).toBeUndefined();
    expect([0, 2, 3].map((i) => cache.get(`d${i}`, head()))).toEqual([json(0), json(2), json(3)]);
  });

  it("holds nothing when given no memory", () => {
    const { cache, head } = setup({ maxBytes: 0 });
    cache.set("d1", head(), "{}");
    expect(cache.get("d1", head())).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});
