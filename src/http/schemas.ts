import { z } from "zod";

/** Zod schemas shared by several routes; each also documents itself in the OpenAPI output. */

export const hex64 = z.string().regex(/^[0-9a-f]{64}$/, "expected 64 lowercase hex characters");

/**
 * A non-negative decimal integer as it appears in a path or query string:
 * digits only, no sign, no leading zeros, no exponent, within 2^53.
 */
export const decimalCount = z
  .string()
  .regex(
    /^(0|[1-9][0-9]{0,15})$/,
    "expected a non-negative decimal integer of at most 16 digits, without sign, leading zeros or exponent",
  )
  .transform(Number)
  .refine(Number.isSafeInteger, "too large");

/** The body of an operation with `file`: its bytes, as read (OpenAPI describes the media types instead). */
export const fileBytes = z.instanceof(Uint8Array);

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: "stable machine-readable code, e.g. INVALID_DIGEST" }),
      message: z.string().meta({ description: "what went wrong and what to do, for people" }),
    }),
  })
  .meta({ id: "Error" });

export const receiptSchema = z
  .object({
    evidenceId: z.string().meta({ examples: ["NTR-7D2K1M9QX4TB3W8E"] }),
    index: z.number().int(),
    txHash: hex64.meta({ description: "RFC 6962 leaf hash of the entry" }),
    blockHeight: z
      .number()
      .int()
      .meta({ description: "sequence number of the block (signed checkpoint) that recorded it" }),
    recordedAt: z.string(),
    entry: z
      .string()
      .meta({ description: "the canonical (RFC 8785) entry JSON, byte for byte the leaf data" }),
    checkpoint: z
      .string()
      .meta({ description: "signed note (c2sp.org/tlog-checkpoint) the proof is against" }),
    inclusionProof: z.array(hex64),
    tlogProof: z.string().meta({ description: "c2sp.org/tlog-proof text; verifies offline on its own" }),
    certificateUrl: z.string(),
  })
  .meta({ id: "Receipt" });

export const checkSchema = z.object({
  name: z.string(),
  ok: z.boolean(),
  detail: z.string(),
});
