import { utf8 } from "../core/bytes.js";
import { isAppError } from "../core/errors.js";
import type { TlogPolicy } from "../crypto/tlog-policy.js";
import { type Entry, parseEntry } from "../ledger/entry.js";
import { type Check, verifyTlogProof } from "../ledger/verify-proof.js";
import { isValidAgreementSignature, type SignedAgreementBody } from "./verify-signature.js";

export const CASE_PACKAGE_FORMAT = "notarium/case-package/v1";

/** One JSON evidence package per case: every entry with its own offline proof, and the policy to check them with. */
export interface CasePackage {
  format: typeof CASE_PACKAGE_FORMAT;
  case: string;
  /** Informational, not authenticated. */
  caseNumber?: string;
  title?: string;
  /** c2sp.org/tlog-policy text the log recommends; verifiers may use their own. */
  policy: string;
  entries: { evidenceId: string; index: number; entry: string; tlogProof: string }[];
  createdAt: string;
}

export interface PackageCheck extends Omit<Check, "name"> {
  name: string;
}

export interface PackageVerification {
  valid: boolean;
  case: string;
  document?: string;
  signers: { signer: string; role: string; time: string; index: number }[];
  checks: PackageCheck[];
}

/**
 * Verifies a case package offline: each entry's tlog-proof against the policy,
 * each entry belongs to the case, the agreement registration is there (and
 * matches `agreementSha256` when the PDF is at hand), every party named in
 * the registration signed that document, and every signature verifies over
 * the DESIGN §6 payload. Never throws for bad input.
 */
export function verifyCasePackage(
  pkg: unknown,
  opts: { policy: TlogPolicy; agreementSha256?: string },
): PackageVerification {
  const checks: PackageCheck[] = [];
  const p = pkg as Partial<CasePackage>;
  const caseId = typeof p?.case === "string" ? p.case : "";
  const fail = (name: string, detail: string): PackageVerification => ({
    valid: false,
    case: caseId,
    signers: [],
    checks: [...checks, { name, ok: false, detail }],
  });
  if (!p || p.format !== CASE_PACKAGE_FORMAT || !Array.isArray(p.entries) || !caseId) {
    return fail("package-format", `not a ${CASE_PACKAGE_FORMAT} document`);
  }
  const entries: Entry[] = [];
  for (const item of p.entries) {
    const label = `entry ${item?.index}`;
    if (typeof item?.entry !== "string" || typeof item?.tlogProof !== "string")
      return fail("package-format", `${label}: entry and tlogProof must be strings`);
    let data: Uint8Array;
    let e: Entry;
    try {
      data = utf8(item.entry);
      e = parseEntry(data);
    } catch (err) {
      return fail("entry", `${label}: ${isAppError(err) ? err.message : String(err)}`);
    }
    const r = verifyTlogProof(item.tlogProof, { policy: opts.policy, entryData: data });
    if (!r.valid) {
      const bad = r.checks.find((c) => !c.ok);
      return fail("proof", `${label}: ${bad?.name}: ${bad?.detail}`);
    }
    if (e.body.case !== caseId) return fail("entry", `${label} belongs to another case`);
    entries.push(e);
  }
  checks.push({
    name: "proofs",
    ok: true,
    detail: `${entries.length} entries, each proved in a checkpoint the policy trusts`,
  });

  const registered = entries.filter((e) => e.type === "agreement.registered").at(-1);
  if (!registered) return fail("agreement", "the package has no agreement.registered entry");
  const document = String(registered.body.sha256);
  checks.push({
    name: "agreement",
    ok: true,
    detail: `agreement ${document} registered in entry ${registered.index} at ${registered.time}`,
  });
  if (opts.agreementSha256 !== undefined) {
    if (opts.agreementSha256 !== document)
      return fail(
        "document",
        `the given PDF's SHA-256 ${opts.agreementSha256} is not the registered agreement`,
      );
    checks.push({ name: "document", ok: true, detail: "the given PDF is the registered agreement" });
  }
  const required = Array.isArray(registered.body.parties)
    ? (registered.body.parties as { id: string; role: string }[])
    : [];
  const signers: PackageVerification["signers"] = [];
  for (const e of entries) {
    if (e.type !== "agreement.signed" || e.index < registered.index || e.body.document !== document) continue;
    const body = e.body as unknown as SignedAgreementBody;
    let ok = false;
    try {
      ok = isValidAgreementSignature(body);
    } catch {
      ok = false;
    }
    if (!ok) return fail("signature", `entry ${e.index}: the signature of ${body.signer} does not verify`);
    const want = required.find((r) => r.id === body.signer);
    if (!want || want.role !== body.role)
      return fail("signature", `entry ${e.index}: ${body.signer} is not a party with role ${body.role}`);
    signers.push({ signer: body.signer, role: body.role, time: body.time, index: e.index });
  }
  for (const r of required) {
    if (!signers.some((s) => s.signer === r.id))
      return { ...fail("signatures", `party ${r.id} (${r.role}) has not signed`), document, signers };
  }
  checks.push({
    name: "signatures",
    ok: true,
    detail: `all ${required.length} parties signed: ${signers.map((s) => `${s.signer} (${s.role}) at ${s.time}`).join(", ")}`,
  });
  return { valid: true, case: caseId, document, signers, checks };
}

export function parseCasePackage(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
