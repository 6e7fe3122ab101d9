import { describe, expect, it } from "vitest";
import { concatBytes, u64be, utf8 } from "../../src/core/bytes.js";
import { fixedClock } from "../../src/core/clock.js";
import { VerificationError } from "../../src/core/errors.js";
import { formatCheckpoint, signCheckpoint } from "../../src/crypto/checkpoint.js";
import {
  cosign,
  cosignaturesOf,
  cosignatureTimestamp,
  verifyCosignature,
} from "../../src/crypto/cosignature.js";
import { cosignatureMessage, encodeTimestampedSignature } from "../../src/crypto/cosignature-message.js";
import { ed25519Portable } from "../../src/crypto/ed25519.js";
import {
  createCosigner,
  createSigner,
  createVerifier,
  formatVerifierKey,
} from "../../src/crypto/note-keys.js";
import { formatSignatureLine, parseNote, verifyNote } from "../../src/crypto/signed-note.js";
import { parseTlogProof } from "../../src/crypto/tlog-proof.js";
import { expectCode, fixture, testBytes } from "./helpers.js";

const cp = { origin: "example.com/log", size: 5, root: testBytes(32, 2) };
const text = formatCheckpoint(cp);
const logSigner = createSigner("example.com/log", testBytes(32, 3));
const logVerifier = createVerifier(formatVerifierKey(logSigner.name, logSigner.type, logSigner.publicKey));
const witness = createCosigner("court.example/w1", testBytes(32, 4), fixedClock("2026-01-01T00:00:00Z"));
const witnessVerifier = createVerifier(formatVerifierKey(witness.name, witness.type, witness.publicKey));

describe("the research example", () => {
  const proof = parseTlogProof(fixture("c2sp/research-example.tlog-proof"));
  const note = parseNote(proof.checkpoint);
  const log = createVerifier(fixture("c2sp/research-example.log.vkey").trim());
  const court = createVerifier(fixture("c2sp/research-example.witness.vkey").trim());

  it("has a witness cosignature at 1767225600 (2026-01-01T00:00:00Z)", () => {
    const line = note.signatures[1]?.line ?? "";
    expect(verifyCosignature(note.text, line, court)).toBe(1767225600);
    expect(new Date(1767225600 * 1000).toISOString()).toBe("2026-01-01T00:00:00.000Z");
  });

  it("verifies inside verifyNote with the type 0x04 verifier", () => {
    const v = verifyNote(note, [log, court]);
    expect(v.verified.map((s) => s.name)).toEqual(["evidence.example/log1", "court.example/witness1"]);
    expect(cosignaturesOf(v.verified).map((c) => [c.name, c.timestamp])).toEqual([
      ["court.example/witness1", 1767225600],
    ]);
    expect(verifyNote(note, [court]).verified.map((s) => s.name)).toEqual(["court.example/witness1"]);
  });

  it("is not a valid Ed25519 (0x01) signature of the bare note text", () => {
    const sig = note.signatures[1]?.signature ?? new Uint8Array();
    expect(ed25519Portable.verify(sig.subarray(8), utf8(note.text), court.publicKey)).toBe(false);
  });
});

