import { randomBytes } from "node:crypto";
import {
  chmodSync,
  linkSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Level } from "level";
import { describe, expect, it } from "vitest";
import type { IdentityRecord } from "../../src/esign/ports.js";
import { IdentityFiles } from "../../src/storage/identity-files.js";
import { LevelStateStore } from "../../src/storage/state-store.js";

const ID_NUMBER = "310101198001011234";
const record = (signer: string, salt: string): IdentityRecord => ({
  caseId: "case_0123456789abcdef",
  signer,
  salt,
  identity: { name: "王五", idNumber: ID_NUMBER },
  method: "ctid",
  attestedBy: "m",
  attestedAt: "2026-11-28T00:00:00.000Z",
});

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? filesUnder(join(dir, d.name)) : [join(dir, d.name)],
  );
}

/** The files under `dir` whose raw bytes contain `text`. */
function holding(dir: string, text: string): string[] {
  const needle = Buffer.from(text, "utf8");
  return filesUnder(dir).filter((f) => readFileSync(f).includes(needle));
}

describe("identity records", () => {
  it("are files of their own (0600), read back as written, and erased without a trace anywhere in the data directory", async () => {
    const data = mkdtempSync(join(tmpdir(), "notarium-identities-"));
    const store = new LevelStateStore(join(data, "state"));
    await store.open();
    // Random, as a real salt is: a repetitive one would be compressed out of sight in LevelDB's tables.
    const salt = randomBytes(32).toString("hex");
    await store.putIdentity(record("wang", salt));
    await store.putIdentity(record("li", "ab".repeat(32)));
    expect(await store.getIdentity("case_0123456789abcdef", "wang")).toEqual(record("wang", salt));
    const files = readdirSync(join(data, "identities"));
    expect(files).toHaveLength(2);
    for (const f of files) expect(statSync(join(data, "identities", f)).mode & 0o777).toBe(0o600);
    // Names and identity data: directories this service's user alone can enter.
    for (const d of ["identities", "state"]) expect(statSync(join(data, d)).mode & 0o777, d).toBe(0o700);

    // A second name for wang's file: after the erase it must read as zeros, not as the record.
    const wangFile = join(
      data,
      "identities",
      files.find((f) => f.endsWith(`.${Buffer.from("wang").toString("hex")}.json`)) as string,
    );
    const alias = join(data, "alias");
    linkSync(wangFile, alias);
    expect(await store.eraseIdentity("case_0123456789abcdef", "wang")).toBe(true);
    expect(readFileSync(alias).every((b) => b === 0)).toBe(true);
    rmSync(alias);
    expect(await store.getIdentity("case_0123456789abcdef", "wang")).toBeUndefined();
    expect(await store.eraseIdentity("case_0123456789abcdef", "wang")).toBe(false);
    // The salt is what opens the commitment on the log: no file may still hold it. (With the
    // record in LevelDB, its table file still did after the deletion and a manual compaction.)
    expect(holding(data, salt)).toEqual([]);
    // The other party's record is untouched.
    expect(await store.getIdentity("case_0123456789abcdef", "li")).toMatchObject({ salt: "ab".repeat(32) });
    await store.close();
  });

  it("kept in the state database by an earlier version move to their files when it opens", async () => {
    const data = mkdtempSync(join(tmpdir(), "notarium-identities-"));
    const old = new Level<string, string>(join(data, "state"), {
      keyEncoding: "utf8",
      valueEncoding: "utf8",
    });
    const r = record("wang", "0f".repeat(32));
    await old.put(`identity!${r.caseId}!${r.signer}`, JSON.stringify(r), { sync: true });
    await old.put("case!case_0123456789abcdef", "{}", { sync: true });
    await old.close();

    const store = new LevelStateStore(join(data, "state"));
    await store.open();
    expect(await store.getIdentity(r.caseId, r.signer)).toEqual(r);
    expect(readdirSync(join(data, "identities"))).toHaveLength(1);
    await store.close();
    const raw = new Level<string, string>(join(data, "state"), {
      keyEncoding: "utf8",
      valueEncoding: "utf8",
    });
    expect(await raw.keys({ gte: "identity!", lt: "identity!\uffff" }).all()).toEqual([]);
    expect(await raw.get("case!case_0123456789abcdef")).toBe("{}");
    await raw.close();
  });

  it("take any case and party ID as a safe file name", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "notarium-identities-")), "identities");
    const files = new IdentityFiles(dir);
    await files.open();
    const r = { ...record("../../etc/passwd", "aa".repeat(32)), caseId: "a/b" };
    await files.putIdentity(r);
    expect(readdirSync(dir)).toEqual([expect.stringMatching(/^[0-9a-f]+\.[0-9a-f]+\.json$/)]);
    expect(await files.getIdentity("a/b", "../../etc/passwd")).toEqual(r);
    expect(await files.eraseIdentity("a/b", "../../etc/passwd")).toBe(true);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("erase once when asked twice at once, and a crash's leftovers are shredded at the next open", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "notarium-identities-")), "identities");
    const files = new IdentityFiles(dir);
    await files.open();
    await files.putIdentity(record("wang", randomBytes(32).toString("hex")));
    const both = await Promise.all([
      files.eraseIdentity("case_0123456789abcdef", "wang"),
      files.eraseIdentity("case_0123456789abcdef", "wang"),
    ]);
    expect(both.sort()).toEqual([false, true]);
    // What a crash can leave: a record half erased, a record half written.
    writeFileSync(join(dir, "6361.77.json.0a0b0c.erasing"), ID_NUMBER);
    writeFileSync(join(dir, ".6361.77.json.0d0e0f.tmp"), ID_NUMBER);
    chmodSync(dir, 0o755);
    await new IdentityFiles(dir).open();
    expect(readdirSync(dir)).toEqual([]);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it("refuse to open, naming the place, where the directory cannot be made", async () => {
    const data = mkdtempSync(join(tmpdir(), "notarium-identities-"));
    writeFileSync(join(data, "identities"), "a file where the directory should be");
    const store = new LevelStateStore(join(data, "state"));
    await expect(store.open()).rejects.toThrow(/cannot use .*identities for identity data/);
    // The state database was closed again: another open succeeds once the cause is gone.
    rmSync(join(data, "identities"));
    const again = new LevelStateStore(join(data, "state"));
    await again.open();
    await again.close();
  });
});
