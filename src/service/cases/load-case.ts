import { NotFoundError } from "../../core/errors.js";
import type { CaseRecord } from "../../esign/case.js";
import { type CaseState, deriveCaseState } from "../../esign/case-state.js";
import { type Entry, parseEntry } from "../../ledger/entry.js";
import type { CaseServices } from "./context.js";

const CASE_ID = /^case_[0-9A-Za-z]{16}$/;

export async function loadCase(ctx: CaseServices, id: string): Promise<CaseRecord> {
  const c = CASE_ID.test(id) ? await ctx.cases.getCase(id) : undefined;
  if (!c) throw new NotFoundError("CASE_NOT_FOUND", `no case ${id}`);
  return c;
}

/** The case's log entries, in order (from the ledger's case index). */
export async function caseEntries(ctx: CaseServices, id: string): Promise<Entry[]> {
  const indices = await ctx.ledger.storage.findByRef(`case:${id}`);
  const out: Entry[] = [];
  for (const i of indices) {
    if (i >= ctx.ledger.size) continue;
    const data = await ctx.ledger.storage.getEntry(i);
    if (data) out.push(parseEntry(data));
  }
  return out;
}

export async function loadCaseState(
  ctx: CaseServices,
  id: string,
): Promise<{ c: CaseRecord; state: CaseState; entries: Entry[] }> {
  const c = await loadCase(ctx, id);
  const entries = await caseEntries(ctx, id);
  return { c, state: deriveCaseState(c, entries), entries };
}
