import { z } from "zod";
import { ValidationError } from "../core/errors.js";

/** Service and CLI configuration, parsed once from the environment (DESIGN §9). */
const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default("0.0.0.0"),
  NOTARIUM_DATA_DIR: z.string().min(1).default("data"),
  NOTARIUM_KEYS_DIR: z.string().min(1).default("keys"),
  NOTARIUM_ORIGIN: z
    .string()
    .regex(/^[^\s+]+$/, "NOTARIUM_ORIGIN must be a schemaless URL-like name without spaces or '+'")
    .optional(),
  NOTARIUM_PUBLIC_URL: z.string().url("NOTARIUM_PUBLIC_URL must be an absolute URL").optional(),
  NOTARIUM_WITNESS_POLICY: z.string().min(1).optional(),
  NOTARIUM_CENTRE_NAME: z.string().trim().min(1).max(20).optional(),
  NOTARIUM_MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(2 * 1024 ** 3),
  NOTARIUM_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  NOTARIUM_WEBHOOK_ALLOW_PRIVATE: z
    .enum(["0", "1", "false", "true"], "NOTARIUM_WEBHOOK_ALLOW_PRIVATE must be 1 or 0")
    .default("0"),
});

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly keysDir: string;
  readonly origin: string | undefined;
  readonly publicUrl: string | undefined;
  readonly witnessPolicyFile: string | undefined;
  /** The mediation centre's name on seals and certificates. */
  readonly centreName: string | undefined;
  readonly maxUploadBytes: number;
  readonly logLevel: string;
  /** Webhooks may go to private, loopback and reserved addresses (off: public ones only). */
  readonly webhookAllowPrivate: boolean;
}

export function parseConfig(
  env: Record<string, string | undefined>,
  overrides: Partial<Config> = {},
): Config {
  const clean = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const r = schema.safeParse(clean);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new ValidationError("CONFIG_INVALID", `${i?.path.join(".")}: ${i?.message}`);
  }
  const e = r.data;
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    dataDir: e.NOTARIUM_DATA_DIR,
    keysDir: e.NOTARIUM_KEYS_DIR,
    origin: e.NOTARIUM_ORIGIN,
    publicUrl: e.NOTARIUM_PUBLIC_URL,
    witnessPolicyFile: e.NOTARIUM_WITNESS_POLICY,
    centreName: e.NOTARIUM_CENTRE_NAME,
    maxUploadBytes: e.NOTARIUM_MAX_UPLOAD_BYTES,
    logLevel: e.NOTARIUM_LOG_LEVEL,
    webhookAllowPrivate:
      e.NOTARIUM_WEBHOOK_ALLOW_PRIVATE === "1" || e.NOTARIUM_WEBHOOK_ALLOW_PRIVATE === "true",
    ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)),
  });
}
