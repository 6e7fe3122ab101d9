import { serialize } from "node:v8";
import { describe, expect, it } from "vitest";
import { AsciiChunks } from "../../src/http/ascii-chunks.js";
import { asciiJson } from "../../src/http/ascii-json.js";
import {
  appendedReceiptJson,
  appendedReceiptsJson,
  receiptJson,
  verdictJson,
} from "../../src/http/receipt-json.js";
import {
  depositEvidenceBatch,
  recordEvidence,
  recordEvidenceBatch,
} from "../../src/service/deposit-evidence.js";
import { receiptForAppended } from "../../src/service/receipts.js";
import { verifyDigest } from "../../src/service/verify-evidence.js";
import { digest, openTestLedger } from "../helpers/ledger.js";

const text = (chunks: readonly Buffer[]) => Buffer.concat(chunks);
const isAscii = (b: Buffer) => b.every((x) => x < 0x80);
// V8's serializer tags a string with its representation: '"' one byte per character, 'c' two.
const isOneByteString = (s: string) => serialize(s)[2] === 0x22;

describe("receipt JSON", () => {
  it("parses back to the receipt, as ASCII, for titles in any script", async () => {
    const { ledger } = await openTestLedger();
    const receipts = await depositEvidenceBatch(ledger, [
      { sha256: digest(1), title: "调解协议 第1号 — “签字版” 😀" },
      { sha256: digest(2), title: 'quote " backslash \\ newline \n tab \t' },
      { sha256: digest(3) },
    ]);
    for (const r of receipts) {
      const bytes = Buffer.from(receiptJson(r), "latin1");
      expect(isAscii(bytes)).toBe(true);
      expect(JSON.parse(bytes.toString("utf8"))).toEqual(r);
      // Same value as the generic encoder, field order included.
      expect(bytes.toString("latin1")).toBe(asciiJson(r));
    }
  });

  it("writes a fresh append's receipt as the receipt's own text, for blocks of every shape", async () => {
    const { ledger } = await openTestLedger();
    // The first entry of a log has an empty proof: `[]`, never `[""]`.
    const first = await recordEvidence(ledger, { sha256: digest(0) });
    expect(JSON.parse(appendedReceiptJson(first)).inclusionProof).toEqual([]);
    expect(JSON.parse(receiptJson(receiptForAppended(first))).inclusionProof).toEqual([]);
    // Blocks of 1 to 40 entries after trees of every size from 1 to about 800: ragged right
    // edges, proofs of different lengths within a block, tails shared and not.
    let seq = 1;
    for (let n = 1; n <= 40; n++) {
      const items = Array.from({ length: n }, (_, i) =>
        i % 5 === 1 ? { sha256: digest(seq++), title: `第${i}号 — "q" \\ ${i}` } : { sha256: digest(seq++) },
      );
      for (const a of await recordEvidenceBatch(ledger, items)) {
        const r = receiptForAppended(a);
        const t = appendedReceiptJson(a);
        expect(t).toBe(asciiJson(r));
        expect(t).toBe(receiptJson(r));
      }
    }
  });

  it("writes a batch across many buffers, and a receipt-shaped copy the careful way", async () => {
    const { ledger } = await openTestLedger();
    const appended = await recordEvidenceBatch(
      ledger,
      Array.from({ length: 120 }, (_, i) => ({ sha256: digest(i) })),
    );
    const chunks = appendedReceiptsJson(appended);
    expect(chunks.length).toBeGreaterThan(2); // > 64 KiB of answer
    const bytes = text(chunks);
    expect(isAscii(bytes)).toBe(true);
    const receipts = appended.map(receiptForAppended);
    expect(JSON.parse(bytes.toString("utf8"))).toEqual({ receipts });
    expect(bytes.toString("latin1")).toBe(asciiJson({ receipts }));
    // A copy is not a built receipt: it is encoded in full, to the same text.
    const copy = { ...(receipts[7] as (typeof receipts)[number]) };
    expect(receiptJson(copy)).toBe(receiptJson(receipts[7] as typeof copy));
  });

  it("AsciiChunks keeps pieces larger than a chunk whole and in order", () => {
    const out = new AsciiChunks();
    const big = "x".repeat(100_000);
    out.write("[").write(`"${big}"`).write("]");
    expect(out.length).toBe(big.length + 4);
    expect(text(out.finish()).toString("latin1")).toBe(`["${big}"]`);
  });

  it("asciiJson escapes every non-ASCII code unit, surrogates included", () => {
    const v = { s: "签 — 😀 é", lone: "\ud800" };
    const t = asciiJson(v);
    expect(/^[\x20-\x7e]*$/.test(t)).toBe(true);
    expect(JSON.parse(t)).toEqual(v);
    expect(t).toContain("\\ud83d\\ude00");
  });

  it("writes a verdict as its value, in a one-byte string even where the checkpoint's em dash went in", async () => {
    const { ledger } = await openTestLedger();
    await depositEvidenceBatch(ledger, [
      { sha256: digest(1), title: "调解协议 — 第1号" },
      { sha256: digest(1) },
      { sha256: digest(2) },
    ]);
    for (const d of [digest(1), digest(2), digest(3)]) {
      const v = await verifyDigest(ledger, d);
      const json = verdictJson(v);
      expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(v)));
      expect(isAscii(Buffer.from(json, "latin1"))).toBe(true);
      // A two-byte one would be transcoded again on every answer sent from the cache.
      expect(isOneByteString(json)).toBe(true);
    }
    expect(isOneByteString("—")).toBe(false); // the probe tells the two apart
  });
});
