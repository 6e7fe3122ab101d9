import { fixedClock } from "../../src/core/clock.js";
import { generateSignerKey } from "../../src/crypto/note-keys.js";
import { Ledger } from "../../src/ledger/ledger.js";
import type { LedgerStore } from "../../src/ledger/ledger-store.js";
import { createLogKey } from "../../src/service/log-key.js";
import { MemoryLedgerStore } from "../../src/storage/memory-store.js";

/** Deterministic "random" bytes for reproducible TEST-ONLY keys. */
export function seededBytes(seed: number): (n: number) => Uint8Array {
  let x = seed >>> 0 || 1;
  return (n) =>
    Uint8Array.from({ length: n }, () => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return x & 255;
    });
}

export const TEST_ORIGIN = "test.notarium.invalid/log";

/** A TEST-ONLY log key, derived from a public seed: never use it for anything real. */
export function testLogKey(origin = TEST_ORIGIN, seed = 1) {
  return createLogKey(generateSignerKey(origin, seededBytes(seed)));
}

export async function openTestLedger(
  opts: { store?: LedgerStore; maxBatch?: number; maxQueue?: number } = {},
) {
  const store = opts.store ?? new MemoryLedgerStore();
  await store.open();
  const clock = fixedClock("2026-11-26T10:00:00.000Z", 1);
  const key = testLogKey();
  const ledger = await Ledger.open({ store, key, clock, maxBatch: opts.maxBatch, maxQueue: opts.maxQueue });
  return { store, ledger, key, clock };
}

export const digest = (n: number) => n.toString(16).padStart(64, "0");
