import { z } from "zod";
import { toHex } from "../../core/bytes.js";
import { ConflictError, ValidationError } from "../../core/errors.js";
import { identityCommitment } from "../../esign/identity-commitment.js";
import type { JsonObject } from "../../ledger/entry.js";
import type { Appended } from "../../ledger/ledger.js";
import type { Receipt } from "../../ledger/receipt.js";
import { receiptForAppended } from "../receipts.js";
import type { CaseServices } from "./context.js";
import { parseInput } from "./create-case.js";
import { appendCaseEntry } from "./entry-cache.js";
import { loadCase, partyOf } from "./load-case.js";

export const attestIdentityInput = z
  .object({
    signer: z.string().min(1).max(64),
    /** How the identity was checked, e.g. ctid (real-name CTID check), in-person, video. */
    method: z
      .string()
      .regex(/^[a-z0-9-]{1,32}$/, "method must be a short lowercase word like ctid or in-person"),
    /** When the check happened (defaults to now). */
    verifiedAt: z
      .string()
      .datetime({ error: "verifiedAt must be an RFC 3339 UTC time ending in Z, e.g. 2026-11-27T10:00:00Z" })
      .optional(),
    /** Personal data checked (name, ID number, phone…): stored apart, erasable, never on the log. */
    identity: z
      .record(z.string().max(64), z.union([z.string().max(500), z.number(), z.boolean()]))
      .refine(
        (o) => Object.keys(o).length > 0 && Object.keys(o).length <= 20,
        "identity must have 1-20 fields",
      ),
  })
  .strict();

/**
 * Records how a party's identity was verified: the data and a random salt go
 * to the identity store; the log gets `identity.attested` with only the salted
 * commitment, so erasing the data later leaves every proof intact.
 */
export async function attestIdentity(
  ctx: CaseServices,
  caseId: string,
  input: unknown,
  attestedBy: string,
): Promise<Receipt & { commitment: string }> {
  const o = parseInput(attestIdentityInput, input);
  // A check cannot have happened after now (beyond the clock skew signatures are allowed).
  if (o.verifiedAt !== undefined) {
    const ahead = Date.parse(o.verifiedAt) - ctx.clock.now().getTime();
    if (ahead > ctx.signatureToleranceMs)
      throw new ValidationError(
        "INVALID_TIME",
        `verifiedAt is ${Math.round(ahead / 1000)} s after the server's clock; give the time the check happened`,
      );
  }
  // One attestation per party at a time, so each commitment on the log stays openable
  // until its data is erased on purpose (a second one would replace the data and salt).
  return ctx.locks.run(caseId, async () => {
    partyOf(await loadCase(ctx, caseId), o.signer);
    if (await ctx.identities.getIdentity(caseId, o.signer))
      throw new ConflictError(
        "IDENTITY_ALREADY_ATTESTED",
        `party ${o.signer}'s identity is already attested in case ${caseId}; erase it (DELETE /api/v1/cases/${caseId}/parties/${o.signer}/identity) before attesting it again`,
      );
    return recordAttestation(ctx, caseId, o, attestedBy);
  });
}

async function recordAttestation(
  ctx: CaseServices,
  caseId: string,
  o: z.infer<typeof attestIdentityInput>,
  attestedBy: string,
): Promise<Receipt & { commitment: string }> {
  const salt = ctx.randomBytes(32);
  const identity = o.identity as JsonObject;
  const commitment = identityCommitment(salt, identity);
  const verifiedAt = o.verifiedAt ?? ctx.clock.now().toISOString();
  await ctx.identities.putIdentity({
    caseId,
    signer: o.signer,
    salt: toHex(salt),
    identity,
    method: o.method,
    attestedBy,
    attestedAt: verifiedAt,
  });
  let appended: Appended;
  try {
    appended = await appendCaseEntry(ctx, "identity.attested", {
      case: caseId,
      signer: o.signer,
      method: o.method,
      attestedBy,
      verifiedAt,
      commitment,
    });
  } catch (e) {
    // Refused (e.g. OVERLOADED): keep no personal data that no attestation stands for.
    await ctx.identities.eraseIdentity(caseId, o.signer).catch(() => undefined);
    throw e;
  }
  ctx.onEvent?.({ type: "identity.attested", caseId, data: { signer: o.signer, method: o.method } });
  return { commitment, ...receiptForAppended(appended) };
}

/** Crypto-shredding: deletes a party's identity data and salt. The log's commitment stays, unopenable. */
export async function eraseIdentity(
  ctx: CaseServices,
  caseId: string,
  signer: string,
): Promise<{ erased: boolean }> {
  // Under the case's lock, as attesting is: an erase never races an attestation of the party.
  return ctx.locks.run(caseId, async () => {
    partyOf(await loadCase(ctx, caseId), signer);
    return { erased: await ctx.identities.eraseIdentity(caseId, signer) };
  });
}
