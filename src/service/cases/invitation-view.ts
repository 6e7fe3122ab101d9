import { NotFoundError } from "../../core/errors.js";
import type { CaseServices } from "./context.js";
import { openInvitation } from "./invitations.js";
import { loadCaseState } from "./load-case.js";

/** What a party sees through its invitation: its case, its role, the document to sign, who signed. */
export async function invitationView(ctx: CaseServices, token: string) {
  const { inv, party } = await openInvitation(ctx, token);
  const { c, state } = await loadCaseState(ctx, inv.caseId);
  return {
    caseId: c.id,
    caseNumber: c.caseNumber,
    title: c.title,
    signer: party.id,
    role: party.role,
    name: party.name,
    publicKey: party.publicKey,
    document: state.document,
    documentSize: c.agreement?.sha256 === state.document ? c.agreement?.size : undefined,
    status: state.status,
    signingOrder: c.signingOrder,
    nextSigner: state.nextSigner?.id,
    signed: state.signatures.has(party.id),
    parties: c.parties.map((p) => ({
      id: p.id,
      role: p.role,
      name: p.name,
      signed: state.signatures.has(p.id),
    })),
    expiresAt: inv.expiresAt,
  };
}

/** The registered agreement PDF, for the invited party to read before signing. */
export async function invitationAgreement(
  ctx: CaseServices,
  token: string,
): Promise<{ bytes: Uint8Array; sha256: string }> {
  const { inv } = await openInvitation(ctx, token);
  const { state } = await loadCaseState(ctx, inv.caseId);
  const bytes = state.document ? await ctx.blobs.getBlob(state.document) : undefined;
  if (!bytes || !state.document)
    throw new NotFoundError("AGREEMENT_MISSING", "no agreement is registered for this case yet");
  return { bytes, sha256: state.document };
}
