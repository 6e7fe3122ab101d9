import { MemoryLedgerStore } from "../../src/storage/memory-store.js";
import { ledgerStoreContract } from "./store-contract.js";

ledgerStoreContract("MemoryLedgerStore", async () => {
  const store = new MemoryLedgerStore();
  await store.open();
  return { store };
});
