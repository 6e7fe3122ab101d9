import { toHex } from "../../core/bytes.js";
import { ConflictError, ValidationError } from "../../core/errors.js";
import { sha256 } from "../../crypto/sha256.js";
import type { Receipt } from "../../ledger/receipt.js";
import { receiptForAppended } from "../receipts.js";
import type { CaseServices } from "./context.js";
import { appendCaseEntry } from "./entry-cache.js";
import { loadCaseState } from "./load-case.js";

const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-

/** Validates an agreement upload before anything is stored; deeper PDF checks plug in here. */
export type PdfCheck = (bytes: Uint8Array) => Promise<void> | void;

export const basicPdfCheck: PdfCheck = (bytes) => {
  if (bytes.length === 0) throw new ValidationError("EMPTY", "the agreement file is empty");
  const head = bytes.subarray(0, 1024);
  const at = head.findIndex((_, i) => PDF_MAGIC.every((b, j) => head[i + j] === b));
  if (at < 0)
    throw new ValidationError("NOT_PDF", "the agreement must be a PDF file (no %PDF- header found)");
};

/**
 * Registers (or, before anyone signs, replaces) the agreement PDF of a case:
 * stores the file and records `agreement.registered` with its SHA-256 and the
 * parties who must sign, so the signer set itself is on the log.
 */
export async function registerAgreement(
  ctx: CaseServices,
  caseId: string,
  pdf: Uint8Array,
  check: PdfCheck = basicPdfCheck,
): Promise<{ sha256: string; evidenceId: string } & Receipt> {
  return ctx.locks.run(caseId, async () => {
    const { c, state } = await loadCaseState(ctx, caseId);
    if (state.signatures.size > 0) {
      throw new ConflictError(
        "AGREEMENT_LOCKED",
        "parties have already signed this agreement; open a new case to change it",
      );
    }
    await check(pdf);
    const digest = toHex(sha256(pdf));
    await ctx.blobs.putBlob(pdf);
    const appended = await appendCaseEntry(ctx, "agreement.registered", {
      case: c.id,
      sha256: digest,
      size: pdf.length,
      signingOrder: c.signingOrder,
      parties: c.parties.map((p) => ({ id: p.id, role: p.role })),
    });
    const receipt = receiptForAppended(appended);
    await ctx.cases.putCase(
      {
        ...c,
        agreement: {
          sha256: digest,
          size: pdf.length,
          evidenceId: appended.evidenceId,
          index: appended.index,
          registeredAt: appended.entry.time,
        },
      },
      c.version,
    );
    ctx.onEvent?.({
      type: "agreement.registered",
      caseId,
      data: { sha256: digest, evidenceId: appended.evidenceId },
    });
    return { sha256: digest, ...receipt };
  });
}
