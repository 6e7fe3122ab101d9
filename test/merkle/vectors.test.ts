import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { fromBase64 } from "../../src/core/bytes.js";
import { AppError } from "../../src/core/errors.js";
import {
  isValidConsistency,
  isValidInclusion,
  verifyConsistency,
  verifyInclusion,
} from "../../src/merkle/index.js";

// transparency-dev/merkle test vectors, copied into the repo.
const ROOT = fileURLToPath(new URL("../../fixtures/vectors/merkle/", import.meta.url));

function load(kind: string): { file: string; data: Record<string, unknown> }[] {
  const dir = join(ROOT, kind);
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((file) => ({ file: `${kind}/${file}`, data: JSON.parse(readFileSync(join(dir, file), "utf8")) }));
}

const bytes = (s: unknown) => fromBase64(s as string);
const proofOf = (p: unknown) => ((p as string[] | null) ?? []).map((s) => fromBase64(s));

/** wantErr ⇔ throws, and whatever is thrown is one of ours, not a TypeError. */
function expectOutcome(wantErr: unknown, check: () => void, isValid: () => boolean): void {
  let error: unknown;
  try {
    check();
  } catch (e) {
    error = e;
  }
  if (wantErr) {
    expect(error).toBeInstanceOf(AppError);
  } else {
    expect(error).toBeUndefined();
    expect(isValid()).toBe(true);
  }
}

const inclusion = load("inclusion");
const consistency = load("consistency");

describe("transparency-dev inclusion vectors", () => {
  it("are all found", () => expect(inclusion.length).toBeGreaterThan(90));

  for (const { file, data: c } of inclusion) {
    it(`${file}: ${c.desc} (${c.wantErr ? "rejected" : "accepted"})`, () => {
      const args = [
        bytes(c.leafHash),
        c.leafIdx as number,
        c.treeSize as number,
        proofOf(c.proof),
        bytes(c.root),
      ] as const;
      expectOutcome(
        c.wantErr,
        () => verifyInclusion(...args),
        () => isValidInclusion(...args),
      );
    });
  }
});

describe("transparency-dev consistency vectors", () => {
  it("are all found", () => expect(consistency.length).toBeGreaterThan(80));

  for (const { file, data: c } of consistency) {
    it(`${file}: ${c.desc} (${c.wantErr ? "rejected" : "accepted"})`, () => {
      const args = [
        c.size1 as number,
        c.size2 as number,
        proofOf(c.proof),
        bytes(c.root1),
        bytes(c.root2),
      ] as const;
      expectOutcome(
        c.wantErr,
        () => verifyConsistency(...args),
        () => isValidConsistency(...args),
      );
    });
  }
});
