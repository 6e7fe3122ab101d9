import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Level } from "level";
import { afterAll, describe, expect, it } from "vitest";
import { equalBytes, toHex, utf8 } from "../../src/core/bytes.js";
import { sha256 } from "../../src/crypto/sha256.js";
import { LevelWitnessStore } from "../../src/storage/witness-store.js";
import { MemoryWitnessStore } from "../../src/witness/memory-witness-store.js";
import type { MisbehaviourDetails, WitnessStore } from "../../src/witness/witness-store.js";
import { testBytes } from "../crypto/helpers.js";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "notarium-witness-store-"));
  dirs.push(d);
  return d;
}

const details = (code = "CONFLICTING_ROOT"): MisbehaviourDetails => ({
  recordedAt: "2026-11-26T10:00:00.000Z",
  code,
  status: 409,
});

/** One contract, run against every WitnessStore. */
function contract(name: string, make: (leadsKept?: number) => WitnessStore) {
  describe(`WitnessStore contract: ${name}`, () => {
    const open = async () => {
      const s = make();
      await s.open();
      return s;
    };

    it("knows nothing about an origin it never stored", async () => {
      const s = await open();
      expect(await s.get("a.invalid/log")).toBeUndefined();
      expect(await s.listMisbehaviour()).toEqual([]);
      await s.close();
    });

    it("stores the first state only when nothing is stored (expected undefined)", async () => {
      const s = await open();
      expect(await s.compareAndSwap("a.invalid/log", 0, 3, testBytes(32, 1))).toBe(false);
      expect(await s.compareAndSwap("a.invalid/log", undefined, 3, testBytes(32, 1), "note\n")).toBe(true);
      expect(await s.compareAndSwap("a.invalid/log", undefined, 4, testBytes(32, 2))).toBe(false);
      const got = await s.get("a.invalid/log");
      expect(got?.size).toBe(3);
      expect(equalBytes(got?.root as Uint8Array, testBytes(32, 1))).toBe(true);
      expect(got?.note).toBe("note\n");
      await s.close();
    });

    it("swaps only from the expected size, and keeps origins apart", async () => {
      const s = await open();
      await s.compareAndSwap("a.invalid/log", undefined, 3, testBytes(32, 1));
      await s.compareAndSwap("b.invalid/log", undefined, 9, testBytes(32, 9));
      expect(await s.compareAndSwap("a.invalid/log", 2, 5, testBytes(32, 2))).toBe(false);
      expect(await s.compareAndSwap("a.invalid/log", 3, 5, testBytes(32, 2))).toBe(true);
      expect((await s.get("a.invalid/log"))?.size).toBe(5);
      expect((await s.get("b.invalid/log"))?.size).toBe(9);
      await s.close();
    });

    it("lets exactly one of many concurrent swaps from the same size win", async () => {
      const s = await open();
      await s.compareAndSwap("a.invalid/log", undefined, 1, testBytes(32, 1));
      const wins = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          s.compareAndSwap("a.invalid/log", 1, 2 + i, testBytes(32, 2 + i)),
        ),
      );
      expect(wins.filter(Boolean)).toHaveLength(1);
      const winner = wins.indexOf(true);
      expect((await s.get("a.invalid/log"))?.size).toBe(2 + winner);
      await s.close();
    });

    it("hands out copies: mutating a returned root changes nothing stored", async () => {
      const s = await open();
      await s.compareAndSwap("a.invalid/log", undefined, 1, testBytes(32, 1));
      const got = await s.get("a.invalid/log");
      got?.root.fill(0);
      expect(equalBytes((await s.get("a.invalid/log"))?.root as Uint8Array, testBytes(32, 1))).toBe(true);
      await s.close();
    });

    it("keeps evidence once per (origin, reason, note), conclusive records first, up to a limit", async () => {
      const s = await open();
      expect(await s.recordMisbehaviour("a.invalid/log", "n1\n", "fork", details())).toBe(true);
      await s.recordMisbehaviour("a.invalid/log", "n2\n", "rollback", details("OLD_SIZE_EXCEEDS_SIZE"));
      expect(
        await s.recordMisbehaviour("a.invalid/log", "n1\n", "fork", { ...details(), recordedAt: "later" }),
      ).toBe(false);
      await s.recordMisbehaviour("b.invalid/log", "n1\n", "fork", details());
      const all = await s.listMisbehaviour();
      expect(all.map((e) => [e.origin, e.reason, e.note])).toEqual([
        ["a.invalid/log", "fork", "n1\n"],
        ["b.invalid/log", "fork", "n1\n"],
        ["a.invalid/log", "rollback", "n2\n"],
      ]);
      expect(all[0]?.recordedAt).toBe("2026-11-26T10:00:00.000Z");
      expect(await s.listMisbehaviour(2)).toHaveLength(2);
      expect(await s.listMisbehaviour(0)).toEqual([]);
      await s.close();
    });

    it("keeps only the newest leads, so replayed old checkpoints never hide a fork", async () => {
      const s = make(3);
      await s.open();
      await s.recordMisbehaviour("a.invalid/log", "early fork\n", "fork", details());
      for (let i = 0; i < 6; i++)
        await s.recordMisbehaviour(
          "a.invalid/log",
          `old ${i}\n`,
          "rollback",
          details("OLD_SIZE_EXCEEDS_SIZE"),
        );
      await s.recordMisbehaviour("a.invalid/log", "late fork\n", "fork", details());
      // A dropped lead may be kept again (it was forgotten), a kept one is not.
      expect(await s.recordMisbehaviour("a.invalid/log", "old 5\n", "rollback", details())).toBe(false);
      expect((await s.listMisbehaviour()).map((e) => e.note)).toEqual([
        "early fork\n",
        "late fork\n",
        "old 3\n",
        "old 4\n",
        "old 5\n",
      ]);
      expect(await s.recordMisbehaviour("a.invalid/log", "old 0\n", "rollback", details())).toBe(true);
      expect((await s.listMisbehaviour()).map((e) => e.note).slice(2)).toEqual([
        "old 4\n",
        "old 5\n",
        "old 0\n",
      ]);
      await s.close();
    });
  });
}

