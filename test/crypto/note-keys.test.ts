import { describe, expect, it } from "vitest";
import { concatBytes, readU64be, toHex, utf8 } from "../../src/core/bytes.js";
import { fixedClock } from "../../src/core/clock.js";
import { ValidationError } from "../../src/core/errors.js";
import { ed25519Portable } from "../../src/crypto/ed25519.js";
import {
  computeKeyId,
  createCosigner,
  createSigner,
  createSignerFromKey,
  createVerifier,
  formatSignerKey,
  formatVerifierKey,
  generateSignerKey,
  isValidKeyName,
  KEY_TYPE_COSIGNATURE_V1,
  KEY_TYPE_ED25519,
  parseSignerKey,
  parseVerifierKey,
} from "../../src/crypto/note-keys.js";
import { sha256 } from "../../src/crypto/sha256.js";
import { expectCode, fixture, testBytes } from "./helpers.js";

// golang.org/x/mod/sumdb/note, note.go package documentation and note_test.go.
const PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
const ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
const LOG_VKEY = fixture("c2sp/research-example.log.vkey").trim();
const WITNESS_VKEY = fixture("c2sp/research-example.witness.vkey").trim();

describe("key names", () => {
  it.each(["PeterNeumann", "example.com/foo", "evidence.example/log1", "π/κλειδί", "😀", "a#b"])(
    "accepts %j",
    (n) => {
      expect(isValidKeyName(n)).toBe(true);
    },
  );

  it.each([
    "",
    "a b",
    "a+b",
    "a\tb",
    "a\nb",
    "a\u00a0b",
    "a\u0085b",
    "a\u2003b",
    "a\u2028b",
    "a\u3000b",
    "a\u0001b",
    "a\u007fb",
    "a\ud800b",
  ])("rejects %j", (n) => {
    expect(isValidKeyName(n)).toBe(false);
    expectCode(
      () => formatVerifierKey(n, KEY_TYPE_ED25519, new Uint8Array(32)),
      "MALFORMED_KEY",
      ValidationError,
    );
  });
});

describe("key IDs", () => {
  it("are SHA-256(name || 0x0A || type || public key)[:4] for types 0x01 and 0x04", () => {
    const pub = testBytes(32);
    for (const type of [KEY_TYPE_ED25519, KEY_TYPE_COSIGNATURE_V1] as const) {
      const want = sha256(concatBytes(utf8("example.com/k"), Uint8Array.of(0x0a, type), pub)).subarray(0, 4);
      expect(toHex(computeKeyId("example.com/k", type, pub))).toBe(toHex(want));
    }
    expect(toHex(computeKeyId("k", 0x01, pub))).not.toBe(toHex(computeKeyId("k", 0x04, pub)));
  });
});

describe("verifier keys", () => {
  it("parse Go's example keys and format them back", () => {
    for (const vkey of [PETER_VKEY, ENOCH_VKEY]) {
      const k = parseVerifierKey(vkey);
      expect(k.type).toBe(KEY_TYPE_ED25519);
      expect(formatVerifierKey(k.name, k.type, k.publicKey)).toBe(vkey);
    }
    expect(toHex(parseVerifierKey(PETER_VKEY).keyId)).toBe("c74f20a3");
  });

  it("split on the first two '+' only, so base64 containing '+' parses", () => {
    const k = parseVerifierKey(LOG_VKEY);
    expect(k.name).toBe("evidence.example/log1");
    expect(toHex(k.keyId)).toBe("d8c1739f");
    expect(formatVerifierKey(k.name, k.type, k.publicKey)).toBe(LOG_VKEY);
    const w = parseVerifierKey(WITNESS_VKEY);
    expect(w.type).toBe(KEY_TYPE_COSIGNATURE_V1);
    expect(toHex(w.keyId)).toBe("2eb3bce7");
  });

  it("reject every truncation and every one-character change (as Go's TestNewVerifier)", () => {
    for (let i = 0; i <= PETER_VKEY.length; i++) {
      for (let j = i + 1; j <= PETER_VKEY.length; j++) {
        if (i !== 0 || j !== PETER_VKEY.length)
          expectCode(() => parseVerifierKey(PETER_VKEY.slice(i, j)), "MALFORMED_KEY");
      }
    }
    for (let i = 0; i < PETER_VKEY.length; i++) {
      const bumped =
        PETER_VKEY.slice(0, i) + String.fromCharCode(PETER_VKEY.charCodeAt(i) + 1) + PETER_VKEY.slice(i + 1);
      expectCode(() => parseVerifierKey(bumped), "MALFORMED_KEY");
    }
  });

  it.each([
    [
      "wrong key length, adjusted ID",
      "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==",
    ],
    ["unknown type, adjusted ID", "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"],
    ["uppercase key ID", "PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"],
    ["over-padded base64", "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop=="],
    ["no key", "PeterNeumann+c74f20a3"],
    ["empty name", "+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"],
  ])("reject %s", (_, vkey) => {
    expectCode(() => parseVerifierKey(vkey), "MALFORMED_KEY", ValidationError);
  });

  it("refuse unsupported types when formatting", () => {
    expectCode(() => formatVerifierKey("k", 0x02 as never, new Uint8Array(32)), "MALFORMED_KEY");
    expectCode(() => formatVerifierKey("k", 0x01, new Uint8Array(31)), "INVALID_ARGUMENT");
  });
});

