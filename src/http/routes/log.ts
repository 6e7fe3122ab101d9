import { z } from "zod";
import { fromUtf8, toHex } from "../../core/bytes.js";
import { NotFoundError } from "../../core/errors.js";
import { parseVerifierKey } from "../../crypto/note-keys.js";
import { formatPolicy } from "../../crypto/tlog-policy.js";
import { singleLogPolicy } from "../../ledger/verify-proof.js";
import { hashLeaf } from "../../merkle/hash.js";
import { entriesSchema, entrySchema, keysSchema } from "../answer-schemas.js";
import type { AppDeps } from "../deps.js";
import { type AnyOperation, defineOperation } from "../operation.js";
import { decimalCount } from "../schemas.js";
import { sendJson } from "../send-json.js";

/** Entries and proofs for a fixed index and size never change. */
export const IMMUTABLE = "public, max-age=31536000, immutable";
const MAX_ENTRIES_PER_PAGE = 1000;

/** The public log: checkpoint, keys, entries (DESIGN §5). */
export function logOperations(deps: AppDeps): AnyOperation[] {
  const { ledger } = deps;
  const vkey = ledger.key.verifierKey;
  const policy = deps.policy ?? singleLogPolicy(vkey);
  const keys = {
    origin: ledger.key.origin,
    verifierKey: vkey,
    publicKey: toHex(parseVerifierKey(vkey).publicKey),
    witnesses: policy.witnesses.map((w) => ({
      name: w.name,
      vkey: w.vkey,
      ...(w.url ? { url: w.url } : {}),
    })),
    policy: formatPolicy(policy),
    pdfCertificate: deps.sealing?.pdf.certificatePem ?? null,
  };

  const readEntry = async (index: number, size: number) => {
    const data = index < size ? await ledger.storage.getEntry(index) : undefined;
    if (!data) throw new NotFoundError("ENTRY_NOT_FOUND", `no entry ${index}; the tree has ${size} entries`);
    return data;
  };
  const entryJson = (index: number, data: Uint8Array) => ({
    index,
    txHash: toHex(hashLeaf(data)),
    entry: fromUtf8(data, "entry"),
  });

  return [
    defineOperation({
      id: "getCheckpoint",
      method: "get",
      path: "/api/v1/log/checkpoint",
      tag: "log",
      summary: "Latest signed checkpoint",
      description: "The newest c2sp.org/tlog-checkpoint as a c2sp.org/signed-note, with any cosignatures.",
      responses: { 200: { description: "signed note", text: "text/plain; charset=utf-8" } },
      handle({ res }) {
        res.setHeader("Cache-Control", "no-cache");
        res.type("text/plain; charset=utf-8").send((deps.witnessing?.checkpoint() ?? ledger.latest()).note);
      },
    }),
    defineOperation({
      id: "getKeys",
      method: "get",
      path: "/api/v1/log/keys",
      tag: "log",
      summary: "Log keys and verifier policy",
      responses: { 200: { description: "keys", json: keysSchema } },
      handle({ res }) {
        sendJson(res, keys);
      },
    }),
    defineOperation({
      id: "getEntry",
      method: "get",
      path: "/api/v1/log/entries/:index",
      tag: "log",
      summary: "One entry by index",
      params: z.object({ index: decimalCount }),
      responses: { 200: { description: "the entry", json: entrySchema } },
      async handle({ params, res }) {
        const data = await readEntry(params.index, ledger.size);
        res.setHeader("Cache-Control", IMMUTABLE);
        sendJson(res, entryJson(params.index, data));
      },
    }),
    defineOperation({
      id: "listEntries",
      method: "get",
      path: "/api/v1/log/entries",
      tag: "log",
      summary: "A range of entries, to mirror the log",
      description: `Entries [from, from+limit) of the current tree, at most ${MAX_ENTRIES_PER_PAGE} per page.`,
      roles: ["court"],
      query: z.object({
        from: decimalCount.optional(),
        limit: decimalCount.pipe(z.number().min(1).max(MAX_ENTRIES_PER_PAGE)).optional(),
      }),
      codes: { from: "INVALID_INDEX", limit: "INVALID_ARGUMENT" },
      responses: { 200: { description: "a page of entries", json: entriesSchema } },
      async handle({ query, res }) {
        const size = ledger.size;
        const from = query.from ?? 0;
        const limit = Math.min(query.limit ?? 100, Math.max(0, size - from));
        const entries: z.infer<typeof entrySchema>[] = [];
        if (limit > 0) {
          for await (const e of ledger.storage.iterateEntries(from, limit))
            entries.push(entryJson(e.index, e.data));
        }
        const end = from + entries.length;
        sendJson(res, { size, entries, next: end < size ? end : null });
      },
    }),
  ];
}
