import { describe, expect, it } from "vitest";
import { RefIndex } from "../../src/ledger/ref-index.js";
import { digest, openTestLedger } from "../helpers/ledger.js";

/** A store whose findByRef answers when told to, counting calls. */
function slowStore(rows: Record<string, number[]>) {
  const calls: string[] = [];
  const gates: (() => void)[] = [];
  return {
    calls,
    release: () => {
      for (const g of gates.splice(0)) g();
    },
    findByRef: (ref: string) => {
      calls.push(ref);
      const snapshot = [...(rows[ref] ?? [])];
      return new Promise<number[]>((resolve) => gates.push(() => resolve(snapshot)));
    },
  };
}

describe("RefIndex", () => {
  it("reads a ref from the store once, then keeps it current from the ledger's commits", async () => {
    const store = slowStore({ "case:a": [1, 4] });
    const index = new RefIndex(store);
    const first = index.find("case:a");
    const second = index.find("case:a"); // shares the read in flight
    store.release();
    expect(await first).toEqual([1, 4]);
    expect(await second).toEqual([1, 4]);
    index.added("case:a", 9);
    index.added("case:b", 10); // not known yet: the store will have it when it is asked
    expect(await index.find("case:a")).toEqual([1, 4, 9]);
    expect(store.calls).toEqual(["case:a"]);
  });

  it("merges entries committed while the store was being read, without repeats", async () => {
    const rows = { "case:a": [2] };
    const store = slowStore(rows);
    const index = new RefIndex(store);
    const pending = index.find("case:a");
    // Committed after the read began: 5 also reached the store's answer, 7 did not.
    index.added("case:a", 5);
    index.added("case:a", 7);
    rows["case:a"] = [2, 5];
    store.release();
    expect(await pending).toEqual([2, 5, 7]);
    expect(await index.find("case:a")).toEqual([2, 5, 7]);
  });

  it("answers a ledger's case lookups, including entries appended after the first lookup", async () => {
    const { ledger } = await openTestLedger();
    const c = "case_0123456789abcdef";
    await ledger.append("agreement.registered", {
      case: c,
      document: digest(1),
      title: "t",
      size: 1,
      parties: [],
    } as never);
    await ledger.append("evidence.deposited", { sha256: digest(2) });
    const before = await ledger.findByRef(`case:${c}`);
    expect(before).toHaveLength(1);
    const again = await ledger.append("agreement.registered", {
      case: c,
      document: digest(3),
      title: "t",
      size: 1,
      parties: [],
    } as never);
    expect(await ledger.findByRef(`case:${c}`)).toEqual([...before, again.index]);
  });
});
