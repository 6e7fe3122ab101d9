import { equalBytes, toBase64 } from "../core/bytes.js";
import type { Clock } from "../core/clock.js";
import {
  AppError,
  ConflictError,
  NotFoundError,
  ValidationError,
  VerificationError,
} from "../core/errors.js";
import { type ParsedCheckpoint, parseCheckpoint } from "../crypto/checkpoint.js";
import { cosign } from "../crypto/cosignature.js";
import type { CosignatureSigner } from "../crypto/note-keys.js";
import { formatNote, parseNote, verifyNote } from "../crypto/signed-note.js";
import { EMPTY_ROOT } from "../merkle/hash.js";
import { verifyConsistency } from "../merkle/verify.js";
import { type AddCheckpointRequest, parseAddCheckpointRequest } from "./add-checkpoint-request.js";
import type { LogKeyring } from "./log-keyring.js";
import { classifyMisbehaviour } from "./misbehaviour.js";
import { witnessStatusOf } from "./refusal-status.js";
import type { MisbehaviourRecord, WitnessState, WitnessStore } from "./witness-store.js";

/**
 * The witness side of c2sp.org/tlog-witness v1.0.0 §add-checkpoint: parse
 * the request, run the checks in the order the spec states them, and cosign
 * (c2sp.org/tlog-cosignature v1.0.1, type 0x04) only after the new state is
 * stored by compare-and-swap. Refusals are AppErrors whose code maps to the
 * spec's status in `refusal-status.ts`.
 */

export type WitnessEvent =
  | { type: "misbehaviour"; record: MisbehaviourRecord }
  | { type: "evidence-error"; origin: string; error: unknown };

export interface WitnessContext {
  cosigner: CosignatureSigner;
  logs: LogKeyring;
  store: WitnessStore;
  clock: Clock;
  /** Told about kept evidence (for logs and metrics); must not throw. */
  onEvent?: (event: WitnessEvent) => void;
}

export interface AddCheckpointResult {
  origin: string;
  oldSize: number;
  size: number;
  /** The cosignature's POSIX timestamp. */
  timestamp: number;
  /** The response body: one cosignature line per witness key, each ending in a newline. */
  cosignatures: string;
}

/** A concurrent request that won the compare-and-swap changes the state; re-judging once or twice settles it. */
const MAX_ATTEMPTS = 3;

export async function addCheckpoint(
  ctx: WitnessContext,
  body: Uint8Array | string,
): Promise<AddCheckpointResult> {
  const req = parseAddCheckpointRequest(body);
  const note = parseNote(req.checkpoint);
  const checkpoint = parseCheckpoint(note.text);
  const verifiers = ctx.logs.verifiersFor(checkpoint.origin);
  // §add-checkpoint: "If the checkpoint origin is unknown, the witness MUST respond with a 404".
  if (!verifiers) throw new NotFoundError("UNKNOWN_ORIGIN", `unknown log origin "${checkpoint.origin}"`);
  // Unknown keys are ignored; no trusted signature, or a trusted key's line
  // that fails, is a 403 (NO_TRUSTED_SIGNATURE / SIGNATURE_INVALID; C2SP/C2SP#241).
  const verified = verifyNote(note, verifiers);
  // Keep the checkpoint with its trusted signatures only, so that junk
  // signature lines can neither bloat the state nor dodge evidence dedupe.
  const signed = formatNote({ text: note.text, signatures: verified.verified });

  let stored: WitnessState | undefined;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    stored = await ctx.store.get(checkpoint.origin);
    try {
      checkAppendOnly(req, checkpoint, stored);
    } catch (e) {
      if (e instanceof AppError) await keepEvidence(ctx, e, req, checkpoint, signed, stored);
      throw e;
    }
    // §add-checkpoint: checking the old size and persisting the new checkpoint "must be performed atomically".
    if (
      await ctx.store.compareAndSwap(
        checkpoint.origin,
        stored?.size,
        checkpoint.size,
        checkpoint.root,
        signed,
      )
    ) {
      const timestamp = Math.floor(ctx.clock.now().getTime() / 1000);
      return {
        origin: checkpoint.origin,
        oldSize: req.oldSize,
        size: checkpoint.size,
        timestamp,
        cosignatures: cosign(note.text, ctx.cosigner, timestamp),
      };
    }
  }
  throw sizeConflict(stored?.size ?? 0);
}

