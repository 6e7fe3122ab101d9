import { spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { utf8 } from "../../src/core/bytes.js";
import { canonicalJson } from "../../src/core/canonical-json.js";
import { parseEntry } from "../../src/ledger/entry.js";
import { LevelLedgerStore } from "../../src/storage/level-store.js";
import { BIN, runCli } from "../helpers/run-cli.js";

function workspace() {
  const cwd = mkdtempSync(join(tmpdir(), "notarium-cli-"));
  writeFileSync(join(cwd, "contract.txt"), "调解协议 mediation agreement\n");
  writeFileSync(join(cwd, "photo.bin"), Buffer.alloc(300_000, 7));
  writeFileSync(join(cwd, "other.txt"), "never deposited\n");
  return cwd;
}

describe("notarium CLI (real binary)", () => {
  let cwd: string;
  beforeAll(() => {
    cwd = workspace();
    const r = runCli(["deposit", "contract.txt", "photo.bin", "--save-proof", "--json"], { cwd });
    expect(r.status, r.stderr).toBe(0);
  });

  it("deposits files and prints one JSON receipt per line", () => {
    const r = runCli(["deposit", "other.txt", "--json"], { cwd: workspace() });
    expect(r.status, r.stderr).toBe(0);
    const receipt = JSON.parse(r.stdout.trim());
    expect(receipt).toMatchObject({ file: "other.txt", index: 0, blockHeight: 1 });
    expect(receipt.evidenceId).toMatch(/^NTR-[0-9A-Z]{16}$/);
    expect(receipt.tlogProof.startsWith("c2sp.org/tlog-proof@v1\n")).toBe(true);
  });

  it("shows every receipt when a proof file cannot be written, then says which (exit 2)", () => {
    const ws = workspace();
    mkdirSync(join(ws, "contract.txt.tlog-proof")); // a directory where the proof file would go
    const r = runCli(["deposit", "contract.txt", "other.txt", "--save-proof"], { cwd: ws });
    expect(r.status).toBe(2);
    expect(r.stdout.match(/evidence ID {2}NTR-/g)).toHaveLength(2);
    expect(r.stderr).toContain("every file above is recorded");
    expect(r.stderr).toContain("contract.txt.tlog-proof (it is a directory)");
    expect(readFileSync(join(ws, "other.txt.tlog-proof"), "utf8")).toMatch(/^c2sp\.org\/tlog-proof@v1\n/);
    // Both are recorded: verify finds them.
    expect(runCli(["verify", "contract.txt"], { cwd: ws }).status).toBe(0);
  });

  it("refuses to read a log that is not there (a mistyped --data) rather than make an empty one", () => {
    const ws = workspace();
    for (const args of [["audit"], ["checkpoint"], ["verify", "contract.txt"], ["prove", "inclusion", "0"]]) {
      const r = runCli([...args, "--data", "typo"], { cwd: ws });
      expect([r.status, r.stderr], args.join(" ")).toEqual([2, expect.stringContaining("no ledger in typo")]);
    }
    expect(existsSync(join(ws, "typo"))).toBe(false);
    expect(existsSync(join(ws, "keys"))).toBe(false);
  });

  it("keeps the log key private (0600) and publishes the verifier key", () => {
    const mode = (p: string) => (statSync(p).mode & 0o777).toString(8);
    expect(mode(join(cwd, "keys/log.key"))).toBe("600");
    const key = runCli(["key"], { cwd });
    expect(key.status).toBe(0);
    expect(key.stdout.trim()).toBe(readFileSync(join(cwd, "keys/log.vkey"), "utf8").trim());
    expect(key.stdout).toMatch(/^notarium\.local\/[0-9a-f]{8}\+[0-9a-f]{8}\+A/);
  });

  it("verifies a deposited file against the ledger (exit 0) and an unknown one fails (exit 1)", () => {
    expect(runCli(["verify", "contract.txt"], { cwd }).status).toBe(0);
    const r = runCli(["verify", "other.txt", "--json"], { cwd });
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ valid: false });
  });

  it("verifies offline with a .tlog-proof and the log key, and rejects the wrong file or key", () => {
    const vkey = readFileSync(join(cwd, "keys/log.vkey"), "utf8").trim();
    const ok = runCli(
      ["verify", "contract.txt", "--proof", "contract.txt.tlog-proof", "--key", vkey, "--json"],
      { cwd },
    );
    expect(ok.status, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).checks.map((c: { name: string }) => c.name)).toEqual([
      "proof-format",
      "entry",
      "digest",
      "checkpoint",
      "inclusion",
    ]);
    expect(
      runCli(["verify", "photo.bin", "--proof", "contract.txt.tlog-proof", "--key", vkey], { cwd }).status,
    ).toBe(1);
    const otherLog = "evidence.example/log1+d8c1739f+AR+ytxeXyGwz6oa29Sc81qX43KWtyIeObWtDCvyfXKrU";
    expect(
      runCli(["verify", "contract.txt", "--proof", "contract.txt.tlog-proof", "--key", otherLog], { cwd })
        .status,
    ).toBe(1);
    const malformed = "other.example/log+12345678+AeCYQEvzHuQAJ7D0rTC8wAvNAv6v204IJOaLUILVIjsB";
    expect(
      runCli(["verify", "contract.txt", "--proof", "contract.txt.tlog-proof", "--key", malformed], { cwd })
        .status,
    ).toBe(2);
  });

  it("detects a tampered proof file offline", () => {
    const text = readFileSync(join(cwd, "contract.txt.tlog-proof"), "utf8");
    const lines = text.split("\n");
    const i = lines.findIndex((l) => l.startsWith("index "));
    lines[i + 1] =
      `${(lines[i + 1] as string).startsWith("A") ? "B" : "A"}${(lines[i + 1] as string).slice(1)}`;
    writeFileSync(join(cwd, "bad.tlog-proof"), lines.join("\n"));
    const r = runCli(["verify", "contract.txt", "--proof", "bad.tlog-proof", "--json"], { cwd });
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).checks.at(-1)).toMatchObject({ name: "inclusion", ok: false });
    writeFileSync(join(cwd, "garbage.tlog-proof"), "not a proof");
    expect(runCli(["verify", "contract.txt", "--proof", "garbage.tlog-proof"], { cwd }).status).toBe(1);
  });

  it("prints checkpoints and proofs, and refuses bad numbers with exit 2", () => {
    const cp = runCli(["checkpoint"], { cwd });
    expect(cp.stdout).toMatch(/^notarium\.local\/[0-9a-f]{8}\n2\n[A-Za-z0-9+/]{43}=\n\n— /);
    const p = JSON.parse(runCli(["prove", "inclusion", "1", "--size", "2"], { cwd }).stdout);
    expect(p).toMatchObject({ index: 1, size: 2 });
    expect(p.proof).toHaveLength(1);
    expect(JSON.parse(runCli(["prove", "consistency", "1", "2"], { cwd }).stdout).proof).toHaveLength(1);
    for (const args of [
      ["prove", "inclusion", "2"],
      ["prove", "inclusion", "-1"],
      ["prove", "inclusion", "1x"],
      ["prove", "consistency", "2", "1"],
      ["prove", "consistency", "0", "1"],
    ]) {
      const r = runCli(args, { cwd });
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr.length).toBeGreaterThan(0);
    }
  });

  it("refuses unreadable input with exit 2 and says why", () => {
    const r = runCli(["deposit", "missing.txt"], { cwd });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/missing\.txt/);
    expect(runCli(["verify", "missing.txt"], { cwd }).status).toBe(2);
    expect(runCli(["frobnicate"], { cwd }).status).toBe(2);
  });

  it("refuses a --title whose bytes are not UTF-8 instead of recording it changed", () => {
    // Node decodes the command line before we see it: the byte 0xff arrives as U+FFFD.
    const r = spawnSync(
      "sh",
      ["-c", `"${process.execPath}" "${BIN}" deposit contract.txt --title "$(printf 'bad \\377')"`],
      {
        cwd,
        encoding: "utf8",
      },
    );
    expect([r.status, r.stdout, r.stderr.trim()]).toEqual([
      2,
      "",
      "notarium: --title is not valid UTF-8 (or holds U+FFFD, the replacement character); check the terminal's encoding",
    ]);
  });

  it("passes audit, then names the first tampered index with exit 1", async () => {
    const dir = workspace();
    for (let i = 0; i < 5; i++) {
      writeFileSync(join(dir, `f${i}`), `file ${i}`);
      expect(runCli(["deposit", `f${i}`], { cwd: dir }).status).toBe(0);
    }
    expect(runCli(["audit"], { cwd: dir }).stdout).toMatch(/audit OK: 5 entries, 6 signed checkpoints/);
    const store = new LevelLedgerStore(join(dir, "data/ledger"));
    await store.open();
    const e = parseEntry((await store.getEntry(2)) as Uint8Array);
    const key = new Uint8Array(9);
    key[0] = 0x65;
    key[8] = 2;
    // Stored value = leaf hash || entry; change the entry bytes only, as an attacker editing the DB would.
    const stored = (await store.raw.get(key)) as Uint8Array;
    await store.raw.put(
      key,
      Buffer.concat([
        stored.subarray(0, 32),
        utf8(canonicalJson({ ...e, body: { sha256: "f".repeat(64) } })),
      ]),
    );
    await store.close();
    const r = runCli(["audit"], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/index 2/);
  });

  it("refuses a data directory held by another process", async () => {
    const store = new LevelLedgerStore(join(cwd, "data/ledger"));
    await store.open();
    try {
      const r = runCli(["checkpoint"], { cwd });
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/in use by another process/);
      expect(r.stderr).toMatch(/DATA_DIR_LOCKED/);
    } finally {
      await store.close();
    }
  });

  it("refuses a key file others can read, or one that is malformed, with a fix", () => {
    const dir = workspace();
    expect(runCli(["deposit", "contract.txt"], { cwd: dir }).status).toBe(0);
    chmodSync(join(dir, "keys/log.key"), 0o644);
    const r = runCli(["checkpoint"], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/chmod 600/);
    chmodSync(join(dir, "keys/log.key"), 0o600);
    writeFileSync(join(dir, "keys/log.key"), "garbage\n");
    const m = runCli(["checkpoint"], { cwd: dir });
    expect(m.status).toBe(2);
    expect(m.stderr).toMatch(/KEY_FILE_MALFORMED/);
  });

  it("keygen refuses a passphrase with --unencrypted, and says why it cannot write the key", () => {
    const ws = workspace();
    writeFileSync(join(ws, "pass.txt"), "a long enough passphrase\n");
    const both = runCli(["keygen", "--unencrypted", "--passphrase-file", "pass.txt"], { cwd: ws });
    expect([both.status, both.stderr.trim()]).toEqual([
      2,
      "notarium: --unencrypted stores the key without a passphrase: drop --passphrase-file, or --unencrypted",
    ]);
    expect(existsSync(join(ws, "party.key"))).toBe(false);
    const noDir = runCli(["keygen", "--unencrypted", "--out", "missing/party.key"], { cwd: ws });
    expect([noDir.status, noDir.stderr.trim()]).toEqual([
      2,
      "notarium: cannot write missing/party.key: no such file or directory [FILE_UNREADABLE]",
    ]);
  });
});
