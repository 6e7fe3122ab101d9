import { toHex } from "../core/bytes.js";
import { isAppError } from "../core/errors.js";
import {
  type PolicyVerifiedCheckpoint,
  type TlogPolicy,
  verifyCheckpointWithPolicy,
} from "../crypto/tlog-policy.js";
import { type ParsedTlogProof, parseTlogProof } from "../crypto/tlog-proof.js";
import { hashLeaf } from "../merkle/hash.js";
import { verifyInclusion } from "../merkle/verify.js";
import { type Entry, entryDigest, parseEntry } from "./entry.js";
import { evidenceIdFromLeafHash } from "./evidence-id.js";

/** One step of a verification, reported in plain words. */
export interface Check {
  name: "proof-format" | "entry" | "digest" | "checkpoint" | "witnesses" | "inclusion";
  ok: boolean;
  detail: string;
}

export interface ProofVerification {
  valid: boolean;
  checks: Check[];
  evidenceId?: string;
  index?: number;
  entry?: Entry;
  treeSize?: number;
  cosignatures?: { witness: string; time: string }[];
}

/** A trust policy that trusts one log key and needs no witnesses. */
export function singleLogPolicy(vkey: string): TlogPolicy {
  return { logs: [{ vkey }], witnesses: [], groups: [], quorum: "none" };
}

const why = (e: unknown) => (isAppError(e) ? `${e.message} [${e.code}]` : String(e));

/**
 * Verifies a c2sp.org/tlog-proof offline: the entry carried in its `extra`
 * line (or given) is well formed and records `sha256` (when given), the
 * checkpoint is signed by a policy log with the policy's witness quorum, and
 * the inclusion proof leads from the entry's leaf hash to the signed root.
 * Never throws for bad input: every failure is a check with ok=false.
 */
export function verifyTlogProof(
  text: string,
  opts: { policy: TlogPolicy; sha256?: string; entryData?: Uint8Array },
): ProofVerification {
  const checks: Check[] = [];
  const fail = (c: Omit<Check, "ok">, extra: Partial<ProofVerification> = {}): ProofVerification => ({
    valid: false,
    checks: [...checks, { ...c, ok: false }],
    ...extra,
  });

  let proof: ParsedTlogProof;
  try {
    proof = parseTlogProof(text);
  } catch (e) {
    return fail({
      name: "proof-format",
      detail: `the proof file is not a valid c2sp.org/tlog-proof: ${why(e)}`,
    });
  }
  checks.push({ name: "proof-format", ok: true, detail: `a c2sp.org/tlog-proof for entry ${proof.index}` });

  const data = opts.entryData ?? proof.extra;
  if (!data)
    return fail({ name: "entry", detail: "the proof carries no entry (no extra line) and none was given" });
  let entry: Entry;
  try {
    entry = parseEntry(data);
  } catch (e) {
    return fail({ name: "entry", detail: `the recorded entry is malformed: ${why(e)}` });
  }
  if (entry.index !== proof.index) {
    return fail({
      name: "entry",
      detail: `the entry says index ${entry.index} but the proof is for ${proof.index}`,
    });
  }
  const leafHash = hashLeaf(data);
  const base = { index: proof.index, entry, evidenceId: evidenceIdFromLeafHash(leafHash) };
  checks.push({
    name: "entry",
    ok: true,
    detail: `entry ${entry.index} (${entry.type}, recorded ${entry.time}), leaf hash ${toHex(leafHash)}`,
  });

  if (opts.sha256 !== undefined) {
    const recorded = entryDigest(entry);
    if (recorded !== opts.sha256) {
      return fail(
        {
          name: "digest",
          detail: `the file's SHA-256 ${opts.sha256} is not the recorded ${recorded ?? "(none)"}`,
        },
        base,
      );
    }
    checks.push({ name: "digest", ok: true, detail: `the file's SHA-256 matches the recorded digest` });
  }

  let cp: PolicyVerifiedCheckpoint;
  try {
    cp = verifyCheckpointWithPolicy(proof.checkpoint, opts.policy);
  } catch (e) {
    const name = isAppError(e) && e.code === "QUORUM_NOT_MET" ? "witnesses" : "checkpoint";
    return fail({ name, detail: `the checkpoint is not trusted: ${why(e)}` }, base);
  }
  const cosignatures = cp.cosignatures.map((c) => ({
    witness: c.witness,
    time: new Date(c.timestamp * 1000).toISOString(),
  }));
  checks.push({
    name: "checkpoint",
    ok: true,
    detail: `signed by the log ${cp.checkpoint.origin} at tree size ${cp.checkpoint.size}`,
  });
  if (opts.policy.quorum !== "none" || cosignatures.length > 0) {
    checks.push({
      name: "witnesses",
      ok: true,
      detail: cosignatures.length
        ? `cosigned by ${cosignatures.map((c) => `${c.witness} at ${c.time}`).join(", ")}`
        : "no cosignatures required",
    });
  }

  try {
    verifyInclusion(leafHash, proof.index, cp.checkpoint.size, proof.proof, cp.checkpoint.root);
  } catch (e) {
    return fail(
      { name: "inclusion", detail: `the entry is not in the signed tree: ${why(e)}` },
      { ...base, cosignatures },
    );
  }
  checks.push({
    name: "inclusion",
    ok: true,
    detail: `entry ${proof.index} is in the signed tree of size ${cp.checkpoint.size}`,
  });
  return { valid: true, checks, ...base, treeSize: cp.checkpoint.size, cosignatures };
}
