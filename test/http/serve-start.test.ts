import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BIN } from "../helpers/run-cli.js";
import { testCosigner, testLog } from "../witness/helpers.js";

/** Runs `notarium serve` until it prints its URL (then SIGTERM) or exits on its own. */
function serve(dir: string, env: Record<string, string>) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, "serve"], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? "", HOST: "127.0.0.1", NOTARIUM_LOG_LEVEL: "warn", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      if (/serving http/.test(stdout)) child.kill("SIGTERM");
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

describe("notarium serve's first start", () => {
  it("shows the admin token on the first start that succeeds, not on one that failed on its configuration", async () => {
    const dir = mkdtempSync(join(tmpdir(), "notarium-first-start-"));
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, "127.0.0.1", r));
    const port = String((busy.address() as { port: number }).port);
    writeFileSync(join(dir, "policy.txt"), "log not-a-key\n");
    try {
      const portTaken = await serve(dir, { PORT: port });
      expect(portTaken.status).not.toBe(0);
      expect(portTaken.stderr).toContain(`cannot listen: 127.0.0.1:${port} is already in use`);
      const badPolicy = await serve(dir, { PORT: "0", NOTARIUM_WITNESS_POLICY: "policy.txt" });
      expect(badPolicy.status).not.toBe(0);
      expect(badPolicy.stderr).toMatch(/polic/i);
      for (const failed of [portTaken, badPolicy]) expect(failed.stdout).not.toContain("ntr_");
      expect(existsSync(join(dir, "keys/admin.token"))).toBe(false);
    } finally {
      busy.close();
    }
    // keys/admin.token cannot be written (a directory is in the way): refused, and nothing used up.
    mkdirSync(join(dir, "keys/admin.token"), { recursive: true });
    const unwritable = await serve(dir, { PORT: "0" });
    expect([unwritable.status, unwritable.stdout.includes("ntr_")]).toEqual([2, false]);
    rmSync(join(dir, "keys/admin.token"), { recursive: true });
    const first = await serve(dir, { PORT: "0" });
    expect(first.status, first.stderr).toBe(0);
    const admin = readFileSync(join(dir, "keys/admin.token"), "utf8").trim();
    expect(admin).toMatch(/^ntr_/);
    expect(first.stdout).toContain(`first start: created the admin token`);
    expect(first.stdout).toContain(admin);
    const again = await serve(dir, { PORT: "0" });
    expect([again.status, again.stdout.includes("ntr_")]).toEqual([0, false]);
  });

  it("refuses a witness policy whose URLs are not http(s), or hold a password it would publish", async () => {
    const dir = mkdtempSync(join(tmpdir(), "notarium-witness-urls-"));
    const cases: [string, string][] = [
      ["http://court:s3cret@127.0.0.1:1", "its URL must not hold a user or password"],
      ["127.0.0.1:33881", "its URL is not a URL"],
      ["ftp://witness.example/court", "its URL must be http(s), not ftp:"],
      ["court:s3cret@witness.example", "its URL must be http(s), not court:"],
    ];
    for (const [url, why] of cases) {
      const policy = [`log ${testLog().vkey}`, `witness A ${testCosigner().vkey} ${url}`, "quorum A", ""];
      writeFileSync(join(dir, "policy.txt"), policy.join("\n"));
      const r = await serve(dir, { PORT: "0", NOTARIUM_WITNESS_POLICY: "policy.txt" });
      expect([r.status, r.stdout]).toEqual([2, ""]);
      expect(r.stderr).toContain(`NOTARIUM_WITNESS_POLICY policy.txt: witness A: `);
      expect(r.stderr).toContain(why);
      expect(r.stderr).not.toContain("s3cret@");
    }
  });
});
