import { toHex, utf8 } from "../../core/bytes.js";
import { ConflictError, StorageError } from "../../core/errors.js";
import { sha256 } from "../../crypto/sha256.js";
import type { CaseServices } from "./context.js";
import { getCasePackage } from "./get-case.js";
import { loadCaseState } from "./load-case.js";
import type { PdfTools } from "./pdf-tools.js";

export interface SealSettings {
  pdf: PdfTools;
  /** The centre's name on the seal's arc. */
  centreName: string;
  pages?: "last" | "all-edge";
}

/**
 * Seals a fully signed agreement: the registered PDF with a visible e-seal,
 * the case package embedded as notarium-proof.json and a PAdES signature, all
 * appended so the registered bytes stay a prefix; records `agreement.sealed`
 * with the sealed file's SHA-256. Sealing again returns the same file.
 */
export async function sealAgreement(
  ctx: CaseServices,
  caseId: string,
  s: SealSettings,
): Promise<{ pdf: Uint8Array; sha256: string; evidenceId?: string; created: boolean }> {
  return ctx.locks.run(caseId, async () => {
    const { c, state } = await loadCaseState(ctx, caseId);
    if (state.sealed) {
      const pdf = await ctx.blobs.getBlob(state.sealed.sha256);
      if (!pdf)
        throw new StorageError(
          "STORAGE_FAILURE",
          `the sealed file ${state.sealed.sha256} is missing from storage`,
        );
      return { pdf, sha256: state.sealed.sha256, created: false };
    }
    if (!state.document || !c.agreement)
      throw new ConflictError("AGREEMENT_MISSING", "no agreement is registered for this case yet");
    if (state.pending.length > 0) {
      throw new ConflictError(
        "SIGNATURES_MISSING",
        `still waiting for: ${state.pending.map((p) => `${p.id} (${p.role})`).join(", ")}`,
      );
    }
    const original = await ctx.blobs.getBlob(state.document);
    if (!original)
      throw new StorageError("STORAGE_FAILURE", "the registered agreement is missing from storage");
    const pkg = await getCasePackage(ctx, caseId);
    const evidenceId = c.agreement.evidenceId;
    const sealed = await s.pdf.seal(original, {
      centreName: s.centreName,
      evidenceId,
      digest: state.document,
      signers: c.parties.map((p) => ({ name: p.name, role: p.role })),
      verifyUrl: `${ctx.publicUrl.replace(/\/$/, "")}/?evidence=${evidenceId}`,
      ...(s.pages ? { pages: s.pages } : {}),
      proofJson: utf8(JSON.stringify(pkg)),
    });
    const digest = toHex(sha256(sealed));
    await ctx.blobs.putBlob(sealed);
    const appended = await ctx.ledger.append("agreement.sealed", {
      case: caseId,
      document: state.document,
      sha256: digest,
      size: sealed.length,
      agreementEvidenceId: evidenceId,
    });
    ctx.onEvent?.({
      type: "agreement.sealed",
      caseId,
      data: { sha256: digest, evidenceId: appended.evidenceId },
    });
    return { pdf: sealed, sha256: digest, evidenceId: appended.evidenceId, created: true };
  });
}
