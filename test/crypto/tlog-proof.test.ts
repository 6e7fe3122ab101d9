import { describe, expect, it } from "vitest";
import { toBase64, utf8 } from "../../src/core/bytes.js";
import { ValidationError } from "../../src/core/errors.js";
import { openCheckpoint, signCheckpoint } from "../../src/crypto/checkpoint.js";
import { verifyCosignature } from "../../src/crypto/cosignature.js";
import { createSigner, createVerifier } from "../../src/crypto/note-keys.js";
import { parseNote } from "../../src/crypto/signed-note.js";
import { formatTlogProof, parseTlogProof } from "../../src/crypto/tlog-proof.js";
import { expectCode, fixture, testBytes } from "./helpers.js";

const RESEARCH = fixture("c2sp/research-example.tlog-proof");
const LOG_VKEY = fixture("c2sp/research-example.log.vkey").trim();
const WITNESS_VKEY = fixture("c2sp/research-example.witness.vkey").trim();

const signer = createSigner("example.com/log", testBytes(32, 3));
const checkpoint = signCheckpoint({ origin: "example.com/log", size: 4, root: testBytes(32, 5) }, signer);
const H = [testBytes(32, 1), testBytes(32, 2)];

describe("the research example", () => {
  it("parses, verifies and round-trips exactly", () => {
    const p = parseTlogProof(RESEARCH);
    expect(p.extra).toBeUndefined();
    expect(p.index).toBe(2);
    expect(p.proof.map(toBase64)).toEqual(["vLuaTOZk1vPOHfFpCbSDg8g5hdnadP67vkT9aJxC+U0="]);
    expect(p.checkpoint).toBe(RESEARCH.slice(RESEARCH.indexOf("evidence.example/log1\n")));
    expect(p.parsedCheckpoint.origin).toBe("evidence.example/log1");
    expect(p.parsedCheckpoint.size).toBe(3);
    expect(toBase64(p.parsedCheckpoint.root)).toBe("thukDxytlQYqsBh5AHbxY1ksYsQ4U2eZ3vGRTo+ut1s=");
    expect(formatTlogProof(p)).toBe(RESEARCH);

    const opened = openCheckpoint(p.checkpoint, createVerifier(LOG_VKEY), "evidence.example/log1");
    expect(opened.verified.verified.map((s) => s.name)).toEqual(["evidence.example/log1"]);
    expect(opened.verified.unknown.map((s) => s.name)).toEqual(["court.example/witness1"]);
    const note = parseNote(p.checkpoint);
    const line = note.signatures.find((s) => s.name === "court.example/witness1")?.line ?? "";
    expect(verifyCosignature(note.text, line, createVerifier(WITNESS_VKEY))).toBe(1767225600);
  });
});

describe("formatTlogProof / parseTlogProof", () => {
  it("round-trip with extra data and several hashes", () => {
    const p = { extra: utf8('{"entry":1}'), index: 3, proof: H, checkpoint };
    const text = formatTlogProof(p);
    expect(text).toBe(
      `c2sp.org/tlog-proof@v1\nextra ${toBase64(p.extra)}\nindex 3\n${toBase64(H[0] as Uint8Array)}\n` +
        `${toBase64(H[1] as Uint8Array)}\n\n${checkpoint}`,
    );
    const parsed = parseTlogProof(text);
    expect({
      extra: parsed.extra,
      index: parsed.index,
      proof: parsed.proof,
      checkpoint: parsed.checkpoint,
    }).toEqual(p);
    expect(formatTlogProof(parsed)).toBe(text);
  });

  it("an empty proof is the index line followed directly by the blank line", () => {
    const text = formatTlogProof({ index: 0, proof: [], checkpoint });
    expect(text).toBe(`c2sp.org/tlog-proof@v1\nindex 0\n\n${checkpoint}`);
    expect(parseTlogProof(text).proof).toEqual([]);
  });

  const good = formatTlogProof({ index: 1, proof: H, checkpoint });
  const h0 = toBase64(H[0] as Uint8Array);
  it.each([
    ["another header", good.replace("tlog-proof@v1", "tlog-proof@v2")],
    ["a blank first line", `\n${good}`],
    ["an empty extra line", good.replace("index 1", "extra \nindex 1")],
    ["non-canonical extra", good.replace("index 1", "extra YQ\nindex 1")],
    ["extra after the index", good.replace("index 1\n", "index 1\nextra YQ==\n")],
    ["a missing index", good.replace("index 1\n", "")],
    ["an index with a leading zero", good.replace("index 1", "index 01")],
    ["a signed index", good.replace("index 1", "index +1")],
    ["an index beyond 2^53", good.replace("index 1", "index 9007199254740992")],
    ["two spaces after index", good.replace("index 1", "index  1")],
    ["an index not below the tree size", good.replace("index 1", "index 4")],
    ["a short hash", good.replace(h0, toBase64(testBytes(31)))],
    ["a non-base64 hash", good.replace(h0, "not base64!")],
    ["no blank line before the checkpoint", good.replace(`\n\n${checkpoint}`, `\n${checkpoint}`)],
    ["two blank lines", good.replace(`\n\n${checkpoint}`, `\n\n\n${checkpoint}`)],
    ["no checkpoint", good.slice(0, good.indexOf(checkpoint))],
    ["an unsigned checkpoint", good.slice(0, good.indexOf("\n—") + 1)],
    ["a checkpoint without its final newline", good.slice(0, -1)],
    ["CRLF line ends", good.replaceAll("\n", "\r\n")],
    ["65 proof hashes", good.replace(`${h0}\n`, `${h0}\n`.repeat(65))],
  ])("reject %s", (_, text) => {
    expectCode(() => parseTlogProof(text), "MALFORMED_PROOF", ValidationError);
  });

  it("refuse to format what it would not parse", () => {
    expectCode(() => formatTlogProof({ index: -1, proof: [], checkpoint }), "MALFORMED_PROOF");
    expectCode(() => formatTlogProof({ index: 4, proof: [], checkpoint }), "MALFORMED_PROOF");
    expectCode(
      () => formatTlogProof({ extra: new Uint8Array(0), index: 0, proof: [], checkpoint }),
      "MALFORMED_PROOF",
    );
    expectCode(() => formatTlogProof({ index: 0, proof: [testBytes(31)], checkpoint }), "INVALID_ARGUMENT");
    expectCode(() => formatTlogProof({ index: 0, proof: [], checkpoint: "junk\n" }), "MALFORMED_PROOF");
  });
});
