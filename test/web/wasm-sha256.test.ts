import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  createWasmSha256,
  preferredVariant,
  sha256ModuleBytes,
  WINDOW,
} from "../../src/web/client/verify/wasm-sha256.js";

const reference = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

for (const variant of ["simd", "scalar"] as const) {
  describe(`the generated WebAssembly SHA-256 (${variant})`, () => {
    const wasm = async (parts: Uint8Array[]): Promise<string> => {
      const h = await createWasmSha256(variant);
      for (const p of parts) h.update(p);
      return h.digestHex();
    };
    suite(wasm);
  });
}

describe("variant choice", () => {
  it("uses SIMD where the engine validates it, and both modules are valid WebAssembly here", () => {
    expect(WebAssembly.validate(sha256ModuleBytes("scalar") as Uint8Array<ArrayBuffer>)).toBe(true);
    expect(WebAssembly.validate(sha256ModuleBytes("simd") as Uint8Array<ArrayBuffer>)).toBe(true);
    expect(preferredVariant()).toBe("simd");
  });
});

function suite(wasm: (parts: Uint8Array[]) => Promise<string>) {
  it("matches the FIPS 180-4 examples", async () => {
    const enc = new TextEncoder();
    expect(await wasm([])).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(await wasm([enc.encode("abc")])).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
    expect(await wasm([enc.encode("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")])).toBe(
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
    );
  });

  it("matches node:crypto at every length around the block and padding boundaries", async () => {
    const data = new Uint8Array(randomBytes(300));
    for (let n = 0; n <= 300; n++)
      expect(await wasm([data.subarray(0, n)]), `length ${n}`).toBe(reference(data.subarray(0, n)));
  });

  it("gives the same digest however the input is split, across its input window", async () => {
    const data = new Uint8Array(randomBytes(WINDOW * 2 + 12345));
    const want = reference(data);
    expect(await wasm([data])).toBe(want);
    const parts: Uint8Array[] = [];
    for (let off = 0, i = 0; off < data.length; i++) {
      const n = [1, 63, 64, 65, 1000, 777_777, WINDOW - 1, WINDOW + 1][i % 8] as number;
      parts.push(data.subarray(off, off + n));
      off += n;
    }
    expect(await wasm(parts)).toBe(want);
  });
}
