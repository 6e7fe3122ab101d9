import { describe, expect, it } from "vitest";
import { utf8 } from "../../src/core/bytes.js";
import { canonicalJson } from "../../src/core/canonical-json.js";
import { auditLedger } from "../../src/ledger/audit.js";
import { parseEntry } from "../../src/ledger/entry.js";
import type { StoredCheckpoint } from "../../src/ledger/ledger-store.js";
import type { MemoryLedgerStore } from "../../src/storage/memory-store.js";
import { digest, openTestLedger } from "../helpers/ledger.js";

async function filled(n = 100) {
  const t = await openTestLedger({ maxBatch: 16 });
  await Promise.all(
    Array.from({ length: n }, (_, i) => t.ledger.append("evidence.deposited", { sha256: digest(i) })),
  );
  return { ...t, mem: t.store as MemoryLedgerStore };
}

describe("auditLedger", () => {
  it("passes an intact log and counts its entries and blocks", async () => {
    const { store, key, ledger } = await filled();
    const r = await auditLedger(store, key);
    expect(r).toMatchObject({ ok: true, entries: 100, blocks: ledger.latest().blockHeight + 1 });
  });

  it("names the first entry whose bytes were changed", async () => {
    const { mem, key } = await filled();
    const e = parseEntry((await mem.getEntry(37)) as Uint8Array);
    mem.tamperEntry(37, utf8(canonicalJson({ ...e, body: { sha256: digest(999) } })));
    const r = await auditLedger(mem, key);
    expect(r.ok).toBe(false);
    expect(r.firstProblem?.index).toBe(37);
  });

  it("detects a broken prev link even when the tree was rebuilt to match", async () => {
    const { mem, key } = await filled(10);
    const e = parseEntry((await mem.getEntry(4)) as Uint8Array);
    mem.tamperEntry(4, utf8(canonicalJson({ ...e, prev: "0".repeat(64) })));
    const r = await auditLedger(mem, key);
    expect(r.firstProblem).toMatchObject({ index: 4 });
    expect(r.firstProblem?.problem).toMatch(/prev/);
  });

  it("detects a damaged stored Merkle node", async () => {
    const { mem, key } = await filled(64);
    (mem as unknown as { nodes: Map<number, Uint8Array>[] }).nodes[2]?.set(3, new Uint8Array(32));
    const r = await auditLedger(mem, key);
    expect(r.ok).toBe(false);
    expect(r.firstProblem?.index).toBe(12);
  });

  it("detects a checkpoint whose signature no longer verifies", async () => {
    const { mem, key } = await filled(40);
    const cps = (mem as unknown as { checkpoints: StoredCheckpoint[] }).checkpoints;
    const victim = cps[2] as StoredCheckpoint;
    victim.note = victim.note
      .replace(/\n(\d+)\n/, (_, n) => `\n${Number(n) + 0}\n`)
      .replace(/— (\S+) (.)/, (_, k, c) => `— ${k} ${c === "A" ? "B" : "A"}`);
    const r = await auditLedger(mem, key);
    expect(r.firstProblem?.blockHeight).toBe(2);
  });
});
