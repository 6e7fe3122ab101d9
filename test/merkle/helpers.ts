import { expect } from "vitest";
import { equalBytes, toHex, utf8 } from "../../src/core/bytes.js";
import type { AppError } from "../../src/core/errors.js";
import {
  CompactRange,
  type HashReader,
  hashLeaf,
  MemoryHashReader,
  type NodeId,
} from "../../src/merkle/index.js";

export interface BuiltTree {
  leaves: Uint8Array[];
  store: MemoryHashReader;
  /** roots[s] is the root after s appends, as CompactRange computed it. */
  roots: Uint8Array[];
}

/** A tree of `n` leaves "leaf-0".."leaf-(n-1)", stored the way a log would: via append's onNode. */
export function buildTree(n: number): BuiltTree {
  const store = new MemoryHashReader();
  const range = CompactRange.empty();
  const leaves: Uint8Array[] = [];
  const roots = [range.root()];
  for (let i = 0; i < n; i++) {
    const leaf = hashLeaf(utf8(`leaf-${i}`));
    leaves.push(leaf);
    range.append(leaf, (level, index, hash) => store.set(level, index, hash));
    roots.push(range.root());
  }
  return { leaves, store, roots };
}

/** Wraps a reader and records every getNodes call. */
export function countingReader(inner: HashReader): HashReader & { calls: NodeId[][] } {
  const calls: NodeId[][] = [];
  return {
    calls,
    getNodes(ids) {
      calls.push([...ids]);
      return inner.getNodes(ids);
    },
  };
}

export const hex = (hashes: readonly Uint8Array[]): string[] => hashes.map(toHex);

/** Byte comparison first (hex is slow in bulk); hex only to show a difference. */
export function expectSameHashes(
  got: readonly Uint8Array[],
  want: readonly Uint8Array[],
  label: string,
): void {
  const same = got.length === want.length && got.every((h, k) => equalBytes(h, want[k] as Uint8Array));
  if (!same) expect(hex(got), label).toEqual(hex(want));
}

export function flipBit(hashes: readonly Uint8Array[], element: number, bit: number): Uint8Array[] {
  return hashes.map((h, k) => {
    const copy = h.slice();
    if (k === element) copy[bit >> 3] = (copy[bit >> 3] as number) ^ (1 << (bit & 7));
    return copy;
  });
}

export function errorOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error("expected the call to throw");
}

/** Asserts `fn` throws an instance of `type` carrying `code` (codes are the contract, messages are not). */
export function expectError(
  fn: () => unknown,
  type: abstract new (...args: never[]) => AppError,
  code: string,
): void {
  const e = errorOf(fn);
  expect(e).toBeInstanceOf(type);
  expect((e as AppError).code).toBe(code);
}