contract("memory", (n) => new MemoryWitnessStore(n));
contract("LevelDB", (n) => new LevelWitnessStore(join(tempDir(), "state"), n));

describe("LevelWitnessStore", () => {
  it("keeps state and evidence across a restart, and numbers new evidence after the old", async () => {
    const dir = join(tempDir(), "state");
    const a = new LevelWitnessStore(dir);
    await a.open();
    await a.compareAndSwap("a.invalid/log", undefined, 7, testBytes(32, 7), "seven\n");
    await a.recordMisbehaviour("a.invalid/log", "n1\n", "fork", details());
    await a.close();
    const b = new LevelWitnessStore(dir);
    await b.open();
    expect((await b.get("a.invalid/log"))?.size).toBe(7);
    expect((await b.get("a.invalid/log"))?.note).toBe("seven\n");
    await b.recordMisbehaviour("a.invalid/log", "n1\n", "fork", details());
    await b.recordMisbehaviour("a.invalid/log", "n2\n", "bad-proof", details("PROOF_INVALID"));
    await b.recordMisbehaviour("a.invalid/log", "n0\n", "fork", details());
    expect((await b.listMisbehaviour()).map((e) => e.note)).toEqual(["n1\n", "n0\n", "n2\n"]);
    await b.close();
    // Leads keep their numbering and their cap across a restart too.
    const c = new LevelWitnessStore(dir, 2);
    await c.open();
    await c.recordMisbehaviour("a.invalid/log", "n3\n", "bad-proof", details("PROOF_INVALID"));
    await c.recordMisbehaviour("a.invalid/log", "n4\n", "bad-proof", details("PROOF_INVALID"));
    expect((await c.listMisbehaviour()).map((e) => e.note)).toEqual(["n1\n", "n0\n", "n3\n", "n4\n"]);
    await c.close();
  });

  it("moves the leads of older witness data out of the way of the forks, once", async () => {
    // The layout before leads had their own place: every record under evidence!<seq>.
    const dir = join(tempDir(), "state");
    const old = new Level<string, string>(dir, { keyEncoding: "utf8", valueEncoding: "utf8" });
    const notes = ["old 0\n", "old 1\n", "old fork\n", "old 2\n", "old 3\n", "old 4\n", "old 5\n"];
    for (const [i, note] of notes.entries()) {
      const reason = note.includes("fork") ? "fork" : "rollback";
      const record = { origin: "a.invalid/log", reason, note, ...details() };
      const seq = String(i).padStart(16, "0");
      await old.put(`evidence!${seq}`, JSON.stringify(record));
      await old.put(`evkey!${toHex(sha256(utf8(`a.invalid/log\n${reason}\n${note}`)))}`, seq);
    }
    await old.close();
    const s = new LevelWitnessStore(dir, 3);
    await s.open();
    await s.recordMisbehaviour("a.invalid/log", "new fork\n", "fork", details());
    const listed = async () => (await s.listMisbehaviour()).map((e) => e.note);
    expect(await listed()).toEqual(["old fork\n", "new fork\n", "old 3\n", "old 4\n", "old 5\n"]);
    // Moved leads are still known; dropped ones are forgotten.
    expect(await s.recordMisbehaviour("a.invalid/log", "old 5\n", "rollback", details())).toBe(false);
    expect(await s.recordMisbehaviour("a.invalid/log", "old 0\n", "rollback", details())).toBe(true);
    await s.close();
    const again = new LevelWitnessStore(dir, 3);
    await again.open();
    expect((await again.listMisbehaviour()).map((e) => e.note)).toEqual([
      "old fork\n",
      "new fork\n",
      "old 4\n",
      "old 5\n",
      "old 0\n",
    ]);
    await again.close();
  });

  it("refuses a directory another process (or store) holds, with DATA_DIR_LOCKED", async () => {
    const dir = join(tempDir(), "state");
    const a = new LevelWitnessStore(dir);
    await a.open();
    await expect(new LevelWitnessStore(dir).open()).rejects.toMatchObject({ code: "DATA_DIR_LOCKED" });
    await a.close();
  });
});
