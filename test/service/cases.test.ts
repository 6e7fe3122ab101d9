import { describe, expect, it } from "vitest";
import { fromHex, toHex, utf8 } from "../../src/core/bytes.js";
import { sha256 } from "../../src/crypto/sha256.js";
import { verifyCasePackage } from "../../src/esign/case-package.js";
import { identityCommitment } from "../../src/esign/identity-commitment.js";
import { parseEntry } from "../../src/ledger/entry.js";
import { singleLogPolicy, verifyTlogProof } from "../../src/ledger/verify-proof.js";
import { bindPartyKey } from "../../src/service/cases/bind-party-key.js";
import { createCase } from "../../src/service/cases/create-case.js";
import { getCase, getCasePackage } from "../../src/service/cases/get-case.js";
import { attestIdentity, eraseIdentity } from "../../src/service/cases/identity.js";
import { createInvitation, revokeInvitations } from "../../src/service/cases/invitations.js";
import { registerAgreement } from "../../src/service/cases/register-agreement.js";
import { submitSignature } from "../../src/service/cases/submit-signature.js";
import { nodeKeyPair, openCaseServices, PDF, payload } from "../helpers/cases.js";

const TIME = "2026-11-26T10:00:00Z";
const DOC = toHex(sha256(PDF));

async function setup(signingOrder: "parallel" | "sequential" = "parallel") {
  const s = await openCaseServices();
  const alice = nodeKeyPair();
  const bob = nodeKeyPair();
  const c = await createCase(
    s.ctx,
    {
      caseNumber: "(2026)沪调字第123号",
      title: "货款纠纷调解协议",
      signingOrder,
      parties: [
        { id: "alice", role: "applicant", name: "张三", publicKey: alice.publicKey },
        { id: "bob", role: "respondent", name: "李四" },
      ],
    },
    "mediator-1",
  );
  await registerAgreement(s.ctx, c.id, PDF);
  return { ...s, c, alice, bob };
}

const sig = (
  caseId: string,
  who: { sign(t: string): string },
  signer: string,
  role: string,
  over: Partial<Record<string, string>> = {},
) => ({
  signer,
  time: TIME,
  signature: who.sign(payload({ case: caseId, document: DOC, role, signer, time: TIME, ...over })),
});

