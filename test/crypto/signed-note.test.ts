import { describe, expect, it } from "vitest";
import { concatBytes, toHex, utf8 } from "../../src/core/bytes.js";
import { ValidationError, VerificationError } from "../../src/core/errors.js";
import {
  createSigner,
  createSignerFromKey,
  createVerifier,
  formatVerifierKey,
} from "../../src/crypto/note-keys.js";
import { formatNote, parseNote, signNote, verifyNote } from "../../src/crypto/signed-note.js";
import { expectCode, testBytes } from "./helpers.js";

// golang.org/x/mod/sumdb/note: package documentation and note_test.go TestOpen.
const PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
const ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
const TEXT =
  "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_SIG =
  "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
const ENOCH_SIG =
  "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

// c2sp.org/signed-note v1.0.0, the example at the top of the specification.
const QUASIMODO =
  "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n\n" +
  "— quasimodo.example/salvatore NnugSzTjtVAewIS+Z/iJhUPeFDkO/5QQ2i5ddnGITLlC+EhfLW9oJKONrMouFSQU0xMcXxj99ihAQwaqP3ZekRwNtIc=\n";
// c2sp.org/tlog-cosignature v1.0.1, the example checkpoint with a cosignature.
const SOFA =
  "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n" +
  "— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n" +
  "— witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n";

const peter = createVerifier(PETER_VKEY);
const enoch = createVerifier(ENOCH_VKEY);

describe("parseNote / formatNote", () => {
  it.each([
    ["Go's example", `${TEXT}\n${PETER_SIG}${ENOCH_SIG}`],
    ["the signed-note spec example", QUASIMODO],
    ["the tlog-cosignature spec example", SOFA],
  ])("round-trip %s", (_, note) => {
    expect(formatNote(parseNote(note))).toBe(note);
    expect(formatNote(parseNote(utf8(note)))).toBe(note);
  });

  it("split at the last blank line, so the text may contain blank lines", () => {
    const n = parseNote(QUASIMODO);
    expect(n.text).toBe(
      "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n",
    );
    expect(n.signatures).toHaveLength(1);
    expect(n.signatures[0]?.name).toBe("quasimodo.example/salvatore");
    expect(toHex(n.signatures[0]?.keyId ?? new Uint8Array())).toBe("367ba04b");
    expect(n.signatures[0]?.signature.length).toBe(64);
  });

  it("keep each signature line verbatim", () => {
    const n = parseNote(SOFA);
    expect(n.signatures.map((s) => s.line).join("")).toBe(SOFA.slice(SOFA.indexOf("—")));
    expect(n.signatures[1]?.signature.length).toBe(72);
  });

  it("accept up to 100 signatures and refuse 101", () => {
    expect(parseNote(`${TEXT}\n${PETER_SIG.repeat(100)}`).signatures).toHaveLength(100);
    expectCode(() => parseNote(`${TEXT}\n${PETER_SIG.repeat(101)}`), "MALFORMED_NOTE", ValidationError);
  });

  it.each([
    ["text only", TEXT],
    ["blank line, no signatures", `${TEXT}\n`],
    ["no final newline", `${TEXT}\n${PETER_SIG.slice(0, -1)}`],
    ["a control character", `\u0001${TEXT}\n${PETER_SIG}`],
    ["a tab", `a\tb\n\n${PETER_SIG}`],
    ["a carriage return", `${TEXT}\n${PETER_SIG.slice(0, -1)}\r\n`],
    ["a lone surrogate", `\ud800${TEXT}\n${PETER_SIG}`],
    [
      "a space in the key name",
      `${TEXT}\n— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`,
    ],
    ["a line after the signatures", `${TEXT}\n${PETER_SIG}Unexpected line.\n`],
    ["a hyphen instead of an em dash", `${TEXT}\n-${PETER_SIG.slice(1)}`],
    ["two spaces before the signature", `${TEXT}\n${PETER_SIG.replace(" x08go", "  x08go")}`],
    ["unpadded base64", `${TEXT}\n${PETER_SIG.replace("AM=\n", "AM\n")}`],
    ["base64 with non-zero padding bits", `${TEXT}\n${PETER_SIG.replace("AM=\n", "AN=\n")}`],
    ["base64url", `${TEXT}\n${ENOCH_SIG.replaceAll("+", "-")}`],
    ["a signature of only a key ID", `${TEXT}\n— PeterNeumann x08gow==\n`],
    ["an empty signature", `${TEXT}\n— PeterNeumann \n`],
  ])("reject %s", (_, note) => {
    expectCode(() => parseNote(note), "MALFORMED_NOTE", ValidationError);
  });

  it("reject bytes that are not UTF-8", () => {
    expectCode(
      () => parseNote(concatBytes(Uint8Array.of(0xff), utf8(`${TEXT}\n${PETER_SIG}`))),
      "MALFORMED_NOTE",
    );
  });

  it("refuse to format what it would not parse", () => {
    const sig = { name: "PeterNeumann", keyId: testBytes(4), signature: testBytes(64) };
    expectCode(() => formatNote({ text: "no newline", signatures: [sig] }), "MALFORMED_NOTE");
    expectCode(() => formatNote({ text: TEXT, signatures: [] }), "MALFORMED_NOTE");
    expectCode(() => formatNote({ text: TEXT, signatures: [{ ...sig, name: "a b" }] }), "MALFORMED_NOTE");
    expectCode(
      () => formatNote({ text: TEXT, signatures: [{ ...sig, signature: new Uint8Array(0) }] }),
      "MALFORMED_NOTE",
    );
  });
});

