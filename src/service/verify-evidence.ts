import { openCheckpoint } from "../crypto/checkpoint.js";
import { createVerifier } from "../crypto/note-keys.js";
import type { Ledger } from "../ledger/ledger.js";
import type { Receipt } from "../ledger/receipt.js";
import type { Check } from "../ledger/verify-proof.js";
import { hashLeaf } from "../merkle/hash.js";
import { isValidInclusion } from "../merkle/verify.js";
import { findByDigest } from "./find-evidence.js";
import { provedEntry } from "./receipts.js";

export interface DigestVerification {
  valid: boolean;
  sha256: string;
  matches: Receipt[];
  checks: Check[];
}

const verifiers = new WeakMap<Ledger, ReturnType<typeof createVerifier>>();
// The newest checkpoint changes once per block; verify its signature once, not on every lookup.
const opened = new WeakMap<
  Ledger,
  { note: string; checkpoint: ReturnType<typeof openCheckpoint>["checkpoint"] }
>();

/**
 * Is this digest recorded? Each match is proved against the newest signed
 * checkpoint and the proof is checked before answering, so a `valid: true`
 * never rests on an unchecked store. "Not found" is a normal answer.
 */
export async function verifyDigest(ledger: Ledger, sha256: string): Promise<DigestVerification> {
  const indices = await findByDigest(ledger, sha256, 20);
  if (indices.length === 0) {
    return {
      valid: false,
      sha256,
      matches: [],
      checks: [{ name: "digest", ok: false, detail: "no entry in the ledger records this SHA-256 digest" }],
    };
  }
  let verifier = verifiers.get(ledger);
  if (!verifier) {
    verifier = createVerifier(ledger.key.verifierKey);
    verifiers.set(ledger, verifier);
  }
  const cp = ledger.latest();
  let cached = opened.get(ledger);
  if (cached?.note !== cp.note) {
    cached = { note: cp.note, checkpoint: openCheckpoint(cp.note, verifier).checkpoint };
    opened.set(ledger, cached);
  }
  const signed = cached.checkpoint;
  const proved = await Promise.all(indices.map((i) => provedEntry(ledger, i, cp)));
  // Each proof is checked on the stored bytes themselves, before any receipt is made of them.
  const oks = proved.map((p, k) =>
    isValidInclusion(hashLeaf(p.data), indices[k] as number, signed.size, p.proof, signed.root),
  );
  const matches = proved.map((p) => p.receipt());
  const checks: Check[] = [
    {
      name: "digest",
      ok: true,
      detail: `recorded in ${matches.length} entr${matches.length === 1 ? "y" : "ies"}`,
    },
  ];
  checks.push({
    name: "checkpoint",
    ok: true,
    // The key's own name, which openCheckpoint checked against the origin: the same text, but
    // not a slice of the note (whose em dash makes every slice a two-byte string in V8).
    detail: `signed by the log ${ledger.key.origin} at tree size ${signed.size}`,
  });
  let valid = true;
  for (const [k, r] of matches.entries()) {
    const ok = oks[k] as boolean;
    valid &&= ok;
    checks.push({
      name: "inclusion",
      ok,
      detail: ok
        ? `${r.evidenceId}: entry ${r.index}, recorded ${r.recordedAt} in block ${r.blockHeight}, is in the signed tree`
        : `${r.evidenceId}: the inclusion proof for entry ${r.index} does not verify`,
    });
  }
  return { valid, sha256, matches, checks };
}
