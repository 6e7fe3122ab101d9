import { afterEach, describe, expect, it, vi } from "vitest";

/** An encoder independent of both of ours: the platform's btoa over a binary string. */
const reference = (b: Uint8Array) => btoa(String.fromCharCode(...b));

/**
 * Every length 0..99, as a view at a non-zero offset into a larger buffer (as stored rows are):
 * both sides of where the encoders switch from their short-text path (hashes) to the long one.
 */
function samples(): Uint8Array[] {
  return Array.from({ length: 100 }, (_, n) => {
    const whole = new Uint8Array(n + 7);
    for (let i = 0; i < whole.length; i++) whole[i] = (i * 151 + n * 17) & 255;
    return whole.subarray(3, 3 + n);
  });
}

describe("toBase64 and fromBase64", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it("encode as RFC 4648 base64 with Node's Buffer, views included, and decode back", async () => {
    const { fromBase64, toBase64 } = await import("../../src/core/bytes.js");
    for (const b of samples()) {
      expect(toBase64(b)).toBe(reference(b));
      expect(fromBase64(toBase64(b))).toEqual(new Uint8Array(b));
    }
  });

  it("encode the same where there is no Buffer (browsers)", async () => {
    vi.stubGlobal("Buffer", undefined);
    vi.resetModules();
    const { toBase64 } = await import("../../src/core/bytes.js");
    for (const b of samples()) expect(toBase64(b)).toBe(reference(b));
  });
});

describe("toHex and fromHex", () => {
  it("encode as lowercase hex, short (hashes) and long, views included, and decode back", async () => {
    const { fromHex, toHex } = await import("../../src/core/bytes.js");
    for (const b of samples()) {
      expect(toHex(b)).toBe(Buffer.from(b).toString("hex"));
      expect(fromHex(toHex(b))).toEqual(new Uint8Array(b));
    }
    // The reused scratch of one length never leaks into the next text of that length.
    expect(toHex(Uint8Array.of(0xab, 0xcd))).toBe("abcd");
    expect(toHex(Uint8Array.of(0x01, 0x02))).toBe("0102");
  });
});