describe("signNote / verifyNote", () => {
  it("reproduce Go's signed example byte for byte", () => {
    expect(signNote(TEXT, [createSignerFromKey(PETER_SKEY)])).toBe(`${TEXT}\n${PETER_SIG}`);
  });

  it("verify with known keys and ignore lines from unknown keys (Go's TestOpen)", () => {
    const note = `${TEXT}\n${PETER_SIG}${ENOCH_SIG}`;
    const one = verifyNote(note, [peter]);
    expect(one.text).toBe(TEXT);
    expect(one.verified.map((s) => s.name)).toEqual(["PeterNeumann"]);
    expect(one.verified[0]?.verifier).toBe(peter);
    expect(one.unknown.map((s) => s.name)).toEqual(["EnochRoot"]);
    const both = verifyNote(note, [peter, enoch]);
    expect(both.verified.map((s) => s.name)).toEqual(["PeterNeumann", "EnochRoot"]);
    expect(both.unknown).toEqual([]);
  });

  it("reject a note with no signature from a known key", () => {
    expectCode(
      () => verifyNote(`${TEXT}\n${PETER_SIG}${ENOCH_SIG}`, []),
      "NO_TRUSTED_SIGNATURE",
      VerificationError,
    );
    expectCode(() => verifyNote(QUASIMODO, [peter, enoch]), "NO_TRUSTED_SIGNATURE");
  });

  it("ignore a signature that shares only the name or only the key ID with a known key", () => {
    const otherId = PETER_SIG.replace("x08go", "x08gp"); // key ID c74f20a3 -> c74f20a9
    expectCode(() => verifyNote(`${TEXT}\n${otherId}`, [peter]), "NO_TRUSTED_SIGNATURE");
    const otherName = PETER_SIG.replace("PeterNeumann", "CarmenSandiego");
    expectCode(() => verifyNote(`${TEXT}\n${otherName}`, [peter]), "NO_TRUSTED_SIGNATURE");
    expect(verifyNote(`${TEXT}\n${otherId}${otherName}${PETER_SIG}`, [peter]).unknown).toHaveLength(2);
  });

  it("reject tampered text and a corrupted signature from a known key", () => {
    expectCode(
      () => verifyNote(`${TEXT.replace("answer", "Answer")}\n${PETER_SIG}`, [peter]),
      "SIGNATURE_INVALID",
    );
    const b64 = PETER_SIG.indexOf("x08go") + 40;
    const corrupted = `${PETER_SIG.slice(0, b64)}ABCD${PETER_SIG.slice(b64)}`;
    const e = expectCode(
      () => verifyNote(`${TEXT}\n${corrupted}${ENOCH_SIG}`, [peter, enoch]),
      "SIGNATURE_INVALID",
    );
    expect(e).toBeInstanceOf(VerificationError);
    expect(e.details).toEqual({ name: "PeterNeumann", keyId: "c74f20a3" });
  });

  it("list a key's verified signature once even when it is repeated", () => {
    const v = verifyNote(`${TEXT}\n${PETER_SIG}${PETER_SIG}${ENOCH_SIG}${ENOCH_SIG}`, [peter]);
    expect(v.verified).toHaveLength(1);
    expect(v.unknown).toHaveLength(2);
  });

  it("refuse two different keys with the same name and key ID", () => {
    const impostor = { ...peter, publicKey: testBytes(32) };
    expectCode(() => verifyNote(`${TEXT}\n${PETER_SIG}`, [peter, impostor]), "INVALID_ARGUMENT");
    expect(verifyNote(`${TEXT}\n${PETER_SIG}`, [peter, createVerifier(PETER_VKEY)]).verified).toHaveLength(1);
  });

  it("sign texts with blank lines and several signers", () => {
    const a = createSigner("example.com/a", testBytes(32, 1));
    const b = createSigner("example.com/b", testBytes(32, 2));
    const text = "line one\n\n\nline four\n\n";
    const note = signNote(text, [a, b]);
    const vb = createVerifier(formatVerifierKey(b.name, b.type, b.publicKey));
    const v = verifyNote(note, [vb]);
    expect(v.text).toBe(text);
    expect(v.verified.map((s) => s.name)).toEqual(["example.com/b"]);
    expectCode(() => signNote("no newline", [a]), "MALFORMED_NOTE");
    expectCode(() => signNote(text, []), "MALFORMED_NOTE");
  });
});
