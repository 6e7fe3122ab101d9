import { describe, expect, it } from "vitest";
import { fromUtf8, toHex } from "../../src/core/bytes.js";
import { openCheckpoint } from "../../src/crypto/checkpoint.js";
import { createVerifier } from "../../src/crypto/note-keys.js";
import { auditMirror, type MirrorPage } from "../../src/ledger/audit-mirror.js";
import { digest, openTestLedger } from "../helpers/ledger.js";

async function served(n: number) {
  const t = await openTestLedger({ maxBatch: 16 });
  await Promise.all(
    Array.from({ length: n }, (_, i) => t.ledger.append("evidence.deposited", { sha256: digest(i) })),
  );
  const entries: MirrorPage["entries"] = [];
  for await (const e of t.store.iterateEntries(0))
    entries.push({
      index: e.index,
      txHash: toHex(await t.ledger.leafHash(e.index)),
      entry: fromUtf8(e.data),
    });
  const cp = openCheckpoint(t.ledger.latest().note, createVerifier(t.key.verifierKey)).checkpoint;
  const pages = (list: MirrorPage["entries"]) => async (from: number) => ({
    entries: list.slice(from, from + 7),
  });
  return { entries, cp, pages };
}

describe("auditMirror", () => {
  it("rebuilds a served log page by page up to a verified checkpoint", async () => {
    const { entries, cp, pages } = await served(50);
    expect(await auditMirror(pages(entries), cp)).toMatchObject({ ok: true, entries: 50 });
  });

  it("names the first bad index of a doctored, reordered or short log", async () => {
    const { entries, cp, pages } = await served(30);
    const doctored = entries.map((e) =>
      e.index === 11 ? { ...e, entry: e.entry.replace(/"sha256":"0/, '"sha256":"1') } : e,
    );
    expect((await auditMirror(pages(doctored), cp)).firstProblem?.index).toBe(11);
    const swapped = [...entries];
    [swapped[3], swapped[4]] = [
      swapped[4] as (typeof entries)[number],
      swapped[3] as (typeof entries)[number],
    ];
    expect((await auditMirror(pages(swapped), cp)).firstProblem?.index).toBe(3);
    expect((await auditMirror(pages(entries.slice(0, 20)), cp)).firstProblem?.index).toBe(20);
    const otherRoot = { ...cp, root: new Uint8Array(32) };
    expect((await auditMirror(pages(entries), otherRoot)).ok).toBe(false);
  });
});
