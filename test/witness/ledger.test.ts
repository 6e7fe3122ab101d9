import { describe, expect, it } from "vitest";
import { verifyCosignature } from "../../src/crypto/cosignature.js";
import { createVerifier } from "../../src/crypto/note-keys.js";
import { parseNote } from "../../src/crypto/signed-note.js";
import { parsePolicy, verifyCheckpointWithPolicy } from "../../src/crypto/tlog-policy.js";
import { addCheckpoint } from "../../src/witness/add-checkpoint.js";
import { digest, openTestLedger, TEST_ORIGIN } from "../helpers/ledger.js";
import { body, NOW_SECONDS, witnessContext } from "./helpers.js";

/** Two witnesses following the project's own Ledger, block by block, as the log would drive them. */
async function witnessedLedger() {
  const { ledger, key } = await openTestLedger();
  const a = witnessContext({
    logs: [key.verifierKey],
    name: "test.notarium.invalid/court-a",
    cosignerSeed: 21,
  });
  const b = witnessContext({
    logs: [key.verifierKey],
    name: "test.notarium.invalid/court-b",
    cosignerSeed: 22,
  });
  const sizes = new Map([
    [a, 0],
    [b, 0],
  ]);
  const submit = async (w: typeof a, note: string) => {
    const old = sizes.get(w) as number;
    const size = ledger.latest().size;
    const proof = old === 0 || old === size ? [] : await ledger.proveConsistency(old, size);
    const r = await addCheckpoint(w, body(old, proof, note));
    sizes.set(w, size);
    return r.cosignatures;
  };
  return { ledger, key, a, b, submit };
}

const policyText = (logVkey: string, a: string, b: string, group: string) =>
  `log ${logVkey}\nwitness A ${a}\nwitness B ${b}\ngroup courts ${group} A B\nquorum courts\n`;

describe("the witness against the project's own Ledger", () => {
  it("cosigns the genesis checkpoint (size 0, empty root) and every block after it", async () => {
    const { ledger, a, submit } = await witnessedLedger();
    const verifier = createVerifier(a.vkey);
    expect(ledger.latest().size).toBe(0);
    const genesis = await submit(a, ledger.latest().note);
    expect(verifyCosignature(parseNote(ledger.latest().note).text, genesis, verifier)).toBe(NOW_SECONDS);
    for (let i = 0; i < 12; i++) {
      await ledger.appendAll(
        Array.from({ length: 1 + (i % 4) }, (_, j) => ({
          type: "evidence.deposited" as const,
          body: { sha256: digest(i * 10 + j) },
        })),
      );
      const line = await submit(a, ledger.latest().note);
      expect(verifyCosignature(parseNote(ledger.latest().note).text, line, verifier)).toBe(NOW_SECONDS);
    }
    expect((await a.store.get(TEST_ORIGIN))?.size).toBe(ledger.size);
    await ledger.close();
  });

  it("gives cosignatures that meet 2-of-2 and 1-of-2 quorum policies (and only those)", async () => {
    const { ledger, key, a, b, submit } = await witnessedLedger();
    for (let i = 0; i < 5; i++) await ledger.append("evidence.deposited", { sha256: digest(i) });
    const note = ledger.latest().note;
    const lineA = await submit(a, note);
    const lineB = await submit(b, note);
    const both = `${note}${lineA}${lineB}`;
    const onlyA = `${note}${lineA}`;
    const twoOfTwo = parsePolicy(policyText(key.verifierKey, a.vkey, b.vkey, "2"));
    const oneOfTwo = parsePolicy(policyText(key.verifierKey, a.vkey, b.vkey, "any"));

    const v = verifyCheckpointWithPolicy(both, twoOfTwo, TEST_ORIGIN);
    expect(v.cosignatures.map((c) => [c.witness, c.timestamp])).toEqual([
      ["A", NOW_SECONDS],
      ["B", NOW_SECONDS],
    ]);
    expect(() => verifyCheckpointWithPolicy(onlyA, twoOfTwo)).toThrow(
      expect.objectContaining({ code: "QUORUM_NOT_MET" }),
    );
    expect(verifyCheckpointWithPolicy(onlyA, oneOfTwo).cosignatures.map((c) => c.witness)).toEqual(["A"]);
    expect(() => verifyCheckpointWithPolicy(note, oneOfTwo)).toThrow(
      expect.objectContaining({ code: "QUORUM_NOT_MET" }),
    );
    // A cosignature moved onto another checkpoint of the same log no longer verifies.
    await ledger.append("evidence.deposited", { sha256: digest(99) });
    expect(() => verifyCheckpointWithPolicy(`${ledger.latest().note}${lineA}`, oneOfTwo)).toThrow(
      expect.objectContaining({ code: "SIGNATURE_INVALID" }),
    );
    await ledger.close();
  });
});