function sizeConflict(size: number): ConflictError {
  return new ConflictError("OLD_SIZE_MISMATCH", `old size does not match the witness's size ${size}`, {
    details: { size },
  });
}

/** The state checks of §add-checkpoint, in the spec's order, after the signature check. */
function checkAppendOnly(
  req: AddCheckpointRequest,
  cp: ParsedCheckpoint,
  stored: WitnessState | undefined,
): void {
  if (req.oldSize > cp.size) {
    throw new ValidationError(
      "OLD_SIZE_EXCEEDS_SIZE",
      `old size ${req.oldSize} exceeds checkpoint size ${cp.size}`,
    );
  }
  // "… or zero if it never cosigned a checkpoint for that origin".
  const storedSize = stored?.size ?? 0;
  if (req.oldSize !== storedSize) throw sizeConflict(storedSize);
  // RFC 6962 §2.1: MTH({}) = SHA-256(); no honest log signs another root for size 0.
  if (cp.size === 0 && !equalBytes(cp.root, EMPTY_ROOT)) {
    throw new VerificationError("EMPTY_TREE_ROOT_INVALID", 'a size-0 checkpoint must have root SHA-256("")');
  }
  // "The proof MUST be empty if the old size is zero."
  if (req.oldSize === 0 && req.proof.length > 0) {
    throw new VerificationError("UNEXPECTED_PROOF", "the consistency proof must be empty when old is 0");
  }
  const storedRoot = stored?.root ?? EMPTY_ROOT;
  if (req.oldSize === cp.size) {
    // RFC 9162 §2.1.4: the proof between equal sizes is empty.
    if (req.proof.length > 0)
      throw new VerificationError("PROOF_INVALID", "proof must be empty for equal sizes");
    // "If the old size matches the checkpoint size, the witness MUST check that the root hashes are
    // also identical. If they don't match, the witness MUST respond with a 409 Conflict".
    if (!equalBytes(cp.root, storedRoot)) {
      throw new ConflictError("CONFLICTING_ROOT", `the witness cosigned another root for size ${cp.size}`);
    }
    return;
  }
  if (req.oldSize === 0) return; // every tree extends the empty tree
  try {
    verifyConsistency(req.oldSize, cp.size, req.proof, storedRoot, cp.root);
  } catch (cause) {
    if (!(cause instanceof AppError)) throw cause;
    throw new VerificationError(
      "PROOF_INVALID",
      `consistency proof from ${req.oldSize} to ${cp.size} does not verify`,
      { cause },
    );
  }
}

async function keepEvidence(
  ctx: WitnessContext,
  e: AppError,
  req: AddCheckpointRequest,
  cp: ParsedCheckpoint,
  signed: string,
  stored: WitnessState | undefined,
): Promise<void> {
  const reason = classifyMisbehaviour(cp, stored, e.code);
  if (!reason) return;
  const details = {
    recordedAt: ctx.clock.now().toISOString(),
    code: e.code,
    status: witnessStatusOf(e).status,
    ...(stored?.note === undefined ? {} : { conflictsWith: stored.note }),
    oldSize: req.oldSize,
    proof: req.proof.map(toBase64),
  };
  try {
    // Counted and logged once: a replay of a record already kept is only refused again.
    if (await ctx.store.recordMisbehaviour(cp.origin, signed, reason, details))
      ctx.onEvent?.({
        type: "misbehaviour",
        record: { origin: cp.origin, reason, note: signed, ...details },
      });
  } catch (error) {
    // The refusal stands either way; losing evidence must not turn it into a 500.
    ctx.onEvent?.({ type: "evidence-error", origin: cp.origin, error });
  }
}
