import { z } from "zod";
import { toHex } from "../../core/bytes.js";
import { consistencySchema, inclusionSchema } from "../answer-schemas.js";
import type { AppDeps } from "../deps.js";
import { type AnyOperation, defineOperation } from "../operation.js";
import { decimalCount } from "../schemas.js";
import { sendJson } from "../send-json.js";
import { IMMUTABLE } from "./log.js";

/** RFC 6962 proofs over the stored tree; sizes are checked against the newest checkpoint. */
export function proofOperations(deps: AppDeps): AnyOperation[] {
  const { ledger } = deps;
  return [
    defineOperation({
      id: "proveInclusion",
      method: "get",
      path: "/api/v1/log/proof/inclusion",
      tag: "log",
      summary: "Inclusion proof of an entry",
      description:
        "Proof that entry `index` is in the tree of `size` entries (default: the current size). Needs index < size <= current size.",
      query: z.object({ index: decimalCount, size: decimalCount.optional() }),
      responses: { 200: { description: "the proof", json: inclusionSchema } },
      async handle({ query, res }) {
        const size = query.size ?? ledger.size;
        const [proof, root] = await Promise.all([
          ledger.proveInclusion(query.index, size),
          ledger.rootAt(size),
        ]);
        if (query.size !== undefined) res.setHeader("Cache-Control", IMMUTABLE);
        sendJson(res, { index: query.index, size, root: toHex(root), proof: proof.map(toHex) });
      },
    }),
    defineOperation({
      id: "proveConsistency",
      method: "get",
      path: "/api/v1/log/proof/consistency",
      tag: "log",
      summary: "Consistency proof between two tree sizes",
      description:
        "Proof that the tree of `to` entries extends the tree of `from` entries. Needs 1 <= from <= to <= current size.",
      query: z.object({ from: decimalCount, to: decimalCount }),
      responses: { 200: { description: "the proof", json: consistencySchema } },
      async handle({ query, res }) {
        const { from, to } = query;
        const [proof, oldRoot, newRoot] = await Promise.all([
          ledger.proveConsistency(from, to),
          ledger.rootAt(from),
          ledger.rootAt(to),
        ]);
        res.setHeader("Cache-Control", IMMUTABLE);
        sendJson(res, {
          from,
          to,
          oldRoot: toHex(oldRoot),
          newRoot: toHex(newRoot),
          proof: proof.map(toHex),
        });
      },
    }),
  ];
}
