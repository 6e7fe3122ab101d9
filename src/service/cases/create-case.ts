import { z } from "zod";
import { toBase64, toHex } from "../../core/bytes.js";
import { ValidationError } from "../../core/errors.js";
import { type CaseRecord, publicCase } from "../../esign/case.js";
import { parseUsablePublicKeyHex } from "../../esign/verify-signature.js";
import type { CaseServices } from "./context.js";
import type { PdfTools } from "./pdf-tools.js";

const token = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, "must be 1-64 characters of A-Z a-z 0-9 _ . : -");
/**
 * What a seal can list (SEAL_LIMITS in pdf/seal-spec.ts; a test holds the two equal): the
 * schema, and so the OpenAPI document, states the limits the service enforces.
 */
export const CASE_PARTY_LIMITS = { parties: 20, name: 32, role: 16 } as const;
const role = z
  .string()
  .regex(
    new RegExp(`^[A-Za-z0-9_.:-]{1,${CASE_PARTY_LIMITS.role}}$`),
    `must be 1-${CASE_PARTY_LIMITS.role} characters of A-Z a-z 0-9 _ . : -`,
  );
/**
 * One line of text as people type it, kept in Unicode's composed form (NFC):
 * "é" typed as e + U+0301 is the same name as the single character, and the
 * seal's font draws the composed character where it may lack the combining
 * mark. Refused: control characters (tabs, line breaks, NUL…), line and
 * paragraph separators, lone surrogates, noncharacters, and every invisible
 * formatting character (Unicode's Cf: soft hyphens, zero-width spaces and
 * joiners, the bidirectional marks, embeddings, overrides and isolates) and
 * variation selector: each could make two names that read alike differ, or a
 * name shown on the seal or a page read as another.
 */
const NOT_PLAIN_TEXT = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Noncharacter_Code_Point}\p{Variation_Selector}]/u;
/** Lengths in characters (code points), as the seal counts them, not UTF-16 units. */
const text = (max: number, tooLong = `is longer than ${max} characters`) =>
  z
    .string()
    .trim()
    .normalize("NFC")
    .min(1)
    .refine((s) => [...s].length <= max, tooLong)
    // JSON Schema's maxLength counts code points too: the OpenAPI document states the limit.
    .meta({ maxLength: max })
    .refine(
      (s) => !NOT_PLAIN_TEXT.test(s),
      "must not contain control characters, line separators, or invisible formatting or bidirectional characters",
    );

export const createCaseInput = z
  .object({
    caseNumber: text(100),
    title: text(200),
    parties: z
      .array(
        z
          .object({
            id: token,
            role,
            name: text(
              CASE_PARTY_LIMITS.name,
              `is longer than the ${CASE_PARTY_LIMITS.name} characters the seal shows`,
            ),
            publicKey: z
              .string()
              .regex(/^[0-9a-f]{64}$/, "must be a 32-byte Ed25519 key in lowercase hex")
              .optional(),
          })
          .strict(),
      )
      .min(1)
      .max(CASE_PARTY_LIMITS.parties, `the seal lists at most ${CASE_PARTY_LIMITS.parties} parties`),
    signingOrder: z.enum(["parallel", "sequential"]).default("parallel"),
    webhook: z
      .object({ url: z.string().url().max(2000) })
      .strict()
      .optional(),
  })
  .strict();

export function parseInput<T>(schema: z.ZodType<T>, input: unknown): T {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const i = r.error.issues[0];
  throw new ValidationError("INVALID_ARGUMENT", `${i?.path.join(".") || "body"}: ${i?.message ?? "invalid"}`);
}

/**
 * Opens a case. The webhook secret (if any) is returned once, here, and never
 * again. With `sealPartiesProblem` (when this service seals), parties the seal
 * could not show are refused now, not when the agreement is sealed after every
 * party has signed.
 */
export async function createCase(
  ctx: CaseServices,
  input: unknown,
  mediator: string,
  check: Pick<Partial<PdfTools>, "sealPartiesProblem"> = {},
) {
  const o = parseInput(createCaseInput, input);
  const problem = check.sealPartiesProblem?.(o.parties);
  if (problem) {
    const where = problem.index === undefined ? "parties" : `parties.${problem.index}.${problem.field}`;
    throw new ValidationError(problem.code, `${where}: ${problem.message}`);
  }
  const ids = new Set<string>();
  const keys = new Map<string, string>();
  for (const [i, p] of o.parties.entries()) {
    if (ids.has(p.id)) throw new ValidationError("DUPLICATE_PARTY", `party id ${p.id} appears twice`);
    ids.add(p.id);
    if (p.publicKey !== undefined) {
      try {
        parseUsablePublicKeyHex(p.publicKey);
      } catch (e) {
        throw new ValidationError("INVALID_PUBLIC_KEY", `parties.${i}.publicKey: ${(e as Error).message}`);
      }
      // One key for two parties would let one key holder sign for both sides.
      const other = keys.get(p.publicKey);
      if (other !== undefined)
        throw new ValidationError(
          "DUPLICATE_KEY",
          `parties.${i}.publicKey: party ${other} has the same key; each party signs with a key of its own`,
        );
      keys.set(p.publicKey, p.id);
    }
  }
  if (o.webhook && !/^https?:/.test(o.webhook.url))
    throw new ValidationError("WEBHOOK_INVALID", "webhook url must be http(s)");
  // The case, and so its webhook's URL, is shown to its mediator, admins and every court that reads it.
  const hook = o.webhook && new URL(o.webhook.url);
  if (hook && (hook.username !== "" || hook.password !== ""))
    throw new ValidationError(
      "WEBHOOK_INVALID",
      "webhook url must not carry credentials (user:password@); each delivery is signed with the webhook secret instead",
    );
  const unreachable = hook && ctx.webhookUrlProblem?.(hook);
  if (unreachable) throw new ValidationError("WEBHOOK_INVALID", unreachable);
  const c: CaseRecord = {
    id: `case_${toHex(ctx.randomBytes(8))}`,
    caseNumber: o.caseNumber,
    title: o.title,
    mediator,
    parties: o.parties.map((p) => ({ ...p })),
    signingOrder: o.signingOrder,
    createdAt: ctx.clock.now().toISOString(),
    ...(o.webhook
      ? { webhook: { url: o.webhook.url, secret: `whsec_${toBase64(ctx.randomBytes(24))}` } }
      : {}),
    version: 0,
  };
  await ctx.cases.putCase(c, 0);
  ctx.onEvent?.({ type: "case.created", caseId: c.id, data: { caseNumber: c.caseNumber } });
  return { ...publicCase(c), ...(c.webhook ? { webhookSecret: c.webhook.secret } : {}) };
}
