import { ConflictError, ValidationError, VerificationError } from "../../core/errors.js";
import { verifyEd25519OffThread } from "../../crypto/ed25519-thread.js";
import { parseRfc3339Utc } from "../../esign/signature-payload.js";
import {
  agreementSignatureParts,
  parseSignatureHex,
  type SignedAgreementBody,
} from "../../esign/verify-signature.js";
import type { Appended } from "../../ledger/ledger.js";
import type { Receipt } from "../../ledger/receipt.js";
import { receiptForAppended } from "../receipts.js";
import type { CaseServices } from "./context.js";
import { appendCaseEntry } from "./entry-cache.js";
import { loadCaseState, partyOf } from "./load-case.js";

/**
 * Throws SIGNATURE_INVALID unless the signature verifies (strict RFC 8032, as
 * isValidAgreementSignature), with OpenSSL's part on the verifying thread:
 * it is the costliest step of a submission.
 */
async function verifyAgreementSignature(body: SignedAgreementBody): Promise<void> {
  const parts = agreementSignatureParts(body);
  if (!parts || !(await verifyEd25519OffThread(...parts))) {
    throw new VerificationError(
      "SIGNATURE_INVALID",
      "the signature does not verify over this case, document, role, signer and time with the signer's key",
    );
  }
}

/** Who is submitting: the case's mediator (for any party), or a party through its own invitation. */
export type SignatureActor = { kind: "mediator" } | { kind: "party"; caseId: string; signer: string };

interface SignatureInput {
  signer: string;
  time: string;
  signature: string;
  /** Optional, for precise errors: what the client believes it signed. */
  document?: string;
  role?: string;
}

function parseSignatureInput(input: unknown): SignatureInput {
  const o = (input ?? {}) as Record<string, unknown>;
  if (typeof input !== "object" || input === null || Array.isArray(input))
    throw new ValidationError("INVALID_ARGUMENT", "body must be a JSON object");
  for (const k of Object.keys(o)) {
    if (!["signer", "time", "signature", "document", "role"].includes(k))
      throw new ValidationError("INVALID_ARGUMENT", `unknown field ${k}`);
  }
  for (const k of ["signer", "time", "signature"] as const) {
    if (typeof o[k] !== "string") throw new ValidationError("INVALID_ARGUMENT", `${k}: required string`);
  }
  return o as unknown as SignatureInput;
}

/**
 * Records a party's signature over the registered agreement (DESIGN §6) and
 * answers with its receipt; see recordSignature for the checks.
 */
export async function submitSignature(
  ctx: CaseServices,
  caseId: string,
  input: unknown,
  actor: SignatureActor,
): Promise<Receipt> {
  return receiptForAppended(await recordSignature(ctx, caseId, input, actor));
}

/**
 * Records a party's signature over the registered agreement (DESIGN §6) after
 * checking, in order: the actor may sign for this signer, the signer's key is
 * bound, the asserted time is near now, it is the signer's turn, the signer has
 * not signed already, and the signature verifies over exactly this case,
 * document, role, signer and time. Nothing is recorded when any check fails.
 * Gives the appended entry, whose receipt the HTTP route writes without making it.
 */
export async function recordSignature(
  ctx: CaseServices,
  caseId: string,
  input: unknown,
  actor: SignatureActor,
): Promise<Appended> {
  const s = parseSignatureInput(input);
  parseSignatureHex(s.signature);
  const asserted = parseRfc3339Utc(s.time);
  if (actor.kind === "party" && (actor.caseId !== caseId || actor.signer !== s.signer)) {
    throw new ValidationError(
      actor.caseId !== caseId ? "CASE_MISMATCH" : "SIGNER_MISMATCH",
      "an invitation lets a party sign only as itself, in its own case",
    );
  }
  return ctx.locks.run(caseId, async () => {
    const { c, state } = await loadCaseState(ctx, caseId);
    const party = partyOf(c, s.signer);
    if (!state.document)
      throw new ConflictError("AGREEMENT_MISSING", "no agreement is registered for this case yet");
    if (!party.publicKey)
      throw new ConflictError(
        "KEY_NOT_BOUND",
        `party ${s.signer} has no public key bound yet; bind one through the invitation first`,
      );
    const skew = Math.abs(asserted.getTime() - ctx.clock.now().getTime());
    if (skew > ctx.signatureToleranceMs) {
      throw new ValidationError(
        "TIME_OUT_OF_TOLERANCE",
        `the signing time is ${Math.round(skew / 1000)} s from the server's clock (at most ${ctx.signatureToleranceMs / 1000} s allowed); sign again with the current time`,
      );
    }
    if (s.document !== undefined && s.document !== state.document)
      throw new ValidationError(
        "DOCUMENT_MISMATCH",
        "the signature is over another document than the registered agreement",
      );
    if (s.role !== undefined && s.role !== party.role)
      throw new ValidationError("ROLE_MISMATCH", `party ${s.signer} signs as ${party.role}, not ${s.role}`);
    if (state.signatures.has(s.signer))
      throw new ConflictError("ALREADY_SIGNED", `party ${s.signer} has already signed this agreement`);
    if (state.nextSigner && state.nextSigner.id !== s.signer) {
      throw new ConflictError("NOT_YOUR_TURN", `signing is sequential: ${state.nextSigner.id} signs next`);
    }
    const body: SignedAgreementBody = {
      case: c.id,
      document: state.document,
      role: party.role,
      signer: s.signer,
      time: s.time,
      publicKey: party.publicKey,
      signature: s.signature,
    };
    await verifyAgreementSignature(body);
    const appended = await appendCaseEntry(ctx, "agreement.signed", { ...body });
    ctx.onEvent?.({
      type: "agreement.signed",
      caseId,
      data: { signer: s.signer, role: party.role, evidenceId: appended.evidenceId },
    });
    if (state.pending.length === 1)
      ctx.onEvent?.({ type: "case.signed", caseId, data: { document: state.document } });
    return appended;
  });
}
