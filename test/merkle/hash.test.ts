import { describe, expect, it } from "vitest";
import { fromBase64, toHex, utf8 } from "../../src/core/bytes.js";
import { ValidationError } from "../../src/core/errors.js";
import {
  CompactRange,
  EMPTY_ROOT,
  hashChildren,
  hashLeaf,
  MemoryHashReader,
  proveConsistency,
  proveInclusion,
  rootAt,
  verifyConsistency,
  verifyInclusion,
} from "../../src/merkle/index.js";
import { expectError, hex } from "./helpers.js";
import { referenceLeafHash } from "./reference-tree.js";

describe("RFC 6962 hashing", () => {
  it("gives the empty tree the SHA-256 of the empty string as its root", () => {
    expect(toHex(EMPTY_ROOT)).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(toHex(CompactRange.empty().root())).toBe(toHex(EMPTY_ROOT));
  });

  it("hashes leaves of any length as SHA-256(0x00 || data)", () => {
    for (const len of [0, 1, 31, 32, 33, 4095, 4096, 4097, 70_000]) {
      const data = Uint8Array.from({ length: len }, (_, i) => (i * 7 + len) & 255);
      expect(toHex(hashLeaf(data)), `length ${len}`).toBe(toHex(referenceLeafHash(data)));
    }
  });

  it("returns fresh arrays that later calls do not overwrite", () => {
    const a = hashLeaf(utf8("a"));
    const b = hashLeaf(utf8("b"));
    const ab = hashChildren(a, b);
    const abCopy = ab.slice();
    const ba = hashChildren(b, a);
    expect(ab).not.toBe(ba);
    expect(ab).toEqual(abCopy);
    expect(toHex(ab)).not.toBe(toHex(ba));
    expect(toHex(a)).toBe(toHex(referenceLeafHash(utf8("a"))));
  });

  it("refuses child hashes that are not 32 bytes", () => {
    const h = hashLeaf(utf8("x"));
    expectError(() => hashChildren(h, h.subarray(1)), ValidationError, "INVALID_ARGUMENT");
    expectError(() => hashChildren(new Uint8Array(33), h), ValidationError, "INVALID_ARGUMENT");
  });
});

describe("the evidence-0..2 example from the research notes", () => {
  const leaves = [0, 1, 2].map((i) => hashLeaf(utf8(`evidence-${i}`)));
  const b64 = (s: string) => toHex(fromBase64(s));
  const leafB64 = [
    "qzpg0N5zt+B9d0wHhn4SkBjpGeq60PzlpLEy/2Z7U18=",
    "367s09zKSbUM1530AVlQMJcvPLEWHJxwwPgxQq2w9+Q=",
    "exM3moEgpo6ae0i/LVk/sNsujoUKwM3Cu+DF4RCODLI=",
  ];
  const root2 = fromBase64("vLuaTOZk1vPOHfFpCbSDg8g5hdnadP67vkT9aJxC+U0=");
  const root3 = fromBase64("thukDxytlQYqsBh5AHbxY1ksYsQ4U2eZ3vGRTo+ut1s=");

  function build(): { store: MemoryHashReader; range: CompactRange } {
    const store = new MemoryHashReader();
    const range = CompactRange.empty();
    for (const leaf of leaves) range.append(leaf, (l, i, h) => store.set(l, i, h));
    return { store, range };
  }

  it("has the published leaf hashes", () => {
    expect(leaves.map(toHex)).toEqual(leafB64.map(b64));
  });

  it("has the published roots at sizes 2 and 3", async () => {
    const { store, range } = build();
    expect(toHex(range.root())).toBe(toHex(root3));
    expect(toHex(await rootAt(2, store))).toBe(toHex(root2));
    expect(toHex(await rootAt(3, store))).toBe(toHex(root3));
  });

  it("proves leaf 0 in the tree of 3 with [leaf1, leaf2]", async () => {
    const { store } = build();
    const proof = await proveInclusion(0, 3, store);
    expect(hex(proof)).toEqual([leafB64[1], leafB64[2]].map((s) => b64(s as string)));
    verifyInclusion(leaves[0] as Uint8Array, 0, 3, proof, root3);
  });

  it("proves 2 -> 3 consistency with [leaf2]", async () => {
    const { store } = build();
    const proof = await proveConsistency(2, 3, store);
    expect(hex(proof)).toEqual([b64(leafB64[2] as string)]);
    verifyConsistency(2, 3, proof, root2, root3);
  });
});