describe("cosign / verifyCosignature", () => {
  it("sign `cosignature/v1\\ntime <t>\\n` + the checkpoint text, carried as key ID || u64be(t) || signature", () => {
    const line = cosign(text, witness, 1679315147);
    const sig = parseNote(`${text}\n${line}`).signatures[0];
    expect(sig?.signature.subarray(0, 8)).toEqual(u64be(1679315147));
    const message = utf8(`cosignature/v1\ntime 1679315147\n${text}`);
    expect(cosignatureMessage(utf8(text), 1679315147)).toEqual(message);
    expect(
      ed25519Portable.verify(sig?.signature.subarray(8) ?? new Uint8Array(), message, witness.publicKey),
    ).toBe(true);
    expect(verifyCosignature(text, line, witnessVerifier)).toBe(1679315147);
    expect(verifyCosignature(text, sig as NonNullable<typeof sig>, witnessVerifier)).toBe(1679315147);
  });

  it("append to the log-signed checkpoint, and verify alongside the log signature", () => {
    const note = signCheckpoint(cp, logSigner) + cosign(text, witness, 1767225600);
    const v = verifyNote(note, [logVerifier, witnessVerifier]);
    expect(cosignaturesOf(v.verified)).toMatchObject([{ name: "court.example/w1", timestamp: 1767225600 }]);
    expect(cosignatureTimestamp(v.verified[1] as NonNullable<(typeof v.verified)[1]>)).toBe(1767225600);
  });

  it("use the cosigner's clock through the generic NoteSigner interface", () => {
    const note = signCheckpoint(cp, logSigner);
    const line = formatSignatureLine({
      name: witness.name,
      keyId: witness.keyId,
      signature: witness.sign(utf8(text)),
    });
    expect(verifyCosignature(text, line, witnessVerifier)).toBe(1767225600);
    expect(verifyNote(note + line, [witnessVerifier]).verified).toHaveLength(1);
  });

  it("timestamp 0 is `time 0`", () => {
    expect(verifyCosignature(text, cosign(text, witness, 0), witnessVerifier)).toBe(0);
    expect(cosignatureMessage(utf8(text), 0)).toEqual(utf8(`cosignature/v1\ntime 0\n${text}`));
  });

  it("reject a changed timestamp, checkpoint or signer", () => {
    const line = cosign(text, witness, 1767225600);
    const sig = parseNote(`${text}\n${line}`).signatures[0] as NonNullable<
      ReturnType<typeof parseNote>["signatures"][0]
    >;
    const moved = { ...sig, signature: concatBytes(u64be(1767225601), sig.signature.subarray(8)) };
    expectCode(() => verifyCosignature(text, moved, witnessVerifier), "SIGNATURE_INVALID", VerificationError);
    const other = formatCheckpoint({ ...cp, size: 6 });
    expectCode(() => verifyCosignature(other, line, witnessVerifier), "SIGNATURE_INVALID");
    expectCode(
      () => verifyNote(`${text}\n${formatSignatureLine(moved)}`, [witnessVerifier]),
      "SIGNATURE_INVALID",
    );
    const stranger = createCosigner("court.example/w2", testBytes(32, 8));
    expectCode(
      () => verifyCosignature(text, cosign(text, stranger, 1), witnessVerifier),
      "SIGNATURE_INVALID",
    );
  });

  it("a timestamped signature of the wrong length or beyond 2^53 never verifies", () => {
    const sig = witness.signAt(utf8(text), 5);
    expect(witnessVerifier.verify(utf8(text), sig.subarray(0, 71))).toBe(false);
    const huge = concatBytes(Uint8Array.of(0x80, 0, 0, 0, 0, 0, 0, 5), sig.subarray(8));
    expect(witnessVerifier.verify(utf8(text), huge)).toBe(false);
    expectCode(
      () => cosignatureTimestamp({ name: "w", keyId: testBytes(4), signature: huge }),
      "MALFORMED_NOTE",
    );
  });

  it("refuse bad inputs", () => {
    expectCode(() => cosign("not a checkpoint\n", witness, 1), "MALFORMED_CHECKPOINT");
    expectCode(() => cosign(text, witness, -1), "INVALID_ARGUMENT");
    expectCode(() => cosign(text, witness, 1.5), "INVALID_ARGUMENT");
    expectCode(() => cosign(text, logSigner as never, 1), "INVALID_ARGUMENT");
    expectCode(() => verifyCosignature(text, cosign(text, witness, 1), logVerifier), "INVALID_ARGUMENT");
    expectCode(() => encodeTimestampedSignature(1, testBytes(63)), "INVALID_ARGUMENT");
  });
});
