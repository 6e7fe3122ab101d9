import { randomBytes } from "node:crypto";
import * as ed from "@noble/ed25519";
import { sha512 } from "@noble/hashes/sha2.js";
import { describe, expect, it } from "vitest";
import { concatBytes, toHex, utf8 } from "../../src/core/bytes.js";
import { type Ed25519, ed25519Native, ed25519Portable, isUsablePublicKey } from "../../src/crypto/ed25519.js";
import { sha256Native, sha256Portable } from "../../src/crypto/sha256.js";
import { fixture, hex, testBytes } from "./helpers.js";

interface WycheproofTest {
  tcId: number;
  comment: string;
  msg: string;
  sig: string;
  result: "valid" | "invalid" | "acceptable";
}
interface WycheproofFile {
  numberOfTests: number;
  testGroups: { publicKey: { pk: string }; tests: WycheproofTest[] }[];
}
interface RfcVector {
  name: string;
  secretKey: string;
  publicKey: string;
  message: string;
  signature: string;
}

const wycheproof = JSON.parse(fixture("vectors/wycheproof/ed25519_test.json")) as WycheproofFile;
const cases = wycheproof.testGroups.flatMap((g) => g.tests.map((t) => ({ ...t, pk: g.publicKey.pk })));
const rfc8032 = (JSON.parse(fixture("vectors/rfc8032/ed25519.json")) as { vectors: RfcVector[] }).vectors;

if (!ed25519Native || !sha256Native)
  throw new Error("these tests run under Node, where the native backends exist");
const native: Ed25519 = ed25519Native;
const nativeSha256: (data: Uint8Array) => Uint8Array = sha256Native;
const backends: [string, Ed25519][] = [
  ["portable", ed25519Portable],
  ["native", native],
];

const P = 2n ** 255n - 19n;
const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const le32 = (n: bigint) => Uint8Array.from({ length: 32 }, (_, i) => Number((n >> BigInt(8 * i)) & 0xffn));
const fromLe = (b: Uint8Array) => b.reduceRight((acc, x) => (acc << 8n) | BigInt(x), 0n);
const challenge = (r: Uint8Array, a: Uint8Array, m: Uint8Array) => fromLe(sha512(concatBytes(r, a, m))) % L;
const sig = (r: Uint8Array, s: bigint) => concatBytes(r, le32(s));

