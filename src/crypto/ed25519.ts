import * as ed from "@noble/ed25519";
import { sha512 } from "@noble/hashes/sha2.js";
import { assertBytes, concatBytes } from "../core/bytes.js";
import { nodeCrypto } from "./native.js";

ed.hashes.sha512 = sha512;

/**
 * Ed25519 (RFC 8032 §5.1). Verification is strict RFC 8032 (§5.1.3 decoding,
 * §5.1.7 verification): canonical encodings of R and A, S < L, and small-order
 * public keys rejected (noble `zip215: false` policy). The portable backend
 * checks the cofactored equation, the native (OpenSSL) one the cofactorless
 * equation; RFC 8032 allows either, and they can only differ when R or A
 * carries a small-order component, which only the key's owner can arrange.
 * A bad signature returns false; malformed arguments (wrong lengths) throw.
 */
export interface Ed25519 {
  publicKey(seed: Uint8Array): Uint8Array;
  sign(message: Uint8Array, seed: Uint8Array): Uint8Array;
  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
}

function checkVerifyArgs(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  assertBytes(message, undefined, "message");
  assertBytes(publicKey, 32, "Ed25519 public key");
  return assertBytes(signature, undefined, "Ed25519 signature").length === 64;
}

export const ed25519Portable: Ed25519 = {
  publicKey: (seed) => ed.getPublicKey(assertBytes(seed, 32, "Ed25519 seed")),
  sign: (message, seed) =>
    ed.sign(assertBytes(message, undefined, "message"), assertBytes(seed, 32, "Ed25519 seed")),
  verify(signature, message, publicKey) {
    if (!checkVerifyArgs(signature, message, publicKey)) return false;
    try {
      return ed.verify(signature, message, publicKey, { zip215: false });
    } catch {
      return false; // undecodable point: not a valid signature
    }
  },
};

// p = 2^255 - 19 and L = 2^252 + 27742317777372353535851937790883648493, little-endian.
const P_LE = Uint8Array.from({ length: 32 }, (_, i) => (i === 0 ? 0xed : i === 31 ? 0x7f : 0xff));
const L_LE = Uint8Array.of(
  0xed,
  0xd3,
  0xf5,
  0x5c,
  0x1a,
  0x63,
  0x12,
  0x58,
  0xd6,
  0x9c,
  0xf7,
  0xa2,
  0xde,
  0xf9,
  0xde,
  0x14,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0x10,
);

/** Little-endian `a < b` for 32-byte values, with the top bit of `a` masked off when `mask`. */
function lessThanLE(a: Uint8Array, b: Uint8Array, mask: boolean): boolean {
  for (let i = 31; i >= 0; i--) {
    const x = i === 31 && mask ? (a[i] as number) & 0x7f : (a[i] as number);
    const y = b[i] as number;
    if (x !== y) return x < y;
  }
  return false;
}

/**
 * RFC 8032 §5.1.3 steps 1 and 4 on the bytes alone: y < p, and no "negative
 * zero" (x = 0, i.e. y = 1 or y = p - 1, with the sign bit set).
 */
function isCanonicalPointEncoding(b: Uint8Array): boolean {
  if (!lessThanLE(b, P_LE, true)) return false;
  if (((b[31] as number) & 0x80) === 0) return true;
  let isOne = b[0] === 1;
  let isMinusOne = b[0] === 0xec;
  for (let i = 1; i < 31; i++) {
    isOne &&= b[i] === 0;
    isMinusOne &&= b[i] === 0xff;
  }
  return !((isOne && b[31] === 0x80) || (isMinusOne && b[31] === 0xff));
}

/**
 * The y-coordinates (sign bit masked) of the eight small-order points: 1 (the
 * identity), p-1 (order 2), 0 (order 4) and the two of order 8. Canonical
 * encodings only: isCanonicalPointEncoding refuses the others first.
 */
const SMALL_ORDER_Y = [
  "0100000000000000000000000000000000000000000000000000000000000000",
  "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
  "0000000000000000000000000000000000000000000000000000000000000000",
  "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
  "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
].map((h) => Uint8Array.from(h.match(/../g) as string[], (x) => Number.parseInt(x, 16)));

/**
 * A canonically encoded public key that is not of small order (noble's strict
 * policy), on the bytes alone, as libsodium does: decoding the point with
 * BigInt arithmetic cost about 0.3 ms, paid once per party key. A key that is
 * not on the curve passes here and fails in OpenSSL's verification instead.
 */
