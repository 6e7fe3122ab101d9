import { describe, expect, it } from "vitest";
import { LookupIndex } from "../../src/ledger/lookup-index.js";
import { digest, openTestLedger } from "../helpers/ledger.js";

/** A store index that answers when told to, counting calls. */
function slowStore(rows: Record<string, number[]>) {
  const calls: string[] = [];
  const gates: (() => void)[] = [];
  return {
    calls,
    release: () => {
      for (const g of gates.splice(0)) g();
    },
    load: (key: string, limit: number) => {
      calls.push(key);
      const snapshot = (rows[key] ?? []).slice(0, limit);
      return new Promise<number[]>((resolve) => gates.push(() => resolve(snapshot)));
    },
  };
}

describe("LookupIndex", () => {
  const options = { maxKeys: 2, loadLimit: 3 };

  it("with oldestOnly, keeps only the oldest loadLimit of a key that keeps getting entries", async () => {
    const rows: Record<string, number[]> = { d: [1] };
    const store = slowStore(rows);
    const index = new LookupIndex({ ...options, oldestOnly: true, load: store.load });
    const pending = index.find("d");
    index.added("d", 5); // committed during the read
    index.added("d", 6);
    index.added("d", 7);
    store.release();
    expect(await pending).toEqual([1, 5, 6]);
    for (let i = 8; i < 10_000; i++) index.added("d", i); // one file deposited again and again
    expect(await index.find("d")).toEqual([1, 5, 6]);
    // A key with more than loadLimit stored is known from its first read too: its oldest are all asked for.
    rows.e = [2, 3, 4, 8];
    const e = index.find("e");
    store.release();
    expect(await e).toEqual([2, 3, 4]);
    index.added("e", 9);
    expect(await index.find("e")).toEqual([2, 3, 4]);
    expect(store.calls).toEqual(["d", "e"]);
  });

  it("reads a ref from the store once, then keeps it current from the ledger's commits", async () => {
    const store = slowStore({ "case:a": [1, 4] });
    const index = new LookupIndex({ ...options, load: store.load });
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
    const index = new LookupIndex({ ...options, load: store.load });
    const pending = index.find("case:a");
    // Committed after the read began: 5 also reached the store's answer, 7 did not.
    index.added("case:a", 5);
    index.added("case:a", 7);
    rows["case:a"] = [2, 5];
    store.release();
    expect(await pending).toEqual([2, 5, 7]);
    expect(await index.find("case:a")).toEqual([2, 5, 7]);
  });

  it("forgets the least recently asked key past maxKeys, and never keeps a key at loadLimit", async () => {
    const store = slowStore({ a: [1], b: [2], c: [3], many: [4, 5, 6, 7] });
    const index = new LookupIndex({ ...options, load: store.load });
    const ask = async (key: string) => {
      const p = index.find(key);
      store.release();
      return p;
    };
    await ask("a");
    await ask("b");
    await ask("a"); // a is now the more recent
    await ask("c"); // b leaves
    expect(store.calls).toEqual(["a", "b", "c"]);
    await ask("a");
    await ask("b");
    expect(store.calls).toEqual(["a", "b", "c", "b"]);
    expect(await ask("many")).toEqual([4, 5, 6]);
    expect(await ask("many")).toEqual([4, 5, 6]);
    expect(store.calls.filter((k) => k === "many")).toHaveLength(2);
  });

  it("answers a ledger's digest lookups, including entries appended after the first lookup", async () => {
    const { ledger } = await openTestLedger();
    const first = await ledger.append("evidence.deposited", { sha256: digest(7) });
    await ledger.append("evidence.deposited", { sha256: digest(8) });
    expect(await ledger.findByDigest(digest(7))).toEqual([first.index]);
    expect(await ledger.findByDigest(digest(9))).toEqual([]);
    const again = await ledger.appendAll([
      { type: "evidence.deposited", body: { sha256: digest(7) } },
      { type: "evidence.deposited", body: { sha256: digest(9) } },
    ]);
    expect(await ledger.findByDigest(digest(7))).toEqual([first.index, again[0]?.index]);
    expect(await ledger.findByDigest(digest(7), 1)).toEqual([first.index]);
    // A digest first asked as "not recorded" learns of its entry too.
    expect(await ledger.findByDigest(digest(9))).toEqual([again[1]?.index]);
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
