import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { createThreadedSha256, STAGE_BYTES, stopHashThread } from "../../src/crypto/sha256-thread.js";

const reference = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const hex = (d: Uint8Array) => Buffer.from(d).toString("hex");

afterAll(() => stopHashThread());

describe("SHA-256 on the hashing thread", () => {
  it("hashes nothing, a few bytes, and exactly one hand-over buffer like node:crypto", async () => {
    for (const n of [0, 3, STAGE_BYTES - 1, STAGE_BYTES, STAGE_BYTES + 1]) {
      const data = randomBytes(n);
      const h = createThreadedSha256();
      expect(h.update(data)).toBeUndefined();
      expect(hex(await h.digest()), `length ${n}`).toBe(reference(data));
    }
  });

  it("asks the caller to wait when a chunk outruns the thread, and keeps every byte in order", async () => {
    const data = randomBytes(STAGE_BYTES * 9 + 777);
    const h = createThreadedSha256();
    // More than the stream's buffers hold: the caller is asked to wait...
    expect(h.update(data.subarray(0, STAGE_BYTES * 6))).toBeInstanceOf(Promise);
    // ...and a caller that does not wait still gets its chunks hashed in order.
    for (let off = STAGE_BYTES * 6; off < data.length; off += 65_536)
      h.update(data.subarray(off, off + 65_536));
    // digest() waits for what is still queued behind the full pool.
    expect(hex(await h.digest())).toBe(reference(data));
  });

  it("keeps concurrent streams apart", async () => {
    const a = randomBytes(STAGE_BYTES * 3 + 5);
    const b = randomBytes(STAGE_BYTES * 2 + 9);
    const ha = createThreadedSha256();
    const hb = createThreadedSha256();
    for (let off = 0; off < a.length; off += 300_000) {
      await ha.update(a.subarray(off, off + 300_000));
      await hb.update(b.subarray(off, off + 300_000));
    }
    const [da, db] = await Promise.all([ha.digest(), hb.digest()]);
    expect([hex(da), hex(db)]).toEqual([reference(a), reference(b)]);
  });

  it("copies what it is given, so a caller may reuse its chunk buffer", async () => {
    const data = randomBytes(STAGE_BYTES * 2 + 100);
    const chunk = Buffer.alloc(100_000);
    const h = createThreadedSha256();
    for (let off = 0; off < data.length; off += chunk.length) {
      const n = data.copy(chunk, 0, off, off + chunk.length);
      await h.update(chunk.subarray(0, n));
      chunk.fill(0xee);
    }
    expect(hex(await h.digest())).toBe(reference(data));
  });

  it("starts a new thread after the old one is stopped, and abandoned streams are dropped", async () => {
    const h = createThreadedSha256();
    h.update(randomBytes(STAGE_BYTES * 2));
    h.abort();
    await stopHashThread();
    const data = randomBytes(STAGE_BYTES * 2 + 1);
    const again = createThreadedSha256();
    await again.update(data);
    expect(hex(await again.digest())).toBe(reference(data));
  });

  it("fails a stream whose thread dies, rather than answering a wrong digest", async () => {
    const h = createThreadedSha256();
    await h.update(randomBytes(STAGE_BYTES * 2));
    await stopHashThread();
    await expect(h.digest()).rejects.toThrow(/hashing thread exited/);
  });

  it("keeps a process alive while a digest is pending, and lets it exit afterwards", () => {
    // In a child process on the built module: the thread is referenced only while a stream is open.
    const module = new URL("../../dist/crypto/sha256-thread.js", import.meta.url).href;
    const script = `
      const { createThreadedSha256 } = await import(${JSON.stringify(module)});
      const h = createThreadedSha256();
      await h.update(new Uint8Array(${STAGE_BYTES * 3}).fill(7));
      console.log(Buffer.from(await h.digest()).toString("hex"));`;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
      encoding: "utf8",
      timeout: 10_000,
    });
    expect(out.trim()).toBe(reference(new Uint8Array(STAGE_BYTES * 3).fill(7)));
  });
});
