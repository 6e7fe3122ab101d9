import { describe, expect, it } from "vitest";
import { toBase64, toHex } from "../../src/core/bytes.js";
import { ValidationError, VerificationError } from "../../src/core/errors.js";
import {
  formatCheckpoint,
  openCheckpoint,
  parseCheckpoint,
  signCheckpoint,
} from "../../src/crypto/checkpoint.js";
import {
  createCosigner,
  createSigner,
  createVerifier,
  formatVerifierKey,
} from "../../src/crypto/note-keys.js";
import { signNote } from "../../src/crypto/signed-note.js";
import { expectCode, testBytes } from "./helpers.js";

const ROOT = testBytes(32, 9);
const B64 = toBase64(ROOT);
// c2sp.org/tlog-checkpoint v1.0.0, the example at the top of the specification.
const SOFA_TEXT = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";

const logSigner = createSigner("example.com/log", testBytes(32, 3));
const logVerifier = createVerifier(formatVerifierKey(logSigner.name, logSigner.type, logSigner.publicKey));

describe("formatCheckpoint / parseCheckpoint", () => {
  it("round-trip", () => {
    for (const size of [0, 1, 3, 20852163, Number.MAX_SAFE_INTEGER]) {
      const text = formatCheckpoint({ origin: "example.com/log", size, root: ROOT });
      expect(text).toBe(`example.com/log\n${size}\n${B64}\n`);
      const cp = parseCheckpoint(text);
      expect(cp).toEqual({ origin: "example.com/log", size, root: ROOT, extensions: [] });
      expect(formatCheckpoint(cp)).toBe(text);
    }
  });

  it("parse the spec example", () => {
    const cp = parseCheckpoint(SOFA_TEXT);
    expect(cp.origin).toBe("example.com/behind-the-sofa");
    expect(cp.size).toBe(20852163);
    expect(toHex(cp.root)).toBe("0ac5186a91863e8e1d90c808014aa89bf5da8e3ee1d9f07630f0378f68f1ab62");
  });

  it("accept and return extension lines, but never emit them", () => {
    const cp = parseCheckpoint(`o\n1\n${B64}\next one\n— ext two\n`);
    expect(cp.extensions).toEqual(["ext one", "— ext two"]);
    expectCode(() => formatCheckpoint(cp), "INVALID_ARGUMENT");
  });

  it.each([
    ["a leading zero", `o\n01\n${B64}\n`],
    ["a plus sign", `o\n+1\n${B64}\n`],
    ["a minus sign", `o\n-1\n${B64}\n`],
    ["an empty size", `o\n\n${B64}\n`],
    ["a size with spaces", `o\n 1\n${B64}\n`],
    ["hex", `o\n0x10\n${B64}\n`],
    ["an exponent", `o\n1e3\n${B64}\n`],
    ["a size beyond MAX_SAFE_INTEGER", `o\n9007199254740992\n${B64}\n`],
    ["a 2^64 size", `o\n18446744073709551616\n${B64}\n`],
    ["a 31-byte root", `o\n1\n${toBase64(testBytes(31))}\n`],
    ["a 33-byte root", `o\n1\n${toBase64(testBytes(33))}\n`],
    ["an unpadded root", `o\n1\n${B64.slice(0, -1)}\n`],
    ["no final newline", `o\n1\n${B64}`],
    ["a missing root line", "o\n1\n"],
    ["only an origin", "o\n"],
    ["an empty origin", `\n1\n${B64}\n`],
    ["an empty extension line", `o\n1\n${B64}\n\n`],
    ["a carriage return", `o\r\n1\n${B64}\n`],
  ])("reject %s", (_, text) => {
    expectCode(() => parseCheckpoint(text), "MALFORMED_CHECKPOINT", ValidationError);
  });

  it("refuse to format invalid checkpoints", () => {
    expectCode(() => formatCheckpoint({ origin: "", size: 1, root: ROOT }), "MALFORMED_CHECKPOINT");
    expectCode(() => formatCheckpoint({ origin: "a\nb", size: 1, root: ROOT }), "MALFORMED_CHECKPOINT");
    expectCode(() => formatCheckpoint({ origin: "o", size: -1, root: ROOT }), "MALFORMED_CHECKPOINT");
    expectCode(() => formatCheckpoint({ origin: "o", size: 1.5, root: ROOT }), "MALFORMED_CHECKPOINT");
    expectCode(() => formatCheckpoint({ origin: "o", size: 2 ** 53, root: ROOT }), "MALFORMED_CHECKPOINT");
    expectCode(() => formatCheckpoint({ origin: "o", size: 1, root: testBytes(31) }), "INVALID_ARGUMENT");
  });
});

describe("signCheckpoint / openCheckpoint", () => {
  const cp = { origin: "example.com/log", size: 7, root: ROOT };

  it("sign with the log key and open with its verifier", () => {
    const note = signCheckpoint(cp, logSigner);
    expect(note.startsWith(`${formatCheckpoint(cp)}\n— example.com/log `)).toBe(true);
    const opened = openCheckpoint(note, logVerifier, "example.com/log");
    expect(opened.checkpoint).toEqual({ ...cp, extensions: [] });
    expect(opened.verified.verified.map((s) => s.name)).toEqual(["example.com/log"]);
    expect(openCheckpoint(note, [createVerifier(logVerifier), logVerifier]).checkpoint.size).toBe(7);
  });

  it("ignore other signatures on the checkpoint", () => {
    const other = createSigner("example.com/other", testBytes(32, 4));
    const otherNote = signNote(formatCheckpoint(cp), [other]);
    const note = `${signCheckpoint(cp, logSigner)}${otherNote.slice(otherNote.indexOf("—"))}`;
    const opened = openCheckpoint(note, logVerifier);
    expect(opened.note.signatures.map((s) => s.name)).toEqual(["example.com/log", "example.com/other"]);
    expect(opened.verified.unknown.map((s) => s.name)).toEqual(["example.com/other"]);
  });

  it("refuse a signer or verifier not named after the origin", () => {
    const other = createSigner("example.com/other", testBytes(32, 3));
    expectCode(() => signCheckpoint(cp, other), "ORIGIN_MISMATCH", ValidationError);
    const note = signCheckpoint(cp, logSigner);
    const otherVerifier = createVerifier(formatVerifierKey(other.name, other.type, other.publicKey));
    expectCode(() => openCheckpoint(note, otherVerifier), "ORIGIN_MISMATCH", VerificationError);
    expectCode(() => openCheckpoint(note, logVerifier, "example.com/elsewhere"), "ORIGIN_MISMATCH");
  });

  it("reject a checkpoint the log did not sign, or that was altered", () => {
    const impostor = createSigner("example.com/log", testBytes(32, 6));
    expectCode(() => openCheckpoint(signCheckpoint(cp, impostor), logVerifier), "NO_TRUSTED_SIGNATURE");
    const note = signCheckpoint(cp, logSigner);
    expectCode(() => openCheckpoint(note.replace("\n7\n", "\n8\n"), logVerifier), "SIGNATURE_INVALID");
    expectCode(() => openCheckpoint(note.replace("\n7\n", "\n07\n"), logVerifier), "MALFORMED_CHECKPOINT");
    expectCode(() => openCheckpoint(note.slice(0, -1), logVerifier), "MALFORMED_NOTE");
  });

  it("refuse to sign with a cosignature key", () => {
    const witness = createCosigner("example.com/log", testBytes(32, 5));
    expectCode(() => signCheckpoint(cp, witness), "INVALID_ARGUMENT");
  });
});
