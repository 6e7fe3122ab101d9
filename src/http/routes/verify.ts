import { z } from "zod";
import { isHexDigest, utf8 } from "../../core/bytes.js";
import { isPlainObject } from "../../core/canonical-json.js";
import { verifySealedAgreement } from "../../esign/sealed-agreement.js";
import { parseEntry } from "../../ledger/entry.js";
import type { StoredCheckpoint } from "../../ledger/ledger-store.js";
import { singleLogPolicy } from "../../ledger/verify-proof.js";
import { verifyDigest } from "../../service/verify-evidence.js";
import { verdictSchema } from "../answer-schemas.js";
import { flattened } from "../ascii-json.js";
import type { AppDeps } from "../deps.js";
import { type AnyOperation, defineOperation } from "../operation.js";
import { verdictJson } from "../receipt-json.js";
import { hex64 } from "../schemas.js";
import { sendAsciiJson, sendJson } from "../send-json.js";
import { VerdictCache } from "../verdict-cache.js";

/** The JSON body of a verify by digest. */
export const verifyBody = z.object({ sha256: hex64 }).strict();

/**
 * What sealing may add to a registered agreement (the seal's drawing and font subset, the
 * embedded case package, the signature, an edge strip on every page), with a wide margin:
 * a sealed file of an agreement at the size limit is still checked whole.
 */
const SEAL_ROOM_BYTES = 8 * 1024 * 1024;

/** What verifyBody makes of the usual `{"sha256"}`, without zod (see quickEvidenceInput); undefined otherwise. */
export function quickVerifyBody(x: unknown): { sha256: string } | undefined {
  // A plain object, as JSON.parse makes (nothing inherited for zod to see and this not).
  if (!isPlainObject(x)) return undefined;
  const { sha256 } = x;
  if (!isHexDigest(sha256) || Object.keys(x).length !== 1) return undefined;
  return { sha256 };
}

/** Anyone holding a document may check it (DESIGN §5): "not found" is an answer, not an error. */
export function verifyOperations(deps: AppDeps): AnyOperation[] {
  const { verdictCacheBytes, verdictMaxAgeMs } = deps.options;
  const cache = new VerdictCache<StoredCheckpoint>({
    maxBytes: verdictCacheBytes,
    maxAgeMs: verdictMaxAgeMs,
    now: () => performance.now(), // an age: monotonic, whatever the wall clock does
    recordedAfter: (size) => deps.ledger.digestsRecordedAfter(size),
  });
  const behind =
    verdictMaxAgeMs > 0
      ? `; the same question may get an answer made up to ${verdictMaxAgeMs / 1000} s earlier, proved against ` +
        "the checkpoint it carries, unless a newer entry records the digest"
      : "";
  return [
    defineOperation({
      id: "verify",
      method: "post",
      path: "/api/v1/verify",
      tag: "evidence",
      summary: "Check a digest or a file against the log",
      description:
        'JSON `{"sha256"}`, or a multipart `file` part hashed here on the fly and never stored. ' +
        "Always 200 for a well-formed request: `valid:false` with reasons when it is not recorded. " +
        `Matches are proved against the newest signed checkpoint${behind}.`,
      body: verifyBody,
      quickBody: quickVerifyBody,
      upload: {
        fields: [],
        toBody: (u) => ({ sha256: u.sha256 }),
        // A sealed agreement is the registered file plus the seal's updates: room for those too.
        ...(deps.sealing ? { keepPdfUpTo: deps.options.maxDocumentBytes + SEAL_ROOM_BYTES } : {}),
      },
      responses: { 200: { description: "the verdict", json: verdictSchema } },
      async handle({ body, res }) {
        const pdf = res.locals.uploadedPdf as Uint8Array | undefined;
        const head = deps.ledger.latest();
        // A PDF may be a sealed agreement, whose answer depends on the file, not only on its digest.
        const cached = pdf ? undefined : cache.get(body.sha256, head);
        if (cached !== undefined) {
          sendAsciiJson(res, cached);
          return;
        }
        const found = await verifyDigest(deps.ledger, body.sha256);
        const facts = pdf && deps.sealing ? await deps.sealing.pdf.verifySealed(pdf) : undefined;
        if (!facts?.proofJson) {
          const json = flattened(verdictJson(found)); // flat once, sent many times
          // Kept only if made wholly against `head`: no block landed while it was being made.
          if (!pdf && deps.ledger.latest() === head) cache.set(body.sha256, head, json);
          sendAsciiJson(res, json);
          return;
        }
        // A sealed agreement: the PDF signature, the original prefix, every embedded proof and
        // party signature, and the ledger's record of this very file (DESIGN §7).
        const sealRecorded = found.matches.some((m) => parseEntry(utf8(m.entry)).type === "agreement.sealed");
        const policy = deps.policy ?? singleLogPolicy(deps.ledger.key.verifierKey);
        const v = verifySealedAgreement(facts, { policy, sealRecorded });
        sendJson(res, {
          ...found,
          valid: v.valid,
          checks: v.checks,
          sealed: { case: v.case, document: v.document, signers: v.signers },
        });
      },
    }),
  ];
}
