import { z } from "zod";
import { isHexDigest, utf8 } from "../core/bytes.js";
import { canonicalJson } from "../core/canonical-json.js";
import type { Clock } from "../core/clock.js";
import { isAppError, ValidationError } from "../core/errors.js";
import { parseEntry } from "../ledger/entry.js";
import type { Ledger } from "../ledger/ledger.js";
import type { StoredCheckpoint } from "../ledger/ledger-store.js";
import type { Receipt } from "../ledger/receipt.js";
import { findByDigest, findEvidence } from "./find-evidence.js";
import { receiptForIndex } from "./receipts.js";

export const MAX_DOCKING_ITEMS = 1000;

export const dockingInput = z
  .object({
    items: z
      .array(
        z.union(
          [
            z
              .object({
                sha256: z.string().regex(/^[0-9a-f]{64}$/, "sha256 must be 64 lowercase hex characters"),
              })
              .strict(),
            z
              .object({
                // Crockford base32 (I, L and O read as 1, 1 and 0; no U), as parseEvidenceId reads it.
                evidenceId: z
                  .string()
                  .regex(
                    /^NTR-[0-9A-TV-Z]{16}$/i,
                    "evidenceId must be NTR- followed by 16 base32 characters",
                  ),
              })
              .strict(),
          ],
          { error: 'each item is {"sha256": …} or {"evidenceId": …}, exactly one of them' },
        ),
      )
      .min(1)
      .max(MAX_DOCKING_ITEMS),
  })
  .strict();

export interface DockingResult {
  valid: boolean;
  /** The digest asked about, or the one the entry records (when asked by evidence ID). */
  sha256?: string;
  evidenceId?: string;
  /** The entry's type, e.g. evidence.deposited, agreement.sealed. */
  type?: string;
  index?: number;
  txHash?: string;
  blockHeight?: number;
  recordedAt?: string;
  tlogProof?: string;
  reason?: string;
}

export interface DockingAnswer {
  results: DockingResult[];
  answeredAt: string;
  /** Hex Ed25519 signature by the log key over the JCS of this object without `signature`. */
  signature: string;
}

export type DockingInput = z.infer<typeof dockingInput>;

/** A docking answer with the bytes it was signed over. */
export interface SignedDockingAnswer {
  answer: DockingAnswer;
  /**
   * The answer as JSON, UTF-8, in two pieces: the RFC 8785 JSON of the answer
   * without `signature` (the signed bytes) less its closing brace, then the
   * signature and the brace. RFC 8785 orders keys by code units, and
   * "signature" sorts after "answeredAt" and "results": the whole is the
   * canonical JSON of the signed answer, made and encoded once.
   */
  json: [Uint8Array, Uint8Array];
}

type DockingDeps = { clock: Clock; checkpointFor?: (index: number) => StoredCheckpoint };

/**
 * Batch check for a court system (DESIGN §5): each item by digest or
 * evidence ID, answered with the receipt fields and a .tlog-proof, and the
 * whole answer signed by the log key so the court can keep it and re-check
 * it later. Unknown items are answered `valid: false` with a reason.
 */
export async function dockingVerify(
  ledger: Ledger,
  input: unknown,
  deps: DockingDeps,
): Promise<DockingAnswer> {
  const r = dockingInput.safeParse(input);
  if (!r.success) {
    const i = r.error.issues[0];
    const tooMany = i?.code === "too_big" && i.path.length === 1;
    throw new ValidationError(
      "INVALID_ARGUMENT",
      `${i?.path.join(".") || "body"}: ${i?.message}${tooMany ? ` (at most ${MAX_DOCKING_ITEMS} items per call)` : ""}`,
    );
  }
  return (await dockingVerifyParsed(ledger, r.data, deps)).answer;
}

/** dockingVerify for input already parsed with `dockingInput` (the HTTP route), with the answer's JSON. */
export async function dockingVerifyParsed(
  ledger: Ledger,
  input: DockingInput,
  deps: DockingDeps,
): Promise<SignedDockingAnswer> {
  const one = async (item: { sha256: string } | { evidenceId: string }): Promise<DockingResult> => {
    const asked = "sha256" in item ? { sha256: item.sha256 } : { evidenceId: item.evidenceId };
    try {
      let receipt: Receipt;
      if ("sha256" in item) {
        const [index] = await findByDigest(ledger, item.sha256, 1);
        if (index === undefined)
          return { valid: false, ...asked, reason: "no entry records this SHA-256 digest" };
        receipt = await receiptForIndex(ledger, index, deps.checkpointFor?.(index));
      } else {
        receipt = await findEvidence(ledger, item.evidenceId, deps.checkpointFor);
      }
      const entry = parseEntry(utf8(receipt.entry));
      const recorded = entry.body.sha256;
      return {
        valid: true,
        ...asked,
        ...(!("sha256" in asked) && typeof recorded === "string" && isHexDigest(recorded)
          ? { sha256: recorded }
          : {}),
        evidenceId: receipt.evidenceId,
        type: entry.type,
        index: receipt.index,
        txHash: receipt.txHash,
        blockHeight: receipt.blockHeight,
        recordedAt: receipt.recordedAt,
        tlogProof: receipt.tlogProof,
      };
    } catch (e) {
      if (isAppError(e) && (e.code === "EVIDENCE_NOT_FOUND" || e.code === "INVALID_ARGUMENT")) {
        return { valid: false, ...asked, reason: e.message };
      }
      throw e;
    }
  };
  const results: DockingResult[] = [];
  const items = input.items;
  for (let i = 0; i < items.length; i += 64)
    results.push(...(await Promise.all(items.slice(i, i + 64).map(one))));
  const unsigned = { results, answeredAt: deps.clock.now().toISOString() };
  const signed = utf8(canonicalJson(unsigned));
  const signature = ledger.key.signBytes(signed);
  return {
    answer: { ...unsigned, signature },
    json: [signed.subarray(0, signed.length - 1), utf8(`,"signature":"${signature}"}`)],
  };
}
