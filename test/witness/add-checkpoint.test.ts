import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { equalBytes, fromBase64, toBase64 } from "../../src/core/bytes.js";
import { parseCheckpoint } from "../../src/crypto/checkpoint.js";
import { verifyCosignature } from "../../src/crypto/cosignature.js";
import {
  createSigner,
  createVerifier,
  formatVerifierKey,
  KEY_TYPE_ED25519,
} from "../../src/crypto/note-keys.js";
import { parseNote, signNote } from "../../src/crypto/signed-note.js";
import { EMPTY_ROOT } from "../../src/merkle/hash.js";
import { LevelWitnessStore } from "../../src/storage/witness-store.js";
import { addCheckpoint, type WitnessContext } from "../../src/witness/add-checkpoint.js";
import { createLogKeyring } from "../../src/witness/log-keyring.js";
import { testBytes } from "../crypto/helpers.js";
import { seededBytes } from "../helpers/ledger.js";
import {
  body,
  expectRefusal,
  HAND_ORIGIN,
  handTree,
  NOW_SECONDS,
  signedBy,
  testLog,
  witnessContext,
} from "./helpers.js";

const log = testLog();
const tree = handTree(16);
const fork = handTree(16, "fork", 2); // shares leaves 0–1 with `tree`, then differs
const add = (ctx: WitnessContext, old: number, proof: Uint8Array[], note: string) =>
  addCheckpoint(ctx, body(old, proof, note));
const cp = (n: number) => log.sign(n, tree.root(n));
const flip = (h: Uint8Array) => Uint8Array.from(h, (b, i) => (i === 0 ? b ^ 1 : b));

async function at(size: number) {
  const ctx = witnessContext();
  await add(ctx, 0, [], cp(size));
  return ctx;
}

describe("addCheckpoint: cosigning append-only growth", () => {
  it("cosigns a first checkpoint sent with old 0 and stores its size and root", async () => {
    const ctx = witnessContext();
    const r = await add(ctx, 0, [], cp(3));
    expect(r).toMatchObject({ origin: HAND_ORIGIN, oldSize: 0, size: 3, timestamp: NOW_SECONDS });
    // One `— <name> base64(keyid || u64 time || sig)\n` line (tlog-cosignature v1.0.1).
    expect(r.cosignatures).toMatch(/^— test\.notarium\.invalid\/court-a [A-Za-z0-9+/]+=*\n$/);
    const raw = fromBase64(r.cosignatures.trim().split(" ")[2] as string);
    expect(raw).toHaveLength(4 + 8 + 64);
    const text = parseNote(cp(3)).text;
    expect(verifyCosignature(text, r.cosignatures, createVerifier(ctx.vkey))).toBe(NOW_SECONDS);
    const stored = await ctx.store.get(HAND_ORIGIN);
    expect(stored?.size).toBe(3);
    expect(equalBytes(stored?.root as Uint8Array, tree.root(3))).toBe(true);
    expect(parseNote(stored?.note as string).text).toBe(text);
  });

  it("cosigns growth proven by an RFC 6962 consistency proof, step after step", async () => {
    const ctx = await at(3);
    for (const [from, to] of [
      [3, 7],
      [7, 8],
      [8, 16],
    ] as const) {
      const r = await add(ctx, from, tree.consistencyProof(from, to), cp(to));
      expect(verifyCosignature(parseNote(cp(to)).text, r.cosignatures, createVerifier(ctx.vkey))).toBe(
        NOW_SECONDS,
      );
    }
    expect((await ctx.store.get(HAND_ORIGIN))?.size).toBe(16);
  });

  it("re-cosigns the checkpoint it already holds (same size, same root, no proof)", async () => {
    const ctx = await at(5);
    const r = await add(ctx, 5, [], cp(5));
    expect(r.size).toBe(5);
  });

  it('cosigns the empty tree when its root is SHA-256("")', async () => {
    const ctx = witnessContext();
    await add(ctx, 0, [], log.sign(0, EMPTY_ROOT));
    expect((await ctx.store.get(HAND_ORIGIN))?.size).toBe(0);
    await add(ctx, 0, [], cp(4));
  });

  it("ignores signature lines from unknown keys, before or after the log's", async () => {
    const stranger = createSigner(HAND_ORIGIN, seededBytes(99)(32)); // same name, another key: unknown
    const other = createSigner("someone.invalid/else", seededBytes(98)(32));
    const ctx = witnessContext();
    await add(ctx, 0, [], signedBy(HAND_ORIGIN, 2, tree.root(2), [stranger, log.signer, other]));
    expect((await ctx.store.get(HAND_ORIGIN))?.size).toBe(2);
    // What it keeps is the checkpoint with the trusted signature only.
    expect(
      parseNote((await ctx.store.get(HAND_ORIGIN))?.note as string).signatures.map((s) => s.name),
    ).toEqual([HAND_ORIGIN]);
  });

  it("accepts any trusted key of an origin (key rotation)", async () => {
    const next = createSigner(HAND_ORIGIN, seededBytes(12)(32));
    const ctx = witnessContext({
      logs: [log.vkey, formatVerifierKey(HAND_ORIGIN, KEY_TYPE_ED25519, next.publicKey)],
    });
    await add(ctx, 0, [], signedBy(HAND_ORIGIN, 2, tree.root(2), [next]));
    await add(ctx, 2, tree.consistencyProof(2, 4), cp(4));
  });

  it("cosigns a checkpoint with extension lines over its whole note text", async () => {
    const ctx = witnessContext();
    const text = `${HAND_ORIGIN}\n3\n${toBase64(tree.root(3))}\nextension line\n`;
    const note = signNote(text, [log.signer]);
    const r = await add(ctx, 0, [], note);
    expect(verifyCosignature(text, r.cosignatures, createVerifier(ctx.vkey))).toBe(NOW_SECONDS);
    expect(parseCheckpoint(text).extensions).toEqual(["extension line"]);
  });
});

