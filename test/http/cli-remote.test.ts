import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, type CliResult } from "../helpers/run-cli.js";

/** The real `notarium serve` in a workspace, and the real CLI talking to it with --server. */
describe("notarium CLI against a running service (--server, --token)", () => {
  let ws: string;
  let server: ChildProcess;
  let url: string;
  let admin: string;
  /** Like runCli, but without blocking, so independent commands run side by side. */
  const cli = (args: string[]) =>
    new Promise<CliResult>((resolve) => {
      const child = spawn(process.execPath, [BIN, ...args], {
        cwd: ws,
        env: { PATH: process.env.PATH ?? "" },
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => {
        stdout += d.toString();
      });
      child.stderr.on("data", (d: Buffer) => {
        stderr += d.toString();
      });
      child.on("close", (status) => resolve({ status, stdout, stderr }));
    });

  beforeAll(async () => {
    ws = mkdtempSync(join(tmpdir(), "notarium-remote-"));
    writeFileSync(join(ws, "agreement.txt"), "调解协议 mediation agreement\n");
    writeFileSync(join(ws, "other.txt"), "never deposited\n");
    server = spawn(process.execPath, [BIN, "serve"], {
      cwd: ws,
      env: { PATH: process.env.PATH ?? "", PORT: "0", HOST: "127.0.0.1", NOTARIUM_LOG_LEVEL: "warn" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    url = await new Promise<string>((resolve, reject) => {
      let out = "";
      server.stdout?.on("data", (d: Buffer) => {
        out += d.toString();
        const m = /serving (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) resolve(m[1] as string);
      });
      server.on("exit", (code) => reject(new Error(`serve exited (${code})`)));
    });
    admin = readFileSync(join(ws, "keys/admin.token"), "utf8").trim();
  });
  afterAll(() => {
    server.kill("SIGTERM");
  });

  it("makes a mediator token while the service runs, prints it once, and lists it without the secret", async () => {
    const [made, bad] = await Promise.all([
      cli(["token", "create", "--role", "mediator", "--name", "mediator-1"]),
      cli(["token", "create", "--role", "root", "--name", "x"]),
    ]);
    expect(made.status, made.stderr).toBe(0);
    expect(bad.status).toBe(2);
    const token = made.stdout.trim();
    expect(token).toMatch(/^ntr_[A-Za-z0-9_-]{43}$/);
    const list = await cli(["token", "list", "--json"]);
    expect(list.status).toBe(0);
    const rows = list.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(rows.map((r) => [r.name, r.role])).toEqual([
      ["admin", "admin"],
      ["mediator-1", "mediator"],
    ]);
    expect(list.stdout).not.toContain(token);
    expect(list.stdout).not.toContain(admin);
  });

  it("deposits by digest with --server, verifies with the server's key, and serves the checkpoint and proofs", async () => {
    const d = await cli([
      "deposit",
      "agreement.txt",
      "--json",
      "--save-proof",
      "--server",
      url,
      "--token",
      admin,
    ]);
    expect(d.status, d.stderr).toBe(0);
    expect(JSON.parse(d.stdout)).toMatchObject({ file: "agreement.txt", index: 0 });
    const otherLog = "evidence.example/log1+d8c1739f+AR+ytxeXyGwz6oa29Sc81qX43KWtyIeObWtDCvyfXKrU";
    const [v, missing, wrongKey, key, cp, inc, con, beyond] = await Promise.all([
      cli(["verify", "agreement.txt", "--server", url, "--json"]),
      cli(["verify", "other.txt", "--server", url]),
      cli(["verify", "agreement.txt", "--server", url, "--key", otherLog]),
      cli(["key", "--server", url]),
      cli(["checkpoint", "--server", url]),
      cli(["prove", "inclusion", "0", "--server", url]),
      cli(["prove", "consistency", "1", "1", "--server", url]),
      cli(["prove", "inclusion", "99", "--server", url]),
    ]);
    expect(v.status, v.stderr).toBe(0);
    expect(JSON.parse(v.stdout)).toMatchObject({ valid: true });
    expect(missing.status).toBe(1);
    expect(wrongKey.status).toBe(1);
    const vkey = key.stdout.trim();
    expect(vkey).toBe(readFileSync(join(ws, "keys/log.vkey"), "utf8").trim());
    expect(cp.stdout.split("\n")[1]).toMatch(/^\d+$/);
    expect(JSON.parse(inc.stdout)).toMatchObject({ index: 0, size: 1, proof: [] });
    expect(JSON.parse(con.stdout)).toMatchObject({ from: 1, to: 1, proof: [] });
    expect(beyond.status).toBe(2);
    // The saved receipt verifies offline against the key the server publishes.
    expect(
      (await cli(["verify", "agreement.txt", "--proof", "agreement.txt.tlog-proof", "--key", vkey])).status,
    ).toBe(0);
  });

  it("trusts no server's word without a proof it checks itself, and no empty --key", async () => {
    const vkey = readFileSync(join(ws, "keys/log.vkey"), "utf8").trim();
    // A server that says every file is valid, and sends no proof.
    const liar = createServer(async (req, res) => {
      let body = "";
      for await (const chunk of req) body += chunk;
      res.setHeader("content-type", "application/json");
      res.end(
        JSON.stringify({
          valid: true,
          sha256: JSON.parse(body).sha256,
          matches: [],
          checks: [{ name: "digest", ok: true, detail: "trust me" }],
        }),
      );
    });
    await new Promise<void>((r) => liar.listen(0, "127.0.0.1", r));
    const liarUrl = `http://127.0.0.1:${(liar.address() as AddressInfo).port}`;
    try {
      const lied = await cli(["verify", "other.txt", "--server", liarUrl, "--key", vkey]);
      expect(lied.status, lied.stdout).toBe(1);
      expect(lied.stdout).toContain("the server said valid but sent no proof to check");
    } finally {
      liar.close();
    }
    // `--key "$(notarium key --server …)"` when that command failed: refused, not the local keys.
    const empty = await cli(["verify", "agreement.txt", "--server", url, "--key", ""]);
    expect([empty.status, empty.stderr]).toEqual([2, expect.stringContaining("--key is empty")]);
    const emptyOffline = await cli([
      "verify",
      "agreement.txt",
      "--proof",
      "agreement.txt.tlog-proof",
      "--key",
      " ",
    ]);
    expect(emptyOffline.status).toBe(2);
  });

  it("exits 2 with a clear message for a missing, wrong-role, revoked or unknown token, and an unreachable server", async () => {
    const [court, leaving] = await Promise.all([
      cli(["token", "create", "--role", "court", "--name", "court-1"]),
      cli(["token", "create", "--role", "mediator", "--name", "leaving"]),
    ]);
    expect((await cli(["token", "revoke", "leaving"])).status).toBe(0);
    await new Promise((r) => setTimeout(r, 1100)); // the service re-reads the token file at most once a second
    const [noToken, forbidden, revoked, nobody, down, notUrl] = await Promise.all([
      cli(["deposit", "other.txt", "--server", url]),
      cli(["deposit", "other.txt", "--server", url, "--token", court.stdout.trim()]),
      cli(["deposit", "other.txt", "--server", url, "--token", leaving.stdout.trim()]),
      cli(["token", "revoke", "nobody"]),
      cli(["key", "--server", "http://127.0.0.1:9"]),
      cli(["key", "--server", "not a url"]),
    ]);
    expect([noToken.status, noToken.stderr]).toEqual([2, expect.stringContaining("--token")]);
    expect([forbidden.status, forbidden.stderr]).toEqual([2, expect.stringContaining("FORBIDDEN")]);
    expect([revoked.status, revoked.stderr]).toEqual([2, expect.stringContaining("UNAUTHENTICATED")]);
    expect(nobody.status).toBe(1);
    expect([down.status, down.stderr]).toEqual([2, expect.stringContaining("cannot reach")]);
    expect(notUrl.status).toBe(2);
  });

  it("tells a URL that is not a Notarium service from a real answer, and gives up on one that never answers", async () => {
    // Each path answers the way some other server might: a web page, null, a bare 404, a crash, silence.
    const other = createServer((req, res) => {
      const path = req.url?.replace(/\?.*/, "");
      if (path === "/api/v1/log/keys") {
        res.setHeader("content-type", "text/html");
        res.end("<html>Welcome to nginx!</html>");
      } else if (path === "/api/v1/log/checkpoint") {
        res.setHeader("content-type", "text/plain");
        res.end("<html>not a checkpoint</html>\n");
      } else if (path === "/api/v1/log/proof/inclusion") {
        res.setHeader("content-type", "application/json");
        res.end("null");
      } else if (path === "/api/v1/log/proof/consistency") {
        res.setHeader("content-type", "application/json");
        res.setHeader("x-request-id", "req-42");
        res.statusCode = 500;
        res.end(JSON.stringify({ error: { code: "INTERNAL", message: "something broke" } }));
      } else {
        res.statusCode = 404;
        res.end("Not Found");
      }
    });
    const silent = createServer((req) => req.resume());
    const vkey = readFileSync(join(ws, "keys/log.vkey"), "utf8").trim();
    await new Promise<void>((r) => other.listen(0, "127.0.0.1", r));
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const at = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    const silentAt = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      const [key, cp, inc, con, ver, dep, badTimeout] = await Promise.all([
        cli(["key", "--server", at]),
        cli(["checkpoint", "--server", at]),
        cli(["prove", "inclusion", "0", "--server", at]),
        cli(["prove", "consistency", "0", "1", "--server", at]),
        cli(["verify", "other.txt", "--server", at, "--key", vkey]),
        cli(["key", "--server", silentAt, "--timeout", "1.005"]), // 1.005 * 1000 is not a whole number
        cli(["key", "--server", at, "--timeout", "soon"]),
      ]);
      const notOurs = `${at}/api/v1/log/keys did not answer as a Notarium service does (not JSON but "<html>Welcome to nginx!</html>"); check --server`;
      expect([key.status, key.stdout, key.stderr.trim()]).toEqual([2, "", `notarium: ${notOurs}`]);
      expect([cp.status, cp.stdout]).toEqual([2, ""]);
      expect(cp.stderr).toContain(
        "/api/v1/log/checkpoint did not answer as a Notarium service does (not a signed checkpoint",
      );
      expect([inc.status, inc.stdout]).toEqual([2, ""]);
      expect(inc.stderr).toContain(
        "/api/v1/log/proof/inclusion?index=0 did not answer as a Notarium service does (the answer: Invalid input: expected object, received null); check --server",
      );
      expect([con.status, con.stderr.trim()]).toEqual([
        2,
        `notarium: ${at} failed (HTTP 500 Internal Server Error): something broke [INTERNAL]; request ID req-42 for its operator`,
      ]);
      // A bare 404 is a wrong URL (exit 2), not "this file was never recorded" (exit 1).
      expect([ver.status, ver.stdout]).toEqual([2, ""]);
      expect(ver.stderr).toContain(
        `${at}/api/v1/verify answered HTTP 404 Not Found, not a Notarium error; is --server the service's URL?`,
      );
      expect([dep.status, dep.stderr]).toEqual([
        2,
        expect.stringContaining("no answer within 1.005 s (--timeout)"),
      ]);
      expect([badTimeout.status, badTimeout.stderr.trim()]).toEqual([
        2,
        'notarium: --timeout must be a number of seconds from 0.001 to 86400, not "soon"',
      ]);
    } finally {
      for (const s of [other, silent]) {
        s.close();
        s.closeAllConnections();
      }
    }
    // The real service under a path prefix it does not have: its own 404 for the route, also exit 2.
    const prefixed = await cli(["prove", "inclusion", "0", "--server", `${url}/notarium`]);
    expect([prefixed.status, prefixed.stderr]).toEqual([
      2,
      expect.stringContaining("give --server as the service's base URL"),
    ]);
  });
});
