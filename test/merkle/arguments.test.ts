import { describe, expect, it } from "vitest";
import { ValidationError } from "../../src/core/errors.js";
import {
  consistencyPlan,
  EMPTY_ROOT,
  hashLeaf,
  inclusionPlan,
  isValidConsistency,
  isValidInclusion,
  MemoryHashReader,
  proveConsistency,
  proveInclusion,
  rootAt,
  verifyConsistency,
  verifyInclusion,
} from "../../src/merkle/index.js";
import { expectError } from "./helpers.js";

const leaf = hashLeaf(new Uint8Array([1]));
const root = EMPTY_ROOT;
const reader = new MemoryHashReader();
const notCounts = [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, "3", null, 3n];

describe("malformed arguments are ValidationErrors with a precise code", () => {
  it("an index that is negative, fractional, unsafe or not below the size is INVALID_INDEX", () => {
    for (const bad of [...notCounts, 5, 6]) {
      const index = bad as number;
      expectError(() => inclusionPlan(index, 5), ValidationError, "INVALID_INDEX");
      expectError(() => verifyInclusion(leaf, index, 5, [], root), ValidationError, "INVALID_INDEX");
      expectError(() => isValidInclusion(leaf, index, 5, [], root), ValidationError, "INVALID_INDEX");
    }
    expectError(() => inclusionPlan(0, 0), ValidationError, "INVALID_INDEX");
  });

  it("a size that is negative, fractional or unsafe is INVALID_SIZE", async () => {
    for (const bad of notCounts) {
      const size = bad as number;
      expectError(() => inclusionPlan(0, size), ValidationError, "INVALID_SIZE");
      expectError(() => consistencyPlan(1, size), ValidationError, "INVALID_SIZE");
      expectError(() => consistencyPlan(size, 4), ValidationError, "INVALID_SIZE");
      expectError(() => verifyConsistency(size, 4, [], root, root), ValidationError, "INVALID_SIZE");
      await expect(rootAt(size, reader)).rejects.toMatchObject({
        name: "ValidationError",
        code: "INVALID_SIZE",
      });
    }
  });

  it("size1 > size2 and size1 = 0 (even 0 -> 0) are INVALID_SIZE for consistency", async () => {
    for (const [s1, s2] of [
      [5, 4],
      [2, 1],
      [0, 0],
      [0, 7],
    ] as const) {
      expectError(() => consistencyPlan(s1, s2), ValidationError, "INVALID_SIZE");
      expectError(() => verifyConsistency(s1, s2, [], root, root), ValidationError, "INVALID_SIZE");
      expectError(() => isValidConsistency(s1, s2, [], root, root), ValidationError, "INVALID_SIZE");
      await expect(proveConsistency(s1, s2, reader)).rejects.toMatchObject({ code: "INVALID_SIZE" });
    }
  });

  it("provers validate before reading", async () => {
    await expect(proveInclusion(3, 3, reader)).rejects.toBeInstanceOf(ValidationError);
    await expect(proveInclusion(-1, 3, reader)).rejects.toMatchObject({ code: "INVALID_INDEX" });
  });

  it("a leaf hash that is not 32 bytes is INVALID_ARGUMENT", () => {
    for (const bad of [new Uint8Array(31), new Uint8Array(0), "x"]) {
      expectError(
        () => verifyInclusion(bad as Uint8Array, 0, 1, [], root),
        ValidationError,
        "INVALID_ARGUMENT",
      );
    }
  });

  it("a proof that is not an array of 32-byte hashes is MALFORMED_PROOF", () => {
    const proof = [leaf, leaf.subarray(0, 31)];
    expectError(() => verifyInclusion(leaf, 0, 3, proof, root), ValidationError, "MALFORMED_PROOF");
    expectError(() => isValidInclusion(leaf, 0, 3, proof, root), ValidationError, "MALFORMED_PROOF");
    expectError(
      () => verifyConsistency(3, 4, [leaf, ...proof], root, root),
      ValidationError,
      "MALFORMED_PROOF",
    );
    const notArray = "proof" as unknown as Uint8Array[];
    expectError(() => verifyInclusion(leaf, 0, 3, notArray, root), ValidationError, "MALFORMED_PROOF");
    expectError(() => verifyConsistency(3, 3, notArray, root, root), ValidationError, "MALFORMED_PROOF");
  });

  it("a root that is not a Uint8Array is INVALID_ARGUMENT, while one of the wrong length just mismatches", () => {
    const notBytes = [1, 2, 3] as unknown as Uint8Array;
    expectError(() => verifyInclusion(leaf, 0, 1, [], notBytes), ValidationError, "INVALID_ARGUMENT");
    expectError(() => verifyConsistency(1, 1, [], notBytes, root), ValidationError, "INVALID_ARGUMENT");
    expect(isValidInclusion(leaf, 0, 1, [], leaf.subarray(1))).toBe(false);
    expect(isValidConsistency(1, 2, [leaf], leaf.subarray(1), root)).toBe(false);
  });
});