describe("addCheckpoint: refusals with the spec's status codes, in the spec's order", () => {
  it("404 for an unknown origin, whatever else is wrong", async () => {
    const other = testLog("other.invalid/log", 13);
    const ctx = await at(3);
    await expectRefusal(add(ctx, 9, [testBytes(32)], other.sign(2, tree.root(2))), 404, "UNKNOWN_ORIGIN");
  });

  it("403 when no signature comes from a trusted key", async () => {
    const stranger = createSigner(HAND_ORIGIN, seededBytes(99)(32));
    const ctx = witnessContext();
    await expectRefusal(
      add(ctx, 0, [], signedBy(HAND_ORIGIN, 2, tree.root(2), [stranger])),
      403,
      "NO_TRUSTED_SIGNATURE",
    );
  });

  it("403 when a trusted key's signature line fails to verify, even beside a good one (C2SP#241)", async () => {
    const ctx = witnessContext({
      logs: [
        log.vkey,
        formatVerifierKey(
          HAND_ORIGIN,
          KEY_TYPE_ED25519,
          createSigner(HAND_ORIGIN, seededBytes(12)(32)).publicKey,
        ),
      ],
    });
    const good = cp(2);
    const note = parseNote(good);
    const sig = note.signatures[0];
    if (!sig) throw new Error("no signature");
    const bad = `${note.text}\n— ${sig.name} ${toBase64(Uint8Array.of(...sig.keyId, ...flip(sig.signature)))}\n`;
    await expectRefusal(add(ctx, 0, [], bad), 403, "SIGNATURE_INVALID");
    // A rotated key's line with a bad signature spoils a note the other key signed correctly.
    const next = createSigner(HAND_ORIGIN, seededBytes(12)(32));
    const nextLine = parseNote(signedBy(HAND_ORIGIN, 2, tree.root(2), [next])).signatures[0];
    if (!nextLine) throw new Error("no signature");
    const mixed = `${good}— ${nextLine.name} ${toBase64(Uint8Array.of(...nextLine.keyId, ...flip(nextLine.signature)))}\n`;
    await expectRefusal(add(ctx, 0, [], mixed), 403, "SIGNATURE_INVALID");
    expect(await ctx.store.get(HAND_ORIGIN)).toBeUndefined();
  });

  it("403 comes before 400 (bad signature and old > size)", async () => {
    const stranger = createSigner(HAND_ORIGIN, seededBytes(99)(32));
    await expectRefusal(
      add(witnessContext(), 5, [], signedBy(HAND_ORIGIN, 2, tree.root(2), [stranger])),
      403,
      "NO_TRUSTED_SIGNATURE",
    );
  });

  it("400 when old exceeds the checkpoint's size, before the stored size is compared", async () => {
    const ctx = await at(3);
    await expectRefusal(add(ctx, 4, [], cp(2)), 400, "OLD_SIZE_EXCEEDS_SIZE");
  });

  it("400 for garbage: not a request, not a note, not a checkpoint", async () => {
    const ctx = witnessContext();
    await expectRefusal(addCheckpoint(ctx, "hello\n"), 400, "MALFORMED_REQUEST");
    await expectRefusal(add(ctx, 0, [], "not a note\n"), 400, "MALFORMED_NOTE");
    await expectRefusal(
      add(ctx, 0, [], signNote("one line only\n", [log.signer])),
      400,
      "MALFORMED_CHECKPOINT",
    );
  });

  it("409 with a text/x.tlog.size body when old is not the stored size", async () => {
    const ctx = await at(3);
    for (const old of [0, 2, 5]) {
      const r = await expectRefusal(
        add(ctx, old, old === 0 ? [] : tree.consistencyProof(old, 7), cp(7)),
        409,
        "OLD_SIZE_MISMATCH",
      );
      expect(r.body).toBe("3\n");
    }
    // An origin never cosigned counts as size 0.
    const fresh = witnessContext();
    const r = await expectRefusal(
      add(fresh, 2, tree.consistencyProof(2, 7), cp(7)),
      409,
      "OLD_SIZE_MISMATCH",
    );
    expect(r.body).toBe("0\n");
  });

  it("409 for the stored size comes before 422 for a bad proof", async () => {
    const ctx = await at(3);
    await expectRefusal(add(ctx, 2, [testBytes(32)], cp(7)), 409, "OLD_SIZE_MISMATCH");
  });

  it('422 for a size-0 checkpoint whose root is not SHA-256("")', async () => {
    const ctx = witnessContext();
    await expectRefusal(add(ctx, 0, [], log.sign(0, testBytes(32))), 422, "EMPTY_TREE_ROOT_INVALID");
    expect(await ctx.store.get(HAND_ORIGIN)).toBeUndefined();
  });

  it("422 for a non-empty proof with old 0", async () => {
    await expectRefusal(add(witnessContext(), 0, [tree.root(1)], cp(2)), 422, "UNEXPECTED_PROOF");
  });

  it("422 for a consistency proof that does not verify (flipped, truncated, extended, wrong sizes)", async () => {
    const ctx = await at(3);
    const good = tree.consistencyProof(3, 7);
    const cases: Uint8Array[][] = [
      good.map((h, i) => (i === 0 ? flip(h) : h)),
      good.slice(1),
      [...good, testBytes(32)],
      tree.consistencyProof(3, 8),
      [],
    ];
    for (const proof of cases) await expectRefusal(add(ctx, 3, proof, cp(7)), 422, "PROOF_INVALID");
    await expectRefusal(add(ctx, 3, [testBytes(32)], cp(3)), 422, "PROOF_INVALID");
    expect((await ctx.store.get(HAND_ORIGIN))?.size).toBe(3);
  });

  it("409 (without a size body) for the same size with another root: a fork", async () => {
    const ctx = await at(3);
    const r = await expectRefusal(add(ctx, 3, [], log.sign(3, fork.root(3))), 409, "CONFLICTING_ROOT");
    expect(r.body).not.toMatch(/^\d+\n$/);
    expect(equalBytes((await ctx.store.get(HAND_ORIGIN))?.root as Uint8Array, tree.root(3))).toBe(true);
  });
});