describe("mediation cases", () => {
  it("runs a case from registration through invitations and signatures to a verifiable package", async () => {
    const { ctx, c, alice, bob, key, events } = await setup();
    const inv = await createInvitation(ctx, c.id, { signer: "bob" });
    expect(inv.url).toBe(`http://localhost:8080/sign/${inv.token}`);
    await bindPartyKey(ctx, inv.token, { publicKey: bob.publicKey });

    const r1 = await submitSignature(ctx, c.id, sig(c.id, alice, "alice", "applicant"), { kind: "mediator" });
    const r2 = await submitSignature(ctx, c.id, sig(c.id, bob, "bob", "respondent"), {
      kind: "party",
      caseId: c.id,
      signer: "bob",
    });
    const policy = singleLogPolicy(key.verifierKey);
    for (const r of [r1, r2]) expect(verifyTlogProof(r.tlogProof, { policy }).valid).toBe(true);
    const body = parseEntry(utf8(r2.entry)).body;
    expect(body).toMatchObject({
      case: c.id,
      document: DOC,
      role: "respondent",
      signer: "bob",
      time: TIME,
      publicKey: bob.publicKey,
    });

    const view = await getCase(ctx, c.id);
    expect(view.status).toBe("signed");
    expect(view.entries.map((e) => parseEntry(utf8(e.entry)).type)).toEqual([
      "agreement.registered",
      "agreement.signed",
      "agreement.signed",
    ]);
    expect(JSON.stringify(view)).not.toContain("whsec_");

    const pkg = await getCasePackage(ctx, c.id);
    const v = verifyCasePackage(JSON.parse(JSON.stringify(pkg)), { policy, agreementSha256: DOC });
    expect(v.valid).toBe(true);
    expect(v.signers.map((s) => s.signer)).toEqual(["alice", "bob"]);
    expect(events.map((e) => e.type)).toEqual([
      "case.created",
      "agreement.registered",
      "agreement.signed",
      "agreement.signed",
      "case.signed",
    ]);
  });

  it("keeps party names off the log", async () => {
    const { ctx, c } = await setup();
    const all = JSON.stringify(await getCasePackage(ctx, c.id));
    expect(all).not.toContain("张三");
    expect(all).not.toContain("李四");
  });

  it("refuses every bad signature with a code and records nothing", async () => {
    const { ctx, c, alice, bob, ledger } = await setup();
    const before = ledger.size;
    const cases: [unknown, string][] = [
      [sig(c.id, alice, "alice", "applicant", { document: "0".repeat(64) }), "SIGNATURE_INVALID"],
      [sig(c.id, alice, "alice", "applicant", { case: "case_0000000000000000" }), "SIGNATURE_INVALID"],
      [sig(c.id, alice, "alice", "respondent"), "SIGNATURE_INVALID"],
      [{ ...sig(c.id, alice, "alice", "applicant"), time: "2026-11-26T11:00:00Z" }, "TIME_OUT_OF_TOLERANCE"],
      [{ ...sig(c.id, alice, "alice", "applicant"), time: "yesterday" }, "INVALID_TIME"],
      [{ ...sig(c.id, alice, "alice", "applicant"), signature: "abcd" }, "INVALID_SIGNATURE_ENCODING"],
      [{ ...sig(c.id, alice, "alice", "applicant"), document: "1".repeat(64) }, "DOCUMENT_MISMATCH"],
      [{ ...sig(c.id, alice, "alice", "applicant"), role: "respondent" }, "ROLE_MISMATCH"],
      [sig(c.id, alice, "carol", "applicant"), "SIGNER_NOT_FOUND"],
      [sig(c.id, bob, "bob", "respondent"), "KEY_NOT_BOUND"],
      [{ signer: "alice" }, "INVALID_ARGUMENT"],
    ];
    for (const [input, code] of cases) {
      await expect(submitSignature(ctx, c.id, input, { kind: "mediator" }), code).rejects.toMatchObject({
        code,
      });
    }
    await expect(
      submitSignature(ctx, "case_ffffffffffffffff", sig(c.id, alice, "alice", "applicant"), {
        kind: "mediator",
      }),
    ).rejects.toMatchObject({ code: "CASE_NOT_FOUND" });
    expect(ledger.size).toBe(before);
  });

  it("refuses replays, a party acting for another, and signing out of turn", async () => {
    const { ctx, c, alice, bob } = await setup("sequential");
    const inv = await createInvitation(ctx, c.id, { signer: "bob" });
    await bindPartyKey(ctx, inv.token, { publicKey: bob.publicKey });
    await expect(
      submitSignature(ctx, c.id, sig(c.id, bob, "bob", "respondent"), { kind: "mediator" }),
    ).rejects.toMatchObject({ code: "NOT_YOUR_TURN" });
    await expect(
      submitSignature(ctx, c.id, sig(c.id, alice, "alice", "applicant"), {
        kind: "party",
        caseId: c.id,
        signer: "bob",
      }),
    ).rejects.toMatchObject({ code: "SIGNER_MISMATCH" });
    const a = sig(c.id, alice, "alice", "applicant");
    await submitSignature(ctx, c.id, a, { kind: "mediator" });
    await expect(submitSignature(ctx, c.id, a, { kind: "mediator" })).rejects.toMatchObject({
      code: "ALREADY_SIGNED",
    });
    await submitSignature(ctx, c.id, sig(c.id, bob, "bob", "respondent"), { kind: "mediator" });
    await expect(registerAgreement(ctx, c.id, PDF)).rejects.toMatchObject({ code: "AGREEMENT_LOCKED" });
  });

  it("serialises concurrent submissions so a party signs once", async () => {
    const { ctx, c, alice, ledger } = await setup();
    const before = ledger.size;
    const a = sig(c.id, alice, "alice", "applicant");
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => submitSignature(ctx, c.id, a, { kind: "mediator" })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(ledger.size).toBe(before + 1);
  });

  it("binds a key once, and refuses expired, revoked and unknown invitations", async () => {
    const { ctx, c, bob, clock } = await setup();
    const inv = await createInvitation(ctx, c.id, { signer: "bob" });
    await bindPartyKey(ctx, inv.token, { publicKey: bob.publicKey });
    await bindPartyKey(ctx, inv.token, { publicKey: bob.publicKey }); // idempotent
    await expect(bindPartyKey(ctx, inv.token, { publicKey: nodeKeyPair().publicKey })).rejects.toMatchObject({
      code: "KEY_ALREADY_BOUND",
    });
    await expect(bindPartyKey(ctx, inv.token, { publicKey: "zz" })).rejects.toMatchObject({
      code: "INVALID_PUBLIC_KEY",
    });
    await expect(bindPartyKey(ctx, "inv_nope", { publicKey: bob.publicKey })).rejects.toMatchObject({
      code: "INVITATION_NOT_FOUND",
    });
    await expect(createInvitation(ctx, c.id, { signer: "mallory" })).rejects.toMatchObject({
      code: "SIGNER_NOT_FOUND",
    });
    const inv2 = await createInvitation(ctx, c.id, { signer: "alice" });
    expect(await revokeInvitations(ctx, c.id, "alice")).toBe(1);
    await expect(bindPartyKey(ctx, inv2.token, { publicKey: bob.publicKey })).rejects.toMatchObject({
      code: "INVITATION_REVOKED",
    });
    const inv3 = await createInvitation(ctx, c.id, { signer: "bob" });
    clock.advance(15 * 24 * 3600 * 1000);
    await expect(bindPartyKey(ctx, inv3.token, { publicKey: bob.publicKey })).rejects.toMatchObject({
      code: "INVITATION_EXPIRED",
    });
  });

  it("attests identities with a salted commitment, and proofs survive erasing the data", async () => {
    const { ctx, c, key, state } = await setup();
    const identity = { name: "张三", idNumber: "310101199001011234", phone: "13800000000" };
    const r = await attestIdentity(ctx, c.id, { signer: "alice", method: "ctid", identity }, "mediator-1");
    expect(r.entry).not.toContain("310101199001011234");
    const stored = await state.getIdentity(c.id, "alice");
    expect(identityCommitment(fromHex(stored?.salt ?? ""), identity)).toBe(r.commitment);
    expect(await eraseIdentity(ctx, c.id, "alice")).toEqual({ erased: true });
    expect(await state.getIdentity(c.id, "alice")).toBeUndefined();
    expect(await eraseIdentity(ctx, c.id, "alice")).toEqual({ erased: false });
    expect(verifyTlogProof(r.tlogProof, { policy: singleLogPolicy(key.verifierKey) }).valid).toBe(true);
    await expect(
      attestIdentity(ctx, c.id, { signer: "alice", method: "CTID!", identity }, "m"),
    ).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    // verifiedAt: UTC, and not after now (beyond the clock skew allowed); nothing recorded.
    const size = ctx.ledger.size;
    const at = (verifiedAt: string) =>
      attestIdentity(ctx, c.id, { signer: "alice", method: "ctid", identity, verifiedAt }, "m");
    await expect(at("2026-11-27T10:00:00+08:00")).rejects.toThrow(/must be an RFC 3339 UTC time ending in Z/);
    const later = new Date(ctx.clock.now().getTime() + ctx.signatureToleranceMs + 60_000).toISOString();
    await expect(at(later)).rejects.toMatchObject({ code: "INVALID_TIME" });
    expect(ctx.ledger.size).toBe(size);
  });

  it("refuses a second attestation of a party until the first is erased, so every commitment stays openable", async () => {
    const { ctx, c, state } = await setup();
    const first = { name: "张三", idNumber: "310101199001011234" };
    const r = await attestIdentity(ctx, c.id, { signer: "alice", method: "ctid", identity: first }, "m");
    const size = ctx.ledger.size;
    const again = [1, 2].map((n) =>
      attestIdentity(ctx, c.id, { signer: "alice", method: "ctid", identity: { name: `other ${n}` } }, "m"),
    );
    for (const a of again) await expect(a).rejects.toMatchObject({ code: "IDENTITY_ALREADY_ATTESTED" });
    expect(ctx.ledger.size).toBe(size);
    const stored = await state.getIdentity(c.id, "alice");
    expect(identityCommitment(fromHex(stored?.salt ?? ""), first)).toBe(r.commitment);
    await eraseIdentity(ctx, c.id, "alice");
    const second = await attestIdentity(ctx, c.id, { signer: "alice", method: "ctid", identity: first }, "m");
    expect(second.commitment).not.toBe(r.commitment); // a fresh salt
  });

  it("rejects malformed cases", async () => {
    const { ctx } = await openCaseServices();
    const good = { caseNumber: "1", title: "t", parties: [{ id: "a", role: "applicant", name: "A" }] };
    await expect(createCase(ctx, { ...good, parties: [] }, "m")).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
    });
    await expect(
      createCase(ctx, { ...good, parties: [good.parties[0], good.parties[0]] }, "m"),
    ).rejects.toMatchObject({ code: "DUPLICATE_PARTY" });
    await expect(
      createCase(ctx, { ...good, parties: [{ id: "a\nb", role: "x", name: "A" }] }, "m"),
    ).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    await expect(createCase(ctx, { ...good, extra: 1 }, "m")).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
    });
    const c = await createCase(ctx, good, "m");
    await expect(registerAgreement(ctx, c.id, new Uint8Array())).rejects.toMatchObject({ code: "EMPTY" });
    await expect(registerAgreement(ctx, c.id, utf8("hello"))).rejects.toMatchObject({ code: "NOT_PDF" });
  });
});

describe("case packages", () => {
  it("fail offline when tampered, incomplete or from another log", async () => {
    const { ctx, c, alice, key } = await setup();
    await submitSignature(ctx, c.id, sig(c.id, alice, "alice", "applicant"), { kind: "mediator" });
    const policy = singleLogPolicy(key.verifierKey);
    const pkg = await getCasePackage(ctx, c.id);
    const incomplete = verifyCasePackage(pkg, { policy });
    expect(incomplete.valid).toBe(false);
    expect(incomplete.checks.at(-1)?.name).toBe("signatures");
    const tampered = structuredClone(pkg);
    (tampered.entries[1] as { entry: string }).entry = (
      tampered.entries[1] as { entry: string }
    ).entry.replace("applicant", "respondent");
    expect(verifyCasePackage(tampered, { policy }).checks.at(-1)?.name).toBe("proof");
    expect(verifyCasePackage({ nope: 1 }, { policy }).valid).toBe(false);
    expect(verifyCasePackage(pkg, { policy, agreementSha256: "0".repeat(64) }).checks.at(-1)?.name).toBe(
      "document",
    );
  });
});
