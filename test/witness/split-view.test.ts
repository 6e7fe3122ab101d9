import { afterEach, describe, expect, it } from "vitest";
import { equalBytes, utf8 } from "../../src/core/bytes.js";
import { fixedClock } from "../../src/core/clock.js";
import { openCheckpoint } from "../../src/crypto/checkpoint.js";
import { createVerifier } from "../../src/crypto/note-keys.js";
import { parseNote } from "../../src/crypto/signed-note.js";
import { parsePolicy, verifyCheckpointWithPolicy } from "../../src/crypto/tlog-policy.js";
import { hashLeaf } from "../../src/merkle/hash.js";
import { WitnessCoordinator } from "../../src/witness/log-client.js";
import { digest, openTestLedger, TEST_ORIGIN } from "../helpers/ledger.js";
import { ReferenceTree } from "../merkle/reference-tree.js";
import { NOW, serveWitness } from "./helpers.js";

/*
 * The split-view drill (DESIGN §11, issue 6): a log signs two different
 * checkpoints of the same size with one key and tries to show one to the
 * courts and the other to a party. The witnesses refuse the second and keep
 * it as evidence, the log's coordinator sees the conflict (its alert), and a
 * verifier holding the quorum policy rejects the fork's checkpoint.
 */

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe("split-view drill", () => {
  it("the witnesses refuse a fork, keep it as proof, and a quorum verifier rejects it", async () => {
    const { ledger, key } = await openTestLedger();
    cleanups.push(() => ledger.close());
    const courts = [
      await serveWitness({
        logs: [key.verifierKey],
        name: "test.notarium.invalid/court-a",
        cosignerSeed: 21,
      }),
      await serveWitness({
        logs: [key.verifierKey],
        name: "test.notarium.invalid/court-b",
        cosignerSeed: 22,
      }),
    ];
    for (const c of courts) cleanups.push(() => c.server.close());
    const policy = parsePolicy(
      [
        `log ${key.verifierKey}`,
        `witness A ${courts[0]?.vkey} ${courts[0]?.url}`,
        `witness B ${courts[1]?.vkey} ${courts[1]?.url}`,
        "group courts any A B", // even the weakest quorum catches the fork
        "quorum courts",
        "",
      ].join("\n"),
    );

    // The honest history, witnessed as the log goes.
    const honest = new WitnessCoordinator({
      policy,
      proveConsistency: (a, b) => ledger.proveConsistency(a, b),
      fetch,
      clock: fixedClock(NOW),
    });
    for (let i = 0; i < 4; i++) await ledger.append("evidence.deposited", { sha256: digest(i) });
    const shown = await honest.witness(ledger.latest().note);
    expect(shown.quorum).toBe(true);
    verifyCheckpointWithPolicy(shown.note, policy);

    // The fork: the same key signs another tree of the same size (entries 2 and 3 swapped out).
    const size = ledger.size;
    const leaves = await Promise.all(Array.from({ length: size }, (_, i) => ledger.leafHash(i)));
    const forged = new ReferenceTree(leaves.map((h, i) => (i < 2 ? h : hashLeaf(utf8(`hidden entry ${i}`)))));
    const forkNote = key.signCheckpoint({ origin: TEST_ORIGIN, size, root: forged.root(size) });
    const fork = new WitnessCoordinator({
      policy,
      proveConsistency: async (a, b) => forged.consistencyProof(a, b),
      fetch,
      clock: fixedClock(NOW),
    });
    const attempt = await fork.witness(forkNote);

    // 1. Both witnesses refuse it (409: same size, another root) and the log side sees a conflict.
    expect(attempt.results.map((r) => [r.witness, r.outcome, r.httpStatus, r.conflict])).toEqual([
      ["A", "refused", 409, true],
      ["B", "refused", 409, true],
    ]);
    expect(attempt.quorum).toBe(false);
    expect(attempt.note).toBe(forkNote);

    // 2. Each keeps the fork beside the checkpoint it cosigned: two log-signed roots for one size.
    for (const court of courts) {
      const { evidence } = await (await fetch(`${court.url}/misbehaviour`)).json();
      expect(evidence).toHaveLength(1);
      const [e] = evidence;
      expect(e).toMatchObject({ origin: TEST_ORIGIN, reason: "fork", conclusive: true });
      const verifier = createVerifier(key.verifierKey);
      const refused = openCheckpoint(e.note, verifier).checkpoint;
      const cosigned = openCheckpoint(e.conflictsWith, verifier).checkpoint;
      expect(refused.size).toBe(cosigned.size);
      expect(equalBytes(refused.root, cosigned.root)).toBe(false);
    }

    // 3. A party shown the fork, holding the courts' policy, rejects it.
    expect(() => verifyCheckpointWithPolicy(forkNote, policy)).toThrow(
      expect.objectContaining({ code: "QUORUM_NOT_MET" }),
    );
    // Copying the honest cosignatures onto the fork does not help: they do not verify on it.
    const honestCosigs = parseNote(shown.note)
      .signatures.slice(1)
      .map((s) => s.line)
      .join("");
    expect(() => verifyCheckpointWithPolicy(`${forkNote}${honestCosigs}`, policy)).toThrow(
      expect.objectContaining({ code: "SIGNATURE_INVALID" }),
    );

    // 4. Growing the fork does not help either: no proof links it to what the courts hold (422).
    const bigger = new ReferenceTree([
      ...Array.from({ length: size }, (_, i) => forged.mth(i, i + 1)),
      hashLeaf(utf8("x")),
    ]);
    const grown = await new WitnessCoordinator({
      policy,
      proveConsistency: async (a, b) => bigger.consistencyProof(a, b),
      fetch,
      clock: fixedClock(NOW),
    }).witness(key.signCheckpoint({ origin: TEST_ORIGIN, size: size + 1, root: bigger.root(size + 1) }));
    expect(grown.results.map((r) => [r.outcome, r.httpStatus, r.conflict])).toEqual([
      ["refused", 422, true],
      ["refused", 422, true],
    ]);

    // 5. The honest log carries on, witnessed as before.
    await ledger.append("evidence.deposited", { sha256: digest(9) });
    expect((await honest.witness(ledger.latest().note)).quorum).toBe(true);
  });
});
