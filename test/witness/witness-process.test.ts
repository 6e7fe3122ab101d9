import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { verifyCosignature } from "../../src/crypto/cosignature.js";
import { createVerifier } from "../../src/crypto/note-keys.js";
import { parseNote } from "../../src/crypto/signed-note.js";
import { BIN } from "../helpers/run-cli.js";
import { body, handTree, testLog } from "./helpers.js";

/*
 * `notarium witness` as a real process, bin/notarium.js from dist/ (the
 * vitest globalSetup builds it): first run, a cosignature over HTTP, SIGTERM, and a restart that
 * keeps its key and state.
 */

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Started {
  child: ChildProcess;
  vkey: string;
  url: string;
  stderr: () => string;
}

function start(args: string[], env: Record<string, string> = {}): Promise<Started> {
  const child = spawn(process.execPath, [BIN, "witness", ...args], {
    env: { ...process.env, NOTARIUM_LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout?.on("data", (c) => {
    out += c;
  });
  child.stderr?.on("data", (c) => {
    err += c;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`witness did not start: ${err}`)), 10_000);
    const check = () => {
      const port = /listening on 127\.0\.0\.1:(\d+)/.exec(err)?.[1];
      if (port && out.includes("\n")) {
        clearTimeout(timer);
        resolve({
          child,
          vkey: out.split("\n")[0] as string,
          url: `http://127.0.0.1:${port}`,
          stderr: () => err,
        });
      }
    };
    child.stdout?.on("data", check);
    child.stderr?.on("data", check);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`witness exited with ${code}: ${err}`));
    });
  });
}

function stop(s: Started, signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> {
  return new Promise((resolve) => {
    s.child.removeAllListeners("exit");
    s.child.on("exit", (code) => resolve(code));
    s.child.kill(signal);
  });
}

describe("notarium witness (child process, from dist/)", () => {
  it("starts, prints its vkey, cosigns, stops on SIGTERM and keeps its key and state", async () => {
    const data = mkdtempSync(join(tmpdir(), "notarium-witness-proc-"));
    dirs.push(data);
    const log = testLog();
    const vkeyFile = join(data, "log.vkey");
    writeFileSync(vkeyFile, `${log.vkey}\n`);
    const tree = handTree(8);
    const args = [
      "--name",
      "test.notarium.invalid/court-p",
      "--log",
      vkeyFile,
      "--port",
      "0",
      "--host",
      "127.0.0.1",
      "--data",
      join(data, "w"),
    ];
    // NOTARIUM_DATA_DIR is the log's directory: the witness must not use it.
    const first = await start(args, { NOTARIUM_DATA_DIR: join(data, "ledger") });
    expect(createVerifier(first.vkey).type).toBe(0x04);
    expect(first.stderr()).toContain("created the witness key");
    const note = log.sign(3, tree.root(3));
    const res = await fetch(`${first.url}/add-checkpoint`, { method: "POST", body: body(0, [], note) });
    expect(res.status).toBe(200);
    verifyCosignature(parseNote(note).text, await res.text(), createVerifier(first.vkey));
    expect(await stop(first)).toBe(0);
    expect(existsSync(join(data, "w", "witness.key"))).toBe(true);
    expect(existsSync(join(data, "ledger"))).toBe(false);

    const second = await start(args);
    expect(second.vkey).toBe(first.vkey);
    expect(second.stderr()).not.toContain("created the witness key");
    const again = await fetch(`${second.url}/add-checkpoint`, {
      method: "POST",
      body: body(0, [], log.sign(5, tree.root(5))),
    });
    expect(again.status).toBe(409);
    expect(await again.text()).toBe("3\n");
    expect(await stop(second, "SIGINT")).toBe(0);
  });

  it("exits with a message when a flag is wrong", async () => {
    await expect(start(["--name", "court.invalid/w", "--log", "not-a-key", "--port", "0"])).rejects.toThrow(
      /--log/,
    );
  });
});
