import { formatPolicy } from "../../crypto/tlog-policy.js";
import { publicCase } from "../../esign/case.js";
import { CASE_PACKAGE_FORMAT, type CasePackage } from "../../esign/case-package.js";
import type { Receipt } from "../../ledger/receipt.js";
import { singleLogPolicy } from "../../ledger/verify-proof.js";
import { receiptForIndex } from "../receipts.js";
import type { CaseServices } from "./context.js";
import { loadCaseState } from "./load-case.js";

/** Everything anyone authorised may follow: status, parties with keys, signatures, and every entry with its receipt. */
export async function getCase(ctx: CaseServices, caseId: string) {
  const { c, state, entries } = await loadCaseState(ctx, caseId);
  const receipts: Receipt[] = [];
  for (const e of entries) receipts.push(await receiptForIndex(ctx.ledger, e.index));
  return {
    ...publicCase(c),
    status: state.status,
    document: state.document,
    nextSigner: state.nextSigner?.id,
    parties: c.parties.map((p) => ({ ...p, signed: state.signatures.has(p.id) })),
    signatures: [...state.signatures.values()],
    sealed: state.sealed,
    entries: receipts,
  };
}

/** One JSON evidence package for a case, checkable offline with `notarium verify --package`. */
export async function getCasePackage(ctx: CaseServices, caseId: string): Promise<CasePackage> {
  const { c, entries } = await loadCaseState(ctx, caseId);
  const checkpoint = ctx.ledger.latest();
  const items = [];
  for (const e of entries) {
    const r = await receiptForIndex(ctx.ledger, e.index, checkpoint);
    items.push({ evidenceId: r.evidenceId, index: r.index, entry: r.entry, tlogProof: r.tlogProof });
  }
  return {
    format: CASE_PACKAGE_FORMAT,
    case: c.id,
    caseNumber: c.caseNumber,
    title: c.title,
    policy: formatPolicy(singleLogPolicy(ctx.ledger.key.verifierKey)),
    entries: items,
    createdAt: ctx.clock.now().toISOString(),
  };
}
