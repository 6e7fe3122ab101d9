import { z } from "zod";
import { hex64, receiptSchema } from "../schemas.js";

/** Answer schemas of the case routes, for the OpenAPI document (the service functions shape the answers). */

const hex128 = z
  .string()
  .regex(/^[0-9a-f]{128}$/, "expected a 64-byte Ed25519 signature as 128 lowercase hex characters");

export const caseIdParam = z
  .string()
  .max(64)
  .meta({ examples: ["case_3f9a0c1d2e4b5a69"] });
export const signerParam = z
  .string()
  .max(64)
  .meta({ examples: ["alice"] });
export const invitationTokenParam = z
  .string()
  .max(100)
  .meta({ description: "the token of the invitation link, inv_…" });

const partySchema = z.object({
  id: z.string(),
  role: z.string(),
  name: z.string().meta({ description: "display name; kept off the log" }),
  publicKey: hex64.optional().meta({ description: "the party's Ed25519 key, once bound" }),
});

const caseFields = {
  id: z.string(),
  caseNumber: z.string(),
  title: z.string(),
  mediator: z.string().meta({ description: "name of the token that opened the case" }),
  signingOrder: z.enum(["parallel", "sequential"]),
  createdAt: z.string(),
  agreement: z
    .object({
      sha256: hex64,
      size: z.number().int(),
      evidenceId: z.string(),
      index: z.number().int(),
      registeredAt: z.string(),
    })
    .optional(),
  webhook: z.object({ url: z.string() }).optional(),
};

export const createdCaseSchema = z.object({
  ...caseFields,
  parties: z.array(partySchema),
  webhookSecret: z.string().optional().meta({
    description:
      "HMAC key of the webhook deliveries (Notarium-Signature header); returned here once, never again",
  }),
});

export const signatureSchema = z.object({
  case: z.string(),
  document: hex64,
  role: z.string(),
  signer: z.string(),
  time: z.string(),
  publicKey: hex64,
  signature: hex128,
  index: z.number().int(),
  recordedAt: z.string(),
});

export const caseViewSchema = z
  .object({
    ...caseFields,
    status: z.enum(["draft", "signing", "signed", "sealed"]),
    document: hex64.optional().meta({ description: "SHA-256 of the current agreement" }),
    nextSigner: z.string().optional().meta({ description: "in sequential signing, who signs next" }),
    parties: z.array(partySchema.extend({ signed: z.boolean() })),
    signatures: z.array(signatureSchema),
    sealed: z.object({ sha256: hex64, index: z.number().int() }).optional(),
    entries: z.array(receiptSchema).meta({ description: "every entry of the case, each with its receipt" }),
  })
  .meta({ id: "Case" });

export const agreementReceiptSchema = receiptSchema.extend({
  sha256: hex64.meta({ description: "SHA-256 of the registered agreement PDF" }),
});

export const invitationSchema = z.object({
  token: z.string().meta({ description: "inv_…; shown once, only its hash is kept" }),
  url: z.string().meta({ description: "the link to give the party: <public URL>/sign/<token>" }),
  signer: z.string(),
  expiresAt: z.string(),
});

export const invitationViewSchema = z.object({
  caseId: z.string(),
  caseNumber: z.string(),
  title: z.string(),
  signer: z.string(),
  role: z.string(),
  name: z.string(),
  publicKey: hex64.optional(),
  document: hex64.optional().meta({ description: "SHA-256 of the agreement to sign" }),
  documentSize: z.number().int().optional(),
  status: z.enum(["draft", "signing", "signed", "sealed"]),
  signingOrder: z.enum(["parallel", "sequential"]),
  nextSigner: z.string().optional(),
  signed: z.boolean(),
  parties: z.array(z.object({ id: z.string(), role: z.string(), name: z.string(), signed: z.boolean() })),
  expiresAt: z.string(),
});

export const casePackageSchema = z
  .object({
    format: z.literal("notarium/case-package/v1"),
    case: z.string(),
    caseNumber: z.string().optional(),
    title: z.string().optional(),
    policy: z.string().meta({ description: "c2sp.org/tlog-policy text the log recommends" }),
    entries: z.array(
      z.object({
        evidenceId: z.string(),
        index: z.number().int(),
        entry: z.string(),
        tlogProof: z.string().meta({ description: "c2sp.org/tlog-proof of this entry" }),
      }),
    ),
    createdAt: z.string(),
  })
  .meta({ id: "CasePackage" });

/** DESIGN §6: what a party (or the mediator for it) posts. */
export const signatureInput = z
  .object({
    signer: z.string().max(64),
    time: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/, "RFC 3339 UTC, like 2026-11-26T10:00:00Z"),
    signature: hex128.meta({ description: "Ed25519 signature of the DESIGN §6 payload, hex" }),
    document: hex64
      .optional()
      .meta({ description: "what the signer believes it signed; a mismatch is DOCUMENT_MISMATCH" }),
    role: z.string().max(64).optional().meta({ description: "likewise; a mismatch is ROLE_MISMATCH" }),
  })
  .strict();

export const signatureCodes = {
  time: "INVALID_TIME",
  signature: "INVALID_SIGNATURE_ENCODING",
  document: "INVALID_DIGEST",
} as const;
