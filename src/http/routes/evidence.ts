import { z } from "zod";
import { isPlainObject } from "../../core/canonical-json.js";
import {
  type EvidenceInput,
  evidenceInput,
  quickEvidenceInput,
  recordParsedEvidence,
  recordParsedEvidenceBatch,
} from "../../service/deposit-evidence.js";
import { findEvidence } from "../../service/find-evidence.js";
import { receiptsSchema } from "../answer-schemas.js";
import type { AppDeps } from "../deps.js";
import { mediaTypeOf } from "../media-type.js";
import { type AnyOperation, defineOperation } from "../operation.js";
import { appendedReceiptJson, appendedReceiptsJson } from "../receipt-json.js";
import { receiptSchema } from "../schemas.js";
import { sendAsciiJson, sendJson } from "../send-json.js";

const idParams = z.object({
  id: z
    .string()
    .max(64)
    .meta({ examples: ["NTR-7D2K1M9QX4TB3W8E"] }),
});

/** The JSON body of a batch deposit: 1 to maxBatch evidence bodies. */
export function batchBodySchema(maxBatch: number) {
  return z.object({ items: z.array(evidenceInput).min(1).max(maxBatch) }).strict();
}

/**
 * What the batch schema (`{"items":[…]}`, 1 to maxBatch evidence bodies)
 * makes of a well-formed batch, without zod (see quickEvidenceInput); undefined
 * for anything else. A thousand items were a thousand schema runs.
 */
export function quickBatchBody(maxBatch: number): (x: unknown) => { items: EvidenceInput[] } | undefined {
  return (x) => {
    if (!isPlainObject(x)) return undefined;
    const { items } = x;
    if (!Array.isArray(items) || items.length < 1 || items.length > maxBatch || Object.keys(x).length !== 1)
      return undefined;
    const out: EvidenceInput[] = new Array(items.length);
    for (let i = 0; i < items.length; i++) {
      const item = quickEvidenceInput(items[i]);
      if (item === undefined) return undefined;
      out[i] = item;
    }
    return { items: out };
  };
}

/** Deposits (mediator or admin token) and the public evidence view (DESIGN §4, §5). */
export function evidenceOperations(deps: AppDeps): AnyOperation[] {
  const { ledger, metrics } = deps;
  const { maxBatch } = deps.options;
  const batchBody = batchBodySchema(maxBatch);
  const quickBatch = quickBatchBody(maxBatch);
  // Label lookups once, not per deposit.
  const deposited = metrics.deposits.labels({ kind: "json" });
  const uploaded = metrics.deposits.labels({ kind: "upload" });
  return [
    defineOperation({
      id: "depositEvidence",
      method: "post",
      path: "/api/v1/evidence",
      tag: "evidence",
      summary: "Deposit one piece of evidence",
      description:
        "Records a SHA-256 digest, sent as JSON or computed here from a multipart `file` part (streamed through SHA-256, never stored; " +
        `at most ${deps.options.maxUploadBytes} bytes). Answers once a signed checkpoint covers the entry, with the full receipt. ` +
        "`title` is public and permanent: no personal data. 503 with Retry-After when the append queue is full.",
      roles: ["mediator"],
      body: evidenceInput,
      quickBody: quickEvidenceInput,
      upload: {
        fields: ["title", "meta"],
        toBody: (u) => ({ sha256: u.sha256, size: u.size, ...u.fields }),
      },
      responses: { 201: { description: "recorded; the receipt", json: receiptSchema } },
      async handle({ body, req, res }) {
        const appended = await recordParsedEvidence(ledger, body);
        (mediaTypeOf(req) === "multipart/form-data" ? uploaded : deposited).inc();
        res.setHeader("Location", `/api/v1/evidence/${appended.evidenceId}`);
        sendAsciiJson(res, appendedReceiptJson(appended), 201);
      },
    }),
    defineOperation({
      id: "depositEvidenceBatch",
      method: "post",
      path: "/api/v1/evidence/batch",
      tag: "evidence",
      summary: "Deposit many digests in one call",
      description: `Up to ${deps.options.maxBatch} digests, recorded in one block, all or none; receipts in the order given.`,
      roles: ["mediator"],
      body: batchBody,
      quickBody: quickBatch,
      responses: {
        201: {
          description: "recorded; one receipt per item",
          json: receiptsSchema,
        },
      },
      async handle({ body, res }) {
        const appended = await recordParsedEvidenceBatch(ledger, body.items);
        metrics.deposits.inc({ kind: "batch" }, appended.length);
        metrics.batchSize.observe(appended.length);
        sendAsciiJson(res, appendedReceiptsJson(appended), 201);
      },
    }),
    defineOperation({
      id: "getEvidence",
      method: "get",
      path: "/api/v1/evidence/:id",
      tag: "evidence",
      summary: "Public view of a deposit",
      description:
        "The entry and its receipt, proved against the newest checkpoint. The ID is checked against the leaf hash it names.",
      params: idParams,
      responses: { 200: { description: "the receipt", json: receiptSchema } },
      async handle({ params, res }) {
        sendJson(res, await findEvidence(ledger, params.id));
      },
    }),
    defineOperation({
      id: "getEvidenceProof",
      method: "get",
      path: "/api/v1/evidence/:id/proof",
      tag: "evidence",
      summary: "Offline receipt (.tlog-proof)",
      description:
        "A c2sp.org/tlog-proof that carries the entry and verifies with no network: `notarium verify FILE --proof P --key K`.",
      params: idParams,
      responses: { 200: { description: "c2sp.org/tlog-proof text", text: "text/plain; charset=utf-8" } },
      async handle({ params, res }) {
        // Proved against the newest checkpoint that meets the witness quorum (DESIGN §11).
        const { witnessing } = deps;
        const receipt = await findEvidence(
          ledger,
          params.id,
          witnessing && ((i) => witnessing.checkpointFor(i)),
        );
        res.setHeader("Content-Disposition", `inline; filename="${receipt.evidenceId}.tlog-proof"`);
        res.type("text/plain; charset=utf-8").send(receipt.tlogProof);
      },
    }),
  ];
}