describe("addCheckpoint: refused-but-signed checkpoints are kept as evidence", () => {
  it("keeps a fork with the cosigned checkpoint it contradicts", async () => {
    const ctx = await at(3);
    const forked = log.sign(3, fork.root(3));
    await expectRefusal(add(ctx, 3, [], forked), 409, "CONFLICTING_ROOT");
    const [e] = await ctx.store.listMisbehaviour();
    expect(e).toMatchObject({ origin: HAND_ORIGIN, reason: "fork", code: "CONFLICTING_ROOT", status: 409 });
    expect(e?.note).toBe(forked);
    expect(e?.conflictsWith).toBe(cp(3));
  });

  it("calls it a fork even when the fork arrives with a stale old size (409 for the size)", async () => {
    const ctx = await at(3);
    await expectRefusal(add(ctx, 0, [], log.sign(3, fork.root(3))), 409, "OLD_SIZE_MISMATCH");
    expect((await ctx.store.listMisbehaviour()).map((e) => e.reason)).toEqual(["fork"]);
  });

  it("keeps a rollback, a bad empty root and a bad proof, each labelled", async () => {
    const ctx = await at(7);
    await expectRefusal(add(ctx, 7, [], cp(3)), 400, "OLD_SIZE_EXCEEDS_SIZE");
    await expectRefusal(add(ctx, 7, [testBytes(32)], cp(9)), 422, "PROOF_INVALID");
    const empty = witnessContext();
    await expectRefusal(add(empty, 0, [], log.sign(0, testBytes(32))), 422, "EMPTY_TREE_ROOT_INVALID");
    expect((await ctx.store.listMisbehaviour()).map((e) => [e.reason, e.code])).toEqual([
      ["rollback", "OLD_SIZE_EXCEEDS_SIZE"],
      ["bad-proof", "PROOF_INVALID"],
    ]);
    const [bp] = (await ctx.store.listMisbehaviour()).slice(1);
    expect(bp).toMatchObject({ oldSize: 7, proof: [toBase64(testBytes(32))] });
    expect((await empty.store.listMisbehaviour()).map((e) => e.reason)).toEqual(["bad-empty-root"]);
  });

  it("calls a bad empty root that, and conclusive, whatever size the witness holds", async () => {
    const ctx = await at(7);
    await expectRefusal(add(ctx, 7, [], log.sign(0, testBytes(32))), 400, "OLD_SIZE_EXCEEDS_SIZE");
    await expectRefusal(add(ctx, 0, [], log.sign(0, testBytes(32, 2))), 409, "OLD_SIZE_MISMATCH");
    expect((await ctx.store.listMisbehaviour()).map((e) => e.reason)).toEqual([
      "bad-empty-root",
      "bad-empty-root",
    ]);
  });

  it("keeps nothing for unsigned, unknown-origin or garbage requests, nor for plain resyncs", async () => {
    const ctx = await at(3);
    const stranger = createSigner(HAND_ORIGIN, seededBytes(99)(32));
    await expectRefusal(
      add(ctx, 3, [], signedBy(HAND_ORIGIN, 3, fork.root(3), [stranger])),
      403,
      "NO_TRUSTED_SIGNATURE",
    );
    await expectRefusal(
      add(ctx, 0, [], testLog("other.invalid/log", 13).sign(3, fork.root(3))),
      404,
      "UNKNOWN_ORIGIN",
    );
    await expectRefusal(addCheckpoint(ctx, "old 3\n\nnonsense\n"), 400, "MALFORMED_NOTE");
    await expectRefusal(add(ctx, 0, [], cp(7)), 409, "OLD_SIZE_MISMATCH"); // a client learning the size
    await expectRefusal(add(ctx, 0, [testBytes(32)], cp(7)), 409, "OLD_SIZE_MISMATCH");
    expect(await ctx.store.listMisbehaviour()).toEqual([]);
  });

  it("records a replayed fork once, whatever junk signature lines are added to it", async () => {
    const ctx = await at(3);
    for (let i = 0; i < 5; i++) {
      const junk = createSigner(`junk${i}.invalid/x`, seededBytes(200 + i)(32));
      await expectRefusal(
        add(ctx, 3, [], signedBy(HAND_ORIGIN, 3, fork.root(3), [log.signer, junk])),
        409,
        "CONFLICTING_ROOT",
      );
    }
    expect(await ctx.store.listMisbehaviour()).toHaveLength(1);
  });
});

