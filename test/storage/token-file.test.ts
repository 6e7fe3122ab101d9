import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { secureRandomBytes, systemClock } from "../../src/core/clock.js";
import { createToken, listTokens } from "../../src/service/tokens.js";
import { TokenFile, writeFileAtomic } from "../../src/storage/token-file.js";

const deps = { clock: systemClock, randomBytes: secureRandomBytes };
const fresh = () => new TokenFile(join(mkdtempSync(join(tmpdir(), "notarium-tokens-")), "tokens.json"));

describe("TokenFile", () => {
  it("reads an absent file as no tokens", async () => {
    const f = fresh();
    expect(await f.read()).toEqual({ records: [], version: undefined });
    expect(await f.exists()).toBe(false);
  });

  it("writes mode 0600, leaves no temp files, and changes its version on every write", async () => {
    const f = fresh();
    await createToken(f, { name: "a", role: "admin" }, deps);
    const v1 = await f.version();
    await createToken(f, { name: "b", role: "court" }, deps);
    const v2 = await f.version();
    expect(v1).not.toBe(v2);
    expect((statSync(f.path).mode & 0o777).toString(8)).toBe("600");
    expect(readdirSync(join(f.path, "..")).sort()).toEqual(["tokens.json"]);
    expect(JSON.parse(readFileSync(f.path, "utf8"))).toMatchObject({
      version: 1,
      tokens: [{ name: "a" }, { name: "b" }],
    });
    expect((await f.read()).version).toBe(v2);
  });

  it("serialises concurrent writers, losing no token", async () => {
    const f = fresh();
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => createToken(f, { name: `t${i}`, role: "mediator" }, deps)),
    );
    expect((await listTokens(f)).map((r) => r.name).sort()).toHaveLength(12);
  });

  it("refuses a file others can read, and a malformed one", async () => {
    const f = fresh();
    await createToken(f, { name: "a", role: "admin" }, deps);
    chmodSync(f.path, 0o644);
    await expect(f.read()).rejects.toMatchObject({ code: "KEY_FILE_PERMISSIONS" });
    writeFileSync(f.path, "{nope", { mode: 0o600 });
    chmodSync(f.path, 0o600);
    await expect(f.read()).rejects.toMatchObject({ code: "KEY_FILE_MALFORMED" });
    writeFileSync(f.path, JSON.stringify({ version: 1, tokens: [{ name: "x" }] }));
    await expect(f.read()).rejects.toMatchObject({ code: "KEY_FILE_MALFORMED" });
  });

  it("replaces files atomically with the requested mode", async () => {
    const dir = mkdtempSync(join(tmpdir(), "notarium-atomic-"));
    const p = join(dir, "admin.token");
    await writeFileAtomic(p, "one\n");
    await writeFileAtomic(p, "two\n");
    expect(readFileSync(p, "utf8")).toBe("two\n");
    expect((statSync(p).mode & 0o777).toString(8)).toBe("600");
  });
});
