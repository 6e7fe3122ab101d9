import { z } from "zod";
import { checkSchema, hex64, receiptSchema } from "./schemas.js";

/**
 * Answer schemas of the public log, proof, verify and deposit routes. The
 * OpenAPI document describes the answers with them, and the CLI's `--server`
 * client checks every answer against them, so a URL that is not a Notarium
 * service is told apart from a real answer.
 */

export const keysSchema = z.object({
  origin: z.string(),
  verifierKey: z
    .string()
    .meta({ description: "c2sp.org/signed-note verifier key of the log (Ed25519, type 0x01)" }),
  publicKey: hex64.meta({ description: "the raw Ed25519 public key" }),
  witnesses: z.array(z.object({ name: z.string(), vkey: z.string(), url: z.string().optional() })),
  policy: z.string().meta({ description: "c2sp.org/tlog-policy text that verifiers should use" }),
  pdfCertificate: z
    .string()
    .nullable()
    .meta({ description: "PEM certificate of the PDF seal key (null until sealing is enabled)" }),
});

export const entrySchema = z.object({
  index: z.number().int(),
  txHash: hex64.meta({ description: "RFC 6962 leaf hash of `entry`" }),
  entry: z.string().meta({ description: "the canonical entry JSON, byte for byte the leaf data" }),
});

export const entriesSchema = z.object({
  size: z.number().int().meta({ description: "tree size the page was read against" }),
  entries: z.array(entrySchema),
  next: z
    .number()
    .int()
    .nullable()
    .meta({ description: "`from` of the next page, or null at the end of the tree" }),
});

export const inclusionSchema = z.object({
  index: z.number().int(),
  size: z.number().int(),
  root: hex64,
  proof: z.array(hex64).meta({ description: "RFC 9162 §2.1.3 inclusion proof, hex" }),
});

export const consistencySchema = z.object({
  from: z.number().int(),
  to: z.number().int(),
  oldRoot: hex64,
  newRoot: hex64,
  proof: z.array(hex64).meta({ description: "RFC 9162 §2.1.4 consistency proof, hex" }),
});

export const verdictSchema = z.object({
  valid: z.boolean(),
  sha256: hex64,
  matches: z
    .array(receiptSchema)
    .meta({ description: "every entry recording the digest, each proved against the checkpoint it carries" }),
  checks: z.array(checkSchema).meta({ description: "each step and its outcome, in plain words" }),
  sealed: z
    .object({
      case: z.string().optional(),
      document: z.string().optional(),
      signers: z.array(z.record(z.string(), z.unknown())),
    })
    .optional()
    .meta({ description: "for a sealed agreement PDF: its case, registered document and signers" }),
});

export const receiptsSchema = z.object({ receipts: z.array(receiptSchema) });

export const boundKeySchema = z.object({ caseId: z.string(), signer: z.string(), publicKey: hex64 });

export const erasedSchema = z.object({ erased: z.boolean() });