describe("addCheckpoint: compare-and-swap under concurrency", () => {
  it("cosigns exactly one of two different checkpoints of the same size sent at once", async () => {
    for (let round = 0; round < 10; round++) {
      const ctx = witnessContext();
      const a = log.sign(5, tree.root(5));
      const b = log.sign(5, fork.root(5));
      const results = await Promise.allSettled([add(ctx, 0, [], a), add(ctx, 0, [], b)]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const won = results[0]?.status === "fulfilled" ? tree : fork;
      expect(equalBytes((await ctx.store.get(HAND_ORIGIN))?.root as Uint8Array, won.root(5))).toBe(true);
      expect((await ctx.store.listMisbehaviour()).map((e) => e.reason)).toEqual(["fork"]);
    }
  });

  it("cosigns exactly one of them over LevelDB too, and the winner survives a reopen", async () => {
    const dir = mkdtempSync(join(tmpdir(), "notarium-witness-cas-"));
    try {
      for (let round = 0; round < 5; round++) {
        const location = join(dir, `state-${round}`);
        const store = new LevelWitnessStore(location);
        await store.open();
        const ctx = witnessContext({ store });
        const results = await Promise.allSettled([
          add(ctx, 0, [], log.sign(5, tree.root(5))),
          add(ctx, 0, [], log.sign(5, fork.root(5))),
        ]);
        expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
        const won = results[0]?.status === "fulfilled" ? tree : fork;
        await store.close();
        const reopened = new LevelWitnessStore(location);
        await reopened.open();
        expect(equalBytes((await reopened.get(HAND_ORIGIN))?.root as Uint8Array, won.root(5))).toBe(true);
        expect((await reopened.listMisbehaviour()).map((e) => e.reason)).toEqual(["fork"]);
        await reopened.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("never rolls the stored size back when growth requests race", async () => {
    const ctx = await at(2);
    const sizes = [3, 4, 5, 6, 7, 8, 9, 10];
    const results = await Promise.allSettled(
      sizes.map((n) => add(ctx, 2, tree.consistencyProof(2, n), cp(n))),
    );
    const won = sizes.filter((_, i) => results[i]?.status === "fulfilled");
    expect(won).toHaveLength(1);
    expect((await ctx.store.get(HAND_ORIGIN))?.size).toBe(won[0]);
  });

  it("uses the keyring built from log vkeys and refuses a cosigner key as a log key", () => {
    expect(createLogKeyring([log.vkey]).origins).toEqual([HAND_ORIGIN]);
    expect(() => createLogKeyring([witnessContext().vkey])).toThrow(/Ed25519 \(0x01\)/);
    expect(() => createLogKeyring([])).toThrow();
  });
});
