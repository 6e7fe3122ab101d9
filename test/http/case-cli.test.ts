import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LevelStateStore } from "../../src/storage/state-store.js";
import { nodeKeyPair } from "../helpers/cases.js";
import { runCliAsync } from "../helpers/run-cli.js";
import { invite, openCase, pdf, postSignature, signed } from "./case-helpers.js";
import { call, startTestService, type TestService } from "./helpers.js";

/** Party keys made by the real `notarium keygen`, signatures by the real `notarium sign`, against a running service. */
describe("party tools without a browser (notarium keygen, sign, verify --package, identity erase)", () => {
  let s: TestService;
  let ws: string;
  let vkey: string;
  const cli = (...args: string[]) => runCliAsync(args, { cwd: ws });
  const server = () => ["--server", s.url, "--token", s.tokens.mediator];

  beforeAll(async () => {
    s = await startTestService();
    ws = mkdtempSync(join(tmpdir(), "notarium-case-cli-"));
    writeFileSync(join(ws, "pass.txt"), "correct horse battery staple\n");
    writeFileSync(join(ws, "agreement.pdf"), pdf("调解协议 signed by the CLI"));
    writeFileSync(join(ws, "other.pdf"), pdf("another document"));
    vkey = s.key.verifierKey;
  });
  afterAll(() => s.close());

  it("signs a case with CLI keys, and the downloaded package verifies offline; tampering fails", async () => {
    const [ka, kb] = await Promise.all([
      cli("keygen", "--passphrase-file", "pass.txt", "--out", "alice.key"),
      runCliAsync(["keygen", "--out", "bob.key"], {
        cwd: ws,
        env: { NOTARIUM_KEY_PASSPHRASE: "another passphrase" },
      }),
    ]);
    expect(ka.status, ka.stderr).toBe(0);
    expect(kb.status, kb.stderr).toBe(0);
    expect(ka.stdout.trim()).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(join(ws, "alice.key")).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(ws, "alice.key"), "utf8")).toContain('"kdf": "PBKDF2-SHA256"');

    // Alice's key is known at opening; Bob binds his through his link when he signs.
    const { id } = await openCase(
      s,
      [
        { id: "alice", role: "applicant", publicKey: ka.stdout.trim() },
        { id: "bob", role: "respondent" },
      ],
      { agreement: readFileSync(join(ws, "agreement.pdf")) },
    );
    const [invA, invB] = [await invite(s, id, "alice"), await invite(s, id, "bob")];
    const [wrongPass, sa, sb] = await Promise.all([
      runCliAsync(["sign", "--invitation", invA.url, "--key", "alice.key"], {
        cwd: ws,
        env: { NOTARIUM_KEY_PASSPHRASE: "not the passphrase" },
      }),
      cli("sign", "--invitation", invA.url, "--key", "alice.key", "--passphrase-file", "pass.txt", "--json"),
      runCliAsync(["sign", "--invitation", invB.url, "--key", "bob.key"], {
        cwd: ws,
        env: { NOTARIUM_KEY_PASSPHRASE: "another passphrase" },
      }),
    ]);
    expect(sa.status, sa.stderr).toBe(0);
    expect(sb.status, sb.stderr).toBe(0);
    expect(JSON.parse(sa.stdout)).toMatchObject({ evidenceId: expect.stringMatching(/^NTR-/) });
    expect(sb.stdout).toContain("as bob (respondent)");
    expect([wrongPass.status, wrongPass.stderr]).toEqual([2, expect.stringContaining("wrong passphrase")]);

    const got = await cli("case", "package", id, "--out", "case.json", ...server());
    expect(got.status, got.stderr).toBe(0);
    const pkg = JSON.parse(readFileSync(join(ws, "case.json"), "utf8"));
    // Alice's signed role rewritten to Bob's: the entry no longer matches its proof.
    const tampered = structuredClone(pkg);
    const aliceEntry = tampered.entries.find((e: { entry: string }) => e.entry.includes('"signer":"alice"'));
    aliceEntry.entry = aliceEntry.entry.replace('"role":"applicant"', '"role":"respondent"');
    writeFileSync(join(ws, "tampered.json"), JSON.stringify(tampered));
    writeFileSync(join(ws, "garbage.json"), "not json");

    const [ok, withPdf, viaServer, tamperedR, otherPdf, garbage] = await Promise.all([
      cli("verify", "--package", "case.json", "--key", vkey, "--json"),
      cli("verify", "agreement.pdf", "--package", "case.json", "--key", vkey),
      cli("verify", "--package", "case.json", "--server", s.url),
      cli("verify", "--package", "tampered.json", "--key", vkey),
      cli("verify", "--package", "case.json", "--agreement", "other.pdf", "--key", vkey),
      cli("verify", "--package", "garbage.json", "--key", vkey),
    ]);
    expect(ok.status, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ valid: true, case: id });
    expect(
      JSON.parse(ok.stdout)
        .signers.map((x: { signer: string }) => x.signer)
        .sort(),
    ).toEqual(["alice", "bob"]);
    expect(withPdf.status, withPdf.stdout).toBe(0);
    expect(withPdf.stdout).toContain("the given PDF is the registered agreement");
    expect(viaServer.status, viaServer.stderr).toBe(0);
    expect([tamperedR.status, tamperedR.stdout]).toEqual([1, expect.stringContaining("INVALID")]);
    expect([otherPdf.status, otherPdf.stdout]).toEqual([
      1,
      expect.stringContaining("not the registered agreement"),
    ]);
    expect(garbage.status).toBe(2);
  });

  it("erases identity data with --server and, with the service stopped, locally; the package still verifies", async () => {
    const keys = { alice: nodeKeyPair(), bob: nodeKeyPair() };
    const { id, document } = await openCase(s, [
      { id: "alice", role: "applicant", publicKey: keys.alice.publicKey },
      { id: "bob", role: "respondent", publicKey: keys.bob.publicKey },
    ]);
    for (const [signer, role] of [
      ["alice", "applicant"],
      ["bob", "respondent"],
    ] as const) {
      const r = await call(s.url, "POST", `/api/v1/cases/${id}/identities`, {
        token: s.tokens.mediator,
        json: {
          signer,
          method: "ctid",
          identity: { name: `name of ${signer}`, idNumber: "310101199001011234" },
        },
      });
      expect(r.status).toBe(201);
      const f = { case: id, document, role, signer };
      expect((await postSignature(s, id, signed(keys[signer], f), s.tokens.mediator)).status).toBe(201);
    }
    const [remote, locked, got] = await Promise.all([
      cli("identity", "erase", "--case", id, "--signer", "alice", "--json", ...server()),
      cli("identity", "erase", "--case", id, "--signer", "bob", "--data", s.dir),
      cli("case", "package", id, "--out", "identities.json", ...server()),
    ]);
    expect([remote.status, JSON.parse(remote.stdout).erased], remote.stderr).toEqual([0, true]);
    expect([locked.status, locked.stderr]).toEqual([2, expect.stringContaining("--server")]);
    expect(got.status, got.stderr).toBe(0);

    await s.close({ keepData: true });
    const local = await cli("identity", "erase", "--case", id, "--signer", "bob", "--data", s.dir);
    expect(local.status, local.stderr).toBe(0);
    expect((await cli("identity", "erase", "--case", id, "--signer", "bob", "--data", s.dir)).status).toBe(1);
    const state = new LevelStateStore(join(s.dir, "state"));
    await state.open();
    try {
      expect(await state.getIdentity(id, "alice")).toBeUndefined();
      expect(await state.getIdentity(id, "bob")).toBeUndefined();
    } finally {
      await state.close();
    }
    // The identity.attested entries are still proved; only their commitments can no longer be opened.
    const v = await cli("verify", "--package", "identities.json", "--key", vkey, "--json");
    expect(v.status, v.stdout).toBe(0);
    const pkg = JSON.parse(readFileSync(join(ws, "identities.json"), "utf8"));
    expect(pkg.entries.filter((e: { entry: string }) => e.entry.includes("identity.attested"))).toHaveLength(
      2,
    );
  });
});
