import { ConflictError } from "../../core/errors.js";
import { parseUsablePublicKeyHex } from "../../esign/verify-signature.js";
import type { CaseServices } from "./context.js";
import { openInvitation, revokeInvitations } from "./invitations.js";
import { loadCase, loadCaseState, partyOf } from "./load-case.js";

/**
 * Binds a party's Ed25519 public key through its invitation; a key is bound once and never
 * replaced, and never to two parties of one case (its holder could sign for both sides).
 */
export async function bindPartyKey(ctx: CaseServices, token: string, input: unknown) {
  const { inv } = await openInvitation(ctx, token);
  const publicKey = (input as { publicKey?: unknown } | null)?.publicKey;
  parseUsablePublicKeyHex(publicKey);
  return ctx.locks.run(inv.caseId, async () => {
    const c = await loadCase(ctx, inv.caseId);
    const party = c.parties.find((p) => p.id === inv.signer);
    if (party?.publicKey) {
      if (party.publicKey === publicKey) return { caseId: c.id, signer: inv.signer, publicKey };
      throw new ConflictError(
        "KEY_ALREADY_BOUND",
        "a different key is already bound to this party; keys are bound once",
      );
    }
    const holder = c.parties.find((p) => p.id !== inv.signer && p.publicKey === publicKey);
    if (holder)
      throw new ConflictError(
        "KEY_ALREADY_BOUND",
        `this key is already bound to party ${holder.id} of this case; each party signs with a key of its own`,
      );
    const parties = c.parties.map((p) =>
      p.id === inv.signer ? { ...p, publicKey: publicKey as string } : p,
    );
    await ctx.cases.putCase({ ...c, parties }, c.version);
    return { caseId: c.id, signer: inv.signer, publicKey: publicKey as string };
  });
}

/**
 * Unbinds a party's key before it has signed, so the party can bind another through a
 * new link: a key forgotten with its passphrase, or lost with a device, would otherwise
 * keep the case from ever being signed. A key that signed stays bound (409 ALREADY_SIGNED).
 * The party's open links are revoked with it (whoever holds a lost phone holds the old
 * link too), and the reset, with the key it removed, goes to the case's webhook: a
 * mediator who could swap a party's key unseen could then sign for the party.
 */
export async function resetPartyKey(
  ctx: CaseServices,
  caseId: string,
  signer: string,
): Promise<{ reset: boolean }> {
  return ctx.locks.run(caseId, async () => {
    const { c, state } = await loadCaseState(ctx, caseId);
    const party = partyOf(c, signer);
    if (state.sealed) throw new ConflictError("CASE_SEALED", `case ${caseId} is sealed`);
    if (state.signatures.has(signer))
      throw new ConflictError(
        "ALREADY_SIGNED",
        `party ${signer} has signed with its key; a key that signed stays bound`,
      );
    if (!party.publicKey) return { reset: false };
    const parties = c.parties.map((p) => {
      if (p.id !== signer) return p;
      const { publicKey: _, ...rest } = p;
      return rest;
    });
    await ctx.cases.putCase({ ...c, parties }, c.version);
    const revoked = await revokeInvitations(ctx, caseId, signer);
    ctx.onEvent?.({
      type: "party.key_reset",
      caseId,
      data: { signer, publicKey: party.publicKey, invitationsRevoked: revoked },
    });
    return { reset: true };
  });
}
