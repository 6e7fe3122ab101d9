import { afterAll, describe, expect, it } from "vitest";
import { utf8 } from "../../src/core/bytes.js";
import { ed25519 } from "../../src/crypto/ed25519.js";
import { stopVerifyThread, verifyEd25519OffThread } from "../../src/crypto/ed25519-thread.js";
import { fixture, hex } from "./helpers.js";

interface WycheproofFile {
  testGroups: {
    publicKey: { pk: string };
    tests: { tcId: number; msg: string; sig: string; result: "valid" | "invalid" | "acceptable" }[];
  }[];
}
const wycheproof = JSON.parse(fixture("vectors/wycheproof/ed25519_test.json")) as WycheproofFile;
const cases = wycheproof.testGroups.flatMap((g) => g.tests.map((t) => ({ ...t, pk: g.publicKey.pk })));
const args = (c: (typeof cases)[number]) => [hex(c.sig), hex(c.msg), hex(c.pk)] as const;

afterAll(() => stopVerifyThread());

describe("Ed25519 verification on the verifying thread", () => {
  it("gives Wycheproof's verdicts, every case asked at once (and so sent in batches)", async () => {
    const verdicts = await Promise.all(cases.map((c) => verifyEd25519OffThread(...args(c))));
    const wrong = cases.filter((c, i) => (c.result === "valid") !== verdicts[i]);
    expect(wrong.map((c) => c.tcId)).toEqual([]);
    // The same verdicts as the calling thread's strict verification, case by case.
    expect(verdicts).toEqual(cases.map((c) => ed25519.verify(...args(c))));
  });

  it("answers in order across batches, with views into larger buffers", async () => {
    const seed = new Uint8Array(32).fill(7);
    const key = ed25519.publicKey(seed);
    const asks: Promise<boolean>[] = [];
    const expected: boolean[] = [];
    for (let i = 0; i < 50; i++) {
      const message = utf8(`message ${i}`);
      const signature = ed25519.sign(message, seed);
      if (i % 3 === 0) signature[40] = (signature[40] as number) ^ 1;
      const big = new Uint8Array(1000);
      big.set(message, 100);
      asks.push(verifyEd25519OffThread(signature, big.subarray(100, 100 + message.length), key));
      expected.push(i % 3 !== 0);
      if (i % 10 === 9) await new Promise((r) => setImmediate(r)); // a new batch
    }
    expect(await Promise.all(asks)).toEqual(expected);
  });

  it("refuses malformed arguments as the calling thread does, and survives its thread being stopped", async () => {
    await expect(verifyEd25519OffThread(new Uint8Array(64), utf8("m"), new Uint8Array(31))).rejects.toThrow(
      /public key/,
    );
    const seed = new Uint8Array(32).fill(9);
    const message = utf8("still verified");
    const signature = ed25519.sign(message, seed);
    const pending = verifyEd25519OffThread(signature, message, ed25519.publicKey(seed));
    await stopVerifyThread(); // what was asked is answered on this thread instead
    expect(await pending).toBe(true);
    expect(await verifyEd25519OffThread(signature, utf8("other"), ed25519.publicKey(seed))).toBe(false);
  });
});