function isAcceptablePublicKey(pub: Uint8Array): boolean {
  if (!isCanonicalPointEncoding(pub)) return false;
  return !SMALL_ORDER_Y.some((y) =>
    y.every((v, i) => v === (i === 31 ? (pub[31] as number) & 0x7f : pub[i])),
  );
}

/**
 * A public key that strict verification could ever accept: canonically
 * encoded, a point on the curve, and not of small order. Decodes the point
 * (a fraction of a millisecond), so it is for accepting a key once, when it
 * is bound to a party, not for each verification.
 */
export function isUsablePublicKey(pub: Uint8Array): boolean {
  if (pub.length !== 32 || !isAcceptablePublicKey(pub)) return false;
  try {
    return !ed.Point.fromBytes(pub).isSmallOrder();
  } catch {
    return false; // not on the curve
  }
}

// DER wrappers for raw Ed25519 keys (RFC 8410 §7 and §4).
const PKCS8_PREFIX = Uint8Array.of(
  0x30,
  0x2e,
  0x02,
  0x01,
  0x00,
  0x30,
  0x05,
  0x06,
  0x03,
  0x2b,
  0x65,
  0x70,
  0x04,
  0x22,
  0x04,
  0x20,
);
const SPKI_PREFIX = Uint8Array.of(0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00);

/**
 * What strict RFC 8032 asks beyond OpenSSL's check, on the bytes alone:
 * OpenSSL accepts non-canonical and small-order public keys, so those are
 * refused here, and R's encoding and S < L are checked up front rather than
 * left to it. False means the signature is invalid; true means OpenSSL's
 * verification decides. Malformed arguments (wrong lengths) throw.
 */
export function strictPrecheck(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  if (!checkVerifyArgs(signature, message, publicKey)) return false;
  if (!isCanonicalPointEncoding(signature.subarray(0, 32))) return false;
  if (!lessThanLE(signature.subarray(32, 64), L_LE, false)) return false;
  return isAcceptablePublicKey(publicKey);
}

/** Ed25519 via OpenSSL: an order of magnitude faster, used on the server's hot paths. */
export const ed25519Native: Ed25519 | undefined = nodeCrypto
  ? (() => {
      const c = nodeCrypto;
      const privCache = new Map<string, import("node:crypto").KeyObject>();
      // null marks a key that strict RFC 8032 rejects (OpenSSL would accept it).
      const pubCache = new Map<string, import("node:crypto").KeyObject | null>();
      const privateKey = (seed: Uint8Array) => {
        const id = Buffer.from(seed).toString("hex");
        let k = privCache.get(id);
        if (!k) {
          k = c.createPrivateKey({
            key: Buffer.from(concatBytes(PKCS8_PREFIX, seed)),
            format: "der",
            type: "pkcs8",
          });
          if (privCache.size > 64) privCache.clear();
          privCache.set(id, k);
        }
        return k;
      };
      const publicKeyObject = (pub: Uint8Array) => {
        const id = Buffer.from(pub).toString("hex");
        let k = pubCache.get(id);
        if (k === undefined) {
          // JWK, not DER: OpenSSL 3 imports a raw key from JWK about five times faster.
          k = isAcceptablePublicKey(pub)
            ? c.createPublicKey({
                key: { kty: "OKP", crv: "Ed25519", x: Buffer.from(pub).toString("base64url") },
                format: "jwk",
              })
            : null;
          if (pubCache.size > 1024) pubCache.clear();
          pubCache.set(id, k);
        }
        return k;
      };
      return {
        publicKey(seed) {
          const der = c
            .createPublicKey(privateKey(assertBytes(seed, 32, "Ed25519 seed")))
            .export({ format: "der", type: "spki" });
          return new Uint8Array(der.subarray(SPKI_PREFIX.length));
        },
        sign(message, seed) {
          const sig = c.sign(
            null,
            assertBytes(message, undefined, "message"),
            privateKey(assertBytes(seed, 32, "Ed25519 seed")),
          );
          return new Uint8Array(sig);
        },
        verify(signature, message, publicKey) {
          if (!strictPrecheck(signature, message, publicKey)) return false;
          try {
            const key = publicKeyObject(publicKey);
            return key !== null && c.verify(null, message, key, signature);
          } catch {
            return false; // OpenSSL refuses undecodable keys: not a valid signature
          }
        },
      } satisfies Ed25519;
    })()
  : undefined;

/** Native where available, portable elsewhere; both strict RFC 8032. */
export const ed25519: Ed25519 = ed25519Native ?? ed25519Portable;
