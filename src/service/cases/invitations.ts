import { ConflictError, NotFoundError, ValidationError } from "../../core/errors.js";
import type { Party } from "../../esign/case.js";
import {
  createInvitationToken,
  hashInvitationToken,
  type InvitationRecord,
  invitationProblem,
  isInvitationToken,
} from "../../esign/invitation.js";
import type { CaseServices } from "./context.js";
import { loadCase, loadCaseState, partyOf } from "./load-case.js";

/**
 * Makes a single-case link for one party. The token is shown once; only its hash is kept.
 * `base`: the service's address for the link (default the configured public URL).
 */
export async function createInvitation(
  ctx: CaseServices,
  caseId: string,
  input: unknown,
  base: string = ctx.publicUrl,
) {
  const signer = (input as { signer?: unknown } | null)?.signer;
  if (typeof signer !== "string")
    throw new ValidationError("INVALID_ARGUMENT", "signer: required (a party id of the case)");
  const { c, state } = await loadCaseState(ctx, caseId);
  partyOf(c, signer);
  if (state.sealed)
    throw new ConflictError(
      "CASE_SEALED",
      `case ${caseId} is sealed: nothing is left to sign, and the sealed agreement verifies on its own`,
    );
  const token = createInvitationToken(ctx.randomBytes);
  const now = ctx.clock.now();
  const inv: InvitationRecord = {
    tokenHash: hashInvitationToken(token),
    caseId,
    signer,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + ctx.invitationTtlMs).toISOString(),
    revoked: false,
  };
  await ctx.cases.putInvitation(inv);
  return {
    token,
    url: `${base.replace(/\/$/, "")}/sign/${token}`,
    signer,
    expiresAt: inv.expiresAt,
  };
}

/** Resolves an invitation token to its case and party; refuses unknown, expired and revoked links. */
export async function openInvitation(
  ctx: CaseServices,
  token: string,
): Promise<{ inv: InvitationRecord; party: Party }> {
  const inv = isInvitationToken(token)
    ? await ctx.cases.getInvitation(hashInvitationToken(token))
    : undefined;
  if (!inv)
    throw new NotFoundError(
      "INVITATION_NOT_FOUND",
      "this invitation link is unknown; ask the mediator for a new one",
    );
  const problem = invitationProblem(inv, ctx.clock.now());
  if (problem === "revoked")
    throw new ValidationError(
      "INVITATION_REVOKED",
      "this invitation link was revoked; ask the mediator for a new one",
    );
  if (problem === "expired")
    throw new ValidationError(
      "INVITATION_EXPIRED",
      `this invitation link expired at ${inv.expiresAt}; ask the mediator for a new one`,
    );
  const c = await loadCase(ctx, inv.caseId);
  const party = partyOf(c, inv.signer);
  return { inv, party };
}

/** Revokes every open invitation of a party; returns how many. */
export async function revokeInvitations(ctx: CaseServices, caseId: string, signer: string): Promise<number> {
  // Also once sealed: a link still reads the agreement and the parties' names until it expires.
  partyOf(await loadCase(ctx, caseId), signer);
  let n = 0;
  for (const inv of await ctx.cases.listInvitations(caseId)) {
    if (inv.signer !== signer || inv.revoked) continue;
    await ctx.cases.putInvitation({ ...inv, revoked: true });
    n++;
  }
  return n;
}
