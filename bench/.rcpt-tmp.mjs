import { randomBytes } from "node:crypto";
import { fromUtf8, toBase64, toHex } from "../dist/core/bytes.js";
import { parseCheckpoint } from "../dist/crypto/checkpoint.js";
import { parseNote } from "../dist/crypto/signed-note.js";
import { formatTlogProof, parseTlogProof } from "../dist/crypto/tlog-proof.js";

const note =
  "notarium.local/63a49f58\n123456\nahBPo/3vsFMuuE2Rwcwynm3PmmsMEbvZnRJU5/BSFbg=\n\n— notarium.local/63a49f58 ZAuBDt1G3XDY3XHyMINpuwo7we59Y1cuDno7ncP3xRo0YHCqNXVDqteGqKIk4pA09oHEoJv3N5oP2fdXBcFjuwaoUgQ=\n";
const data = new Uint8Array(randomBytes(230)).map((x) => 65 + (x % 26));
const proof = Array.from({ length: 17 }, () => new Uint8Array(randomBytes(32)));
const time = (label, f, n = 20000) => {
  for (let i = 0; i < 1000; i++) f();
  const t = performance.now();
  for (let i = 0; i < n; i++) f();
  console.log(label, (((performance.now() - t) / n) * 1000).toFixed(2), "us");
};
time("toHex x17", () => proof.map(toHex));
time("toBase64 entry", () => toBase64(data));
time("toBase64 x17", () => proof.map(toBase64));
time("fromUtf8", () => fromUtf8(data));
time("parseNote", () => parseNote(note));
time("parseCheckpoint", () => parseCheckpoint(parseNote(note).text));
time("formatTlogProof", () => formatTlogProof({ extra: data, index: 5, proof, checkpoint: note }));
