import { equalBytes } from "../core/bytes.js";
import type { ErrorCode } from "../core/errors.js";
import type { Checkpoint } from "../crypto/checkpoint.js";
import { EMPTY_ROOT } from "../merkle/hash.js";
import type { MisbehaviourReason, WitnessState } from "./witness-store.js";

/**
 * Which refusals of a checkpoint that carries a valid log signature are worth
 * keeping as evidence (c2sp.org/tlog-witness v1.0.0 §add-checkpoint: "If the
 * origin is known, and the signature is valid, the witness MAY log the request
 * even if the consistency proof doesn't verify … as it might be proof of log
 * misbehavior"). Judged on the checkpoint against the stored state, not on
 * which check failed first: a fork sent with a stale old size is refused with
 * 409 for the size, and is still a fork.
 */
export function classifyMisbehaviour(
  checkpoint: Checkpoint,
  stored: WitnessState | undefined,
  code: ErrorCode,
): MisbehaviourReason | undefined {
  // First: a size-0 checkpoint with another root is this, whatever the witness holds or refused it for.
  if (checkpoint.size === 0 && !equalBytes(checkpoint.root, EMPTY_ROOT)) return "bad-empty-root";
  if (stored && checkpoint.size === stored.size && !equalBytes(checkpoint.root, stored.root)) return "fork";
  if (stored && checkpoint.size < stored.size) return "rollback";
  if (code === "PROOF_INVALID") return "bad-proof";
  return undefined;
}

/**
 * Whether a record proves misbehaviour on its own: a fork (two signed roots
 * for one size) and a bad empty root do; a smaller checkpoint or a failing
 * proof may come from a lagging client or from anyone replaying a real
 * checkpoint with a bad proof, so they are leads, not proof.
 */
export const CONCLUSIVE: Readonly<Record<MisbehaviourReason, boolean>> = {
  fork: true,
  "bad-empty-root": true,
  rollback: false,
  "bad-proof": false,
};
