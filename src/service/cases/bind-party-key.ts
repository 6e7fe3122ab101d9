import { ConflictError } from "../../core/errors.js";
import { parseUsablePublicKeyHex } from "../../esign/verify-signature.js";
import type { CaseServices } from "./context.js";
import { openInvitation } from "./invitations.js";
import { loadCase } from "./load-case.js";

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
