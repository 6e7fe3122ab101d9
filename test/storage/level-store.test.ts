import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LevelLedgerStore } from "../../src/storage/level-store.js";
import { ledgerStoreContract } from "./store-contract.js";

ledgerStoreContract("LevelLedgerStore", async () => {
  const dir = join(mkdtempSync(join(tmpdir(), "notarium-store-")), "ledger");
  const store = new LevelLedgerStore(dir);
  await store.open();
  return {
    store,
    reopen: async () => {
      const s = new LevelLedgerStore(dir);
      await s.open();
      return s;
    },
  };
});

describe("LevelLedgerStore", () => {
  it("refuses a data directory another process holds, saying so", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "notarium-lock-")), "ledger");
    const a = new LevelLedgerStore(dir);
    await a.open();
    const b = new LevelLedgerStore(dir);
    await expect(b.open()).rejects.toMatchObject({ code: "DATA_DIR_LOCKED" });
    await a.close();
  });
});
