import { describe, expect, it } from "vitest";
import { toHex, utf8 } from "../../src/core/bytes.js";
import { ValidationError } from "../../src/core/errors.js";
import { CompactRange, EMPTY_ROOT, hashLeaf, perfectRoots } from "../../src/merkle/index.js";
import { buildTree, countingReader, expectError } from "./helpers.js";

const leaf = (i: number) => hashLeaf(utf8(`leaf-${i}`));

describe("CompactRange", () => {
  it("starts empty with the empty root", () => {
    const r = CompactRange.empty();
    expect(r.size).toBe(0);
    expect(r.nodes()).toEqual([]);
    expect(toHex(r.root())).toBe(toHex(EMPTY_ROOT));
  });

  it("reports the leaf and every node an append completes, bottom-up", () => {
    const r = CompactRange.empty();
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) r.append(leaf(i), (level, index) => seen.push(`${level}:${index}`));
    expect(seen).toEqual(["0:0", "0:1", "1:0", "0:2", "0:3", "1:1", "2:0"]);
  });

  it("reports each perfect node exactly once: 2n - popcount(n) nodes for n leaves", () => {
    const r = CompactRange.empty();
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      r.append(leaf(i), (level, index) => {
        const key = `${level}:${index}`;
        expect(seen.has(key)).toBe(false);
        seen.add(key);
      });
    }
    const popcount = [...(1000).toString(2)].filter((b) => b === "1").length;
    expect(seen.size).toBe(2 * 1000 - popcount);
  });

  it("keeps the right border, largest subtree first, matching what storage holds", async () => {
    const { store } = buildTree(13);
    const r = await CompactRange.load(13, store);
    const nodes = r.nodes();
    expect(nodes.map((n) => n.id)).toEqual(perfectRoots(13));
    expect(nodes.map((n) => n.hash)).toEqual(await store.getNodes(perfectRoots(13)));
  });

  it("loads from storage with one read and appends without any", async () => {
    const t = buildTree(100);
    const reader = countingReader(t.store);
    const r = await CompactRange.load(37, reader);
    for (let i = 37; i < 100; i++) r.append(t.leaves[i] as Uint8Array);
    expect(reader.calls.length).toBe(1);
    expect(reader.calls[0]?.length).toBe(3);
    expect(toHex(r.root())).toBe(toHex(t.roots[100] as Uint8Array));
  });

  it("clones independently", () => {
    const a = CompactRange.empty();
    for (let i = 0; i < 5; i++) a.append(leaf(i));
    const before = toHex(a.root());
    const b = a.clone();
    b.append(leaf(5));
    expect(a.size).toBe(5);
    expect(toHex(a.root())).toBe(before);
    a.append(leaf(5));
    expect(toHex(a.root())).toBe(toHex(b.root()));
  });

  it("is unchanged when onNode throws, so a failed write can be retried", () => {
    const r = CompactRange.empty();
    for (let i = 0; i < 3; i++) r.append(leaf(i));
    const before = toHex(r.root());
    expect(() =>
      r.append(leaf(3), (level) => {
        if (level === 2) throw new Error("disk full");
      }),
    ).toThrow("disk full");
    expect(r.size).toBe(3);
    expect(toHex(r.root())).toBe(before);
    r.append(leaf(3));
    expect(r.size).toBe(4);
  });

  it("never exposes its own arrays", () => {
    const r = CompactRange.empty();
    const first = leaf(0);
    r.append(first);
    first.fill(0);
    r.root().fill(0);
    for (const node of r.nodes()) node.hash.fill(0);
    expect(toHex(r.root())).toBe(toHex(leaf(0)));
  });

  it("refuses a leaf hash that is not 32 bytes", () => {
    expectError(() => CompactRange.empty().append(new Uint8Array(31)), ValidationError, "INVALID_ARGUMENT");
  });
});
