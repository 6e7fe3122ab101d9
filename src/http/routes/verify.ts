import { z } from "zod";
import { verifyDigest } from "../../service/verify-evidence.js";
import type { AppDeps } from "../deps.js";
import { type AnyOperation, defineOperation } from "../operation.js";
import { checkSchema, hex64, receiptSchema } from "../schemas.js";
import { sendJson } from "../send-json.js";

const verifyResult = z.object({
  valid: z.boolean(),
  sha256: hex64,
  matches: z
    .array(receiptSchema)
    .meta({ description: "every entry recording the digest, proved against the newest checkpoint" }),
  checks: z.array(checkSchema).meta({ description: "each step and its outcome, in plain words" }),
});

/** Anyone holding a document may check it (DESIGN §5): "not found" is an answer, not an error. */
export function verifyOperations(deps: AppDeps): AnyOperation[] {
  return [
    defineOperation({
      id: "verify",
      method: "post",
      path: "/api/v1/verify",
      tag: "evidence",
      summary: "Check a digest or a file against the log",
      description:
        'JSON `{"sha256"}`, or a multipart `file` part hashed here on the fly and never stored. ' +
        "Always 200 for a well-formed request: `valid:false` with reasons when it is not recorded.",
      body: z.object({ sha256: hex64 }).strict(),
      upload: { fields: [], toBody: (u) => ({ sha256: u.sha256 }) },
      responses: { 200: { description: "the verdict", json: verifyResult } },
      async handle({ body, res }) {
        sendJson(res, await verifyDigest(deps.ledger, body.sha256));
      },
    }),
  ];
}