describe("signer keys", () => {
  it("parse Go's example key, which matches its verifier key, and format it back", () => {
    const k = parseSignerKey(PETER_SKEY);
    expect(k.name).toBe("PeterNeumann");
    expect(toHex(k.publicKey)).toBe(toHex(parseVerifierKey(PETER_VKEY).publicKey));
    expect(formatSignerKey(k.name, k.seed)).toBe(PETER_SKEY);
  });

  it("round-trip for both types and both backends", () => {
    for (const type of [KEY_TYPE_ED25519, KEY_TYPE_COSIGNATURE_V1] as const) {
      const skey = formatSignerKey("court.example/w", testBytes(32, type), type);
      const k = parseSignerKey(skey, ed25519Portable);
      expect(k.type).toBe(type);
      expect(formatSignerKey(k.name, k.seed, k.type, ed25519Portable)).toBe(skey);
    }
  });

  it("reject every truncation and every one-character change (as Go's TestNewSigner)", () => {
    for (let i = 0; i <= PETER_SKEY.length; i++) {
      for (let j = i + 1; j <= PETER_SKEY.length; j++) {
        if (i !== 0 || j !== PETER_SKEY.length)
          expectCode(() => parseSignerKey(PETER_SKEY.slice(i, j)), "MALFORMED_KEY");
      }
    }
    for (let i = 0; i < PETER_SKEY.length; i++) {
      const bumped =
        PETER_SKEY.slice(0, i) + String.fromCharCode(PETER_SKEY.charCodeAt(i) + 1) + PETER_SKEY.slice(i + 1);
      expectCode(() => parseSignerKey(bumped), "MALFORMED_KEY");
    }
  });

  it("generateSignerKey uses the injected randomness and yields a working key", () => {
    const skey = generateSignerKey("EnochRoot", (n) => testBytes(n, 7));
    expect(skey).toBe(formatSignerKey("EnochRoot", testBytes(32, 7)));
    const signer = createSignerFromKey(skey);
    const verifier = createVerifier(formatVerifierKey(signer.name, signer.type, signer.publicKey));
    expect(verifier.verify(utf8("hi"), signer.sign(utf8("hi")))).toBe(true);
    expectCode(() => generateSignerKey("EnochRoot", () => new Uint8Array(16)), "INVALID_ARGUMENT");
    expectCode(() => generateSignerKey("bad name", (n) => testBytes(n)), "MALFORMED_KEY");
  });
});

describe("signers and verifiers", () => {
  it("Ed25519 signatures verify, and corrupted ones do not (as Go's testSignerAndVerifier)", () => {
    const signer = createSigner("EnochRoot", testBytes(32));
    const verifier = createVerifier(formatVerifierKey("EnochRoot", KEY_TYPE_ED25519, signer.publicKey));
    expect(toHex(verifier.keyId)).toBe(toHex(signer.keyId));
    const msg = utf8("hi");
    const sig = signer.sign(msg);
    expect(verifier.verify(msg, sig)).toBe(true);
    expect(createVerifier(verifier, ed25519Portable).verify(msg, sig)).toBe(true);
    sig[0] = (sig[0] as number) ^ 1;
    expect(verifier.verify(msg, sig)).toBe(false);
    expect(verifier.verify(utf8("ho"), signer.sign(msg))).toBe(false);
    expect(verifier.verify(msg, signer.sign(msg).subarray(1))).toBe(false);
  });

  it("cosigners stamp the clock's time and sign the tlog-cosignature message", () => {
    const clock = fixedClock("2026-01-01T00:00:00.900Z");
    const cosigner = createCosigner("court.example/w", testBytes(32), clock);
    const msg = utf8("example.com/log\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n");
    const sig = cosigner.sign(msg);
    expect(sig.length).toBe(72);
    expect(readU64be(sig)).toBe(1767225600);
    const verifier = createVerifier(formatVerifierKey(cosigner.name, cosigner.type, cosigner.publicKey));
    expect(verifier.verify(msg, sig)).toBe(true);
    const signed = concatBytes(utf8("cosignature/v1\ntime 1767225600\n"), msg);
    expect(ed25519Portable.verify(sig.subarray(8), signed, cosigner.publicKey)).toBe(true);
    const otherTime = cosigner.signAt(msg, 1767225601);
    expect(verifier.verify(msg, concatBytes(sig.subarray(0, 8), otherTime.subarray(8)))).toBe(false);
    expect(verifier.verify(msg, sig.subarray(0, 71))).toBe(false);
  });

  it("createVerifier refuses a parsed key whose ID does not match", () => {
    const k = parseVerifierKey(PETER_VKEY);
    expectCode(() => createVerifier({ ...k, name: "PeterNeuman" }), "MALFORMED_KEY");
  });
});