/** The eight small-order points, generated from one of order 8 (checked, not trusted). */
function torsionPoints(): Uint8Array[] {
  const g = ed.Point.fromBytes(hex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"));
  expect(g.multiply(8n, false).is0()).toBe(true);
  expect(g.multiply(4n, false).is0()).toBe(false);
  return Array.from({ length: 8 }, (_, i) =>
    (i === 0 ? ed.Point.ZERO : g.multiply(BigInt(i), false)).toBytes(),
  );
}

describe("Ed25519 backends: Wycheproof", () => {
  it("loads every case", () => {
    expect(cases.length).toBe(wycheproof.numberOfTests);
    expect(cases.some((c) => c.result === "invalid")).toBe(true);
  });

  it.each(backends)("%s accepts every valid case and rejects every invalid one", (_, backend) => {
    const wrong = cases.filter((c) => {
      const ok = backend.verify(hex(c.sig), hex(c.msg), hex(c.pk));
      return (c.result === "valid" && !ok) || (c.result === "invalid" && ok);
    });
    expect(wrong.map((c) => `${c.tcId} ${c.comment}`)).toEqual([]);
  });

  it("native and portable agree on every case", () => {
    const differ = cases.filter(
      (c) =>
        native.verify(hex(c.sig), hex(c.msg), hex(c.pk)) !==
        ed25519Portable.verify(hex(c.sig), hex(c.msg), hex(c.pk)),
    );
    expect(differ.map((c) => c.tcId)).toEqual([]);
  });
});

describe("Ed25519 backends: RFC 8032 §7.1", () => {
  it("has the five vectors", () => {
    expect(rfc8032.map((v) => v.name)).toEqual(["TEST 1", "TEST 2", "TEST 3", "TEST 1024", "TEST SHA(abc)"]);
    expect(hex(rfc8032[3]?.message ?? "").length).toBe(1023);
  });

  describe.each(rfc8032)("$name", (v) => {
    it.each(backends)("%s derives the public key, reproduces the signature and verifies it", (_, backend) => {
      expect(toHex(backend.publicKey(hex(v.secretKey)))).toBe(v.publicKey);
      expect(toHex(backend.sign(hex(v.message), hex(v.secretKey)))).toBe(v.signature);
      expect(backend.verify(hex(v.signature), hex(v.message), hex(v.publicKey))).toBe(true);
      const tampered = hex(v.signature);
      tampered[5] = (tampered[5] as number) ^ 1;
      expect(backend.verify(tampered, hex(v.message), hex(v.publicKey))).toBe(false);
    });
  });
});

describe("Ed25519 backends: strict RFC 8032 edge cases beyond Wycheproof", () => {
  const seed = hex(rfc8032[0]?.secretKey ?? "");
  const pub = ed25519Portable.publicKey(seed);
  const a = ed.utils.getExtendedPublicKey(seed).scalar;
  const message = utf8("edge case");

  it.each(backends)("%s rejects every small-order public key, even when the equation holds", (_, backend) => {
    const identity = le32(1n);
    // R = identity, S = 0 satisfies [S]B = R + [k]A for small-order A whenever k = 0 mod 8.
    for (const A of torsionPoints()) {
      let n = 0;
      while (challenge(identity, A, utf8(`m${n}`)) % 8n !== 0n) n++;
      expect(backend.verify(sig(identity, 0n), utf8(`m${n}`), A)).toBe(false);
    }
  });

  it.each(backends)(
    "%s rejects non-canonical public key encodings (y >= p, x = 0 with sign bit)",
    (_, backend) => {
      const identityPlusP = le32(P + 1n);
      const negativeZero = le32(1n);
      negativeZero[31] = 0x80;
      for (const A of [identityPlusP, negativeZero]) {
        expect(backend.verify(sig(le32(1n), 0n), message, A)).toBe(false);
      }
    },
  );

  it.each(backends)("%s rejects a non-canonical R and S >= L that satisfy the equation", (_, backend) => {
    const R = le32(P + 1n); // the identity, encoded with y >= p
    const s = (challenge(R, pub, message) * a) % L; // [s]B = [k]A = R + [k]A
    expect(backend.verify(sig(R, s), message, pub)).toBe(false);
    const good = backend.sign(message, seed);
    const sPlusL = fromLe(good.subarray(32)) + L;
    expect(backend.verify(sig(good.subarray(0, 32), sPlusL), message, pub)).toBe(false);
    expect(backend.verify(good, message, pub)).toBe(true);
  });

  it("known divergence: R with a small-order component (cofactored vs cofactorless, both RFC 8032)", () => {
    // Only the key holder can make this: R = [r]B + T, S = r + k a. [8](R + [k]A - [S]B) = [8]T = 0.
    const T = ed.Point.fromBytes(torsionPoints()[1] as Uint8Array);
    const r = 12345n;
    const R = ed.Point.BASE.multiply(r).add(T).toBytes();
    const s = (r + challenge(R, pub, message) * a) % L;
    expect(native.verify(sig(R, s), message, pub)).toBe(false);
    expect(ed25519Portable.verify(sig(R, s), message, pub)).toBe(true);
  });
});

describe("isUsablePublicKey (keys bound to parties)", () => {
  it("accepts real keys: RFC 8032's and every one Wycheproof verifies a valid signature with", () => {
    const keys = [
      ...rfc8032.map((v) => v.publicKey),
      ...cases.filter((c) => c.result === "valid").map((c) => c.pk),
    ];
    expect(keys.filter((k) => !isUsablePublicKey(hex(k)))).toEqual([]);
  });

  it("refuses small-order points, non-canonical encodings, points off the curve and wrong lengths", () => {
    for (const A of torsionPoints()) expect(isUsablePublicKey(A), toHex(A)).toBe(false);
    expect(isUsablePublicKey(le32(P + 1n))).toBe(false); // y >= p
    expect(isUsablePublicKey(hex("ff".repeat(32)))).toBe(false);
    // y = 2 has no x on the curve; noble refuses to decode it.
    expect(() => ed.Point.fromBytes(le32(2n))).toThrow();
    expect(isUsablePublicKey(le32(2n))).toBe(false);
    expect(isUsablePublicKey(new Uint8Array(31))).toBe(false);
  });
});

describe("SHA-256 backends", () => {
  it("both give the FIPS 180-2 'abc' digest", () => {
    const want = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    expect(toHex(nativeSha256(utf8("abc")))).toBe(want);
    expect(toHex(sha256Portable(utf8("abc")))).toBe(want);
    expect(toHex(nativeSha256(new Uint8Array(0)))).toBe(
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    );
  });

  it("agree on random inputs of many lengths", () => {
    const lengths = [...Array.from({ length: 257 }, (_, i) => i), 1000, 4096, 65536, 65537, 1 << 20];
    for (const n of lengths) {
      const data = new Uint8Array(randomBytes(n));
      expect(toHex(nativeSha256(data)), `length ${n}`).toBe(toHex(sha256Portable(data)));
    }
    const offset = testBytes(100).subarray(7, 77); // a view into a larger buffer
    expect(toHex(nativeSha256(offset))).toBe(toHex(sha256Portable(offset)));
  });
});
