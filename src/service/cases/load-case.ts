import { NotFoundError } from "../../core/errors.js";
import { type CaseRecord, findParty, type Party } from "../../esign/case.js";
import { type CaseState, deriveCaseState } from "../../esign/case-state.js";
import { type Entry, parseEntry } from "../../ledger/entry.js";
import type { CaseServices } from "./context.js";

const CASE_ID = /^case_[0-9A-Za-z]{16}$/;

export async function loadCase(ctx: CaseServices, id: string): Promise<CaseRecord> {
  const c = CASE_ID.test(id) ? await ctx.cases.getCase(id) : undefined;
  if (!c) throw new NotFoundError("CASE_NOT_FOUND", `no case ${id}`);
  return c;
}

/** The party `signer` of case `c`, or SIGNER_NOT_FOUND. */
export function partyOf(c: CaseRecord, signer: string): Party {
  const party = findParty(c, signer);
  if (!party) throw new NotFoundError("SIGNER_NOT_FOUND", `case ${c.id} has no party ${signer}`);
  return party;
}

/** The case's entries in the signed tree, in order (from the ledger's case index); only unseen ones are read. */
export async function caseEntries(ctx: CaseServices, id: string): Promise<Entry[]> {
  const size = ctx.ledger.size;
  const indices = (await ctx.ledger.findByRef(`case:${id}`)).filter((i) => i < size);
  const found = new Map<number, Entry>();
  const missing: number[] = [];
  for (const i of indices) {
    const e = ctx.entries.get(i);
    if (e) found.set(i, e);
    else missing.push(i);
  }
  const read = await Promise.all(missing.map((i) => ctx.ledger.storage.getEntry(i)));
  for (const data of read) {
    if (!data) continue;
    const e = parseEntry(data);
    ctx.entries.set(e.index, e);
    found.set(e.index, e);
  }
  return indices.flatMap((i) => found.get(i) ?? []);
}

export async function loadCaseState(
  ctx: CaseServices,
  id: string,
): Promise<{ c: CaseRecord; state: CaseState; entries: Entry[] }> {
  const c = await loadCase(ctx, id);
  const entries = await caseEntries(ctx, id);
  return { c, state: deriveCaseState(c, entries), entries };
}
