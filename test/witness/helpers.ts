import { expect } from "vitest";
import { utf8 } from "../../src/core/bytes.js";
import { fixedClock } from "../../src/core/clock.js";
import { type AppError, isAppError } from "../../src/core/errors.js";
import { formatCheckpoint, signCheckpoint } from "../../src/crypto/checkpoint.js";
import {
  createCosigner,
  createSigner,
  formatVerifierKey,
  KEY_TYPE_COSIGNATURE_V1,
  KEY_TYPE_ED25519,
  type NoteSigner,
} from "../../src/crypto/note-keys.js";
import { signNote } from "../../src/crypto/signed-note.js";
import { hashLeaf } from "../../src/merkle/hash.js";
import type { WitnessContext } from "../../src/witness/add-checkpoint.js";
import { formatAddCheckpointRequest } from "../../src/witness/add-checkpoint-request.js";
import { createLogKeyring } from "../../src/witness/log-keyring.js";
import { MemoryWitnessStore } from "../../src/witness/memory-witness-store.js";
import { createWitnessMetrics } from "../../src/witness/metrics.js";
import { witnessStatusOf } from "../../src/witness/refusal-status.js";
import { startWitnessServer } from "../../src/witness/server.js";
import type { WitnessStore } from "../../src/witness/witness-store.js";
import { seededBytes } from "../helpers/ledger.js";
import { ReferenceTree } from "../merkle/reference-tree.js";

/*
 * Hand-built material for the witness tests. Every key here is TEST-ONLY,
 * derived from a public seed.
 */

export const HAND_ORIGIN = "test.notarium.invalid/hand-log";
export const NOW = "2026-11-26T10:00:00.000Z";
export const NOW_SECONDS = Date.parse(NOW) / 1000;

/** A TEST-ONLY log: an Ed25519 (0x01) signer named after its origin, and its vkey. */
export function testLog(origin = HAND_ORIGIN, seed = 11) {
  const signer = createSigner(origin, seededBytes(seed)(32));
  const vkey = formatVerifierKey(origin, KEY_TYPE_ED25519, signer.publicKey);
  return {
    origin,
    signer,
    vkey,
    sign: (size: number, root: Uint8Array) => signCheckpoint({ origin, size, root }, signer),
  };
}

/** A TEST-ONLY witness cosigner and its vkey (type 0x04). */
export function testCosigner(name = "test.notarium.invalid/court-a", seed = 21, clock = fixedClock(NOW)) {
  const cosigner = createCosigner(name, seededBytes(seed)(32), clock);
  return { cosigner, vkey: formatVerifierKey(name, KEY_TYPE_COSIGNATURE_V1, cosigner.publicKey) };
}

/** A deterministic RFC 6962 tree over `tag`-labelled leaves; another tag after `forkAt` makes a fork. */
export function handTree(n: number, tag = "main", forkAt = n): ReferenceTree {
  return new ReferenceTree(
    Array.from({ length: n }, (_, i) => hashLeaf(utf8(`leaf ${i} ${i < forkAt ? "main" : tag}`))),
  );
}

export function witnessContext(
  opts: { logs?: string[]; store?: WitnessStore; cosignerSeed?: number; name?: string } = {},
): WitnessContext & { vkey: string } {
  const clock = fixedClock(NOW);
  const { cosigner, vkey } = testCosigner(opts.name, opts.cosignerSeed, clock);
  return {
    cosigner,
    vkey,
    logs: createLogKeyring(opts.logs ?? [testLog().vkey]),
    store: opts.store ?? new MemoryWitnessStore(),
    clock,
  };
}

export function body(oldSize: number, proof: Uint8Array[], checkpoint: string): string {
  return formatAddCheckpointRequest({ oldSize, proof, checkpoint });
}

/** Awaits a refusal and returns its AppError with the HTTP status the witness answers. */
export async function refusal(
  p: Promise<unknown>,
): Promise<{ error: AppError; status: number; body: string }> {
  let thrown: unknown;
  try {
    await p;
  } catch (e) {
    thrown = e;
  }
  if (thrown === undefined) throw new Error("expected a refusal, but the witness cosigned");
  if (!isAppError(thrown)) throw thrown;
  const r = witnessStatusOf(thrown);
  return { error: thrown, status: r.status, body: r.body };
}

export async function expectRefusal(p: Promise<unknown>, status: number, code: string) {
  const r = await refusal(p);
  expect({ status: r.status, code: r.error.code }).toEqual({ status, code });
  return r;
}

/** A checkpoint note signed by `signers` (in order), e.g. a log key plus an unknown one. */
export function signedBy(origin: string, size: number, root: Uint8Array, signers: NoteSigner[]): string {
  return signNote(formatCheckpoint({ origin, size, root }), signers);
}

/** A witness server on 127.0.0.1 (port 0 unless given) over a fresh memory store, with its context. */
export async function serveWitness(opts: Parameters<typeof witnessContext>[0] & { port?: number } = {}) {
  const ctx = witnessContext(opts);
  const server = await startWitnessServer({
    witness: ctx,
    verifierKey: ctx.vkey,
    port: opts.port ?? 0,
    metrics: createWitnessMetrics({ processMetrics: false }),
  });
  return { ctx, server, url: server.url, vkey: ctx.vkey };
}

/** A fetch that records each add-checkpoint call's URL and old size. */
export function recordingFetch() {
  const calls: { url: string; old: number }[] = [];
  const fetchFn = async (url: string, init: RequestInit) => {
    calls.push({ url, old: Number(/^old (\d+)/.exec(String(init.body))?.[1]) });
    return fetch(url, init);
  };
  return { calls, fetch: fetchFn };
}
