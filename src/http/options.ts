import { z } from "zod";
import { ValidationError } from "../core/errors.js";

/** HTTP-only settings; the ledger and key settings live in cli/config.ts. */
export interface HttpOptions {
  /** Largest multipart upload (the file part), in bytes. */
  readonly maxUploadBytes: number;
  /** Largest document the service keeps (an agreement PDF), buffered in memory, in bytes. */
  readonly maxDocumentBytes: number;
  /** Largest JSON request body (DESIGN §5: 1 MiB). */
  readonly maxJsonBytes: number;
  /** Most digests in one batch call; at most the ledger's block size. */
  readonly maxBatch: number;
  /** Per-IP limit on the public endpoints, or false for none. */
  readonly rateLimit: { readonly windowMs: number; readonly limit: number } | false;
  /** Origins allowed to call the API from a browser; empty means CORS stays closed. */
  readonly corsOrigins: readonly string[];
  /** Express `trust proxy`: set it behind a reverse proxy, so rate limits see client addresses. */
  readonly trustProxy: boolean | number | string;
  /** How often, at most, the token file is re-checked for changes (revocations take effect within this). */
  readonly tokenRecheckMs: number;
  /** How long shutdown waits for in-flight requests before closing their connections. */
  readonly shutdownTimeoutMs: number;
  /** Served over HTTPS (directly or behind a proxy): turns on HSTS and upgrade-insecure-requests. */
  readonly https: boolean;
  /** Memory for verify answers given again from memory (verdict-cache.ts), in bytes; 0 for none. */
  readonly verdictCacheBytes: number;
  /**
   * How long a verify answer from memory may still be given once newer blocks
   * (that did not record its digest) have landed, in ms; 0 proves every answer
   * against the newest checkpoint.
   */
  readonly verdictMaxAgeMs: number;
}

export const DEFAULT_HTTP_OPTIONS: HttpOptions = Object.freeze({
  maxUploadBytes: 2 * 1024 ** 3,
  maxDocumentBytes: 50 * 1024 ** 2,
  maxJsonBytes: 1024 * 1024,
  maxBatch: 4096,
  rateLimit: Object.freeze({ windowMs: 60_000, limit: 1200 }),
  corsOrigins: Object.freeze([]) as readonly string[],
  trustProxy: false,
  tokenRecheckMs: 1000,
  shutdownTimeoutMs: 15_000,
  https: false,
  verdictCacheBytes: 16 * 1024 ** 2,
  verdictMaxAgeMs: 10_000,
});

const envSchema = z.object({
  NOTARIUM_RATE_LIMIT: z.coerce.number().int().nonnegative().optional(),
  NOTARIUM_MAX_DOCUMENT_BYTES: z.coerce.number().int().positive().optional(),
  NOTARIUM_CORS_ORIGINS: z.string().optional(),
  NOTARIUM_TRUST_PROXY: z.string().optional(),
  NOTARIUM_VERDICT_MAX_AGE_MS: z.coerce.number().int().nonnegative().max(86_400_000).optional(),
});

/**
 * HTTP settings from the environment (parsed once, by the CLI):
 * NOTARIUM_RATE_LIMIT (public requests per minute per client, 0 = off),
 * NOTARIUM_MAX_DOCUMENT_BYTES (largest agreement PDF, default 50 MiB),
 * NOTARIUM_CORS_ORIGINS (comma-separated origins), NOTARIUM_TRUST_PROXY
 * (`true`, a hop count, or an express trust-proxy list),
 * NOTARIUM_VERDICT_MAX_AGE_MS (how long a verify answer from memory may lag the
 * newest checkpoint; 0 = never).
 */
export function parseHttpOptions(
  env: Record<string, string | undefined>,
  base: Partial<HttpOptions> = {},
): HttpOptions {
  const clean = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ""));
  const r = envSchema.safeParse(clean);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new ValidationError("CONFIG_INVALID", `${i?.path.join(".")}: ${i?.message}`);
  }
  const e = r.data;
  const origins = (e.NOTARIUM_CORS_ORIGINS ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const o of origins) {
    if (!/^https?:\/\/[^/\s]+$/.test(o)) {
      throw new ValidationError(
        "CONFIG_INVALID",
        `NOTARIUM_CORS_ORIGINS: "${o}" is not an origin like https://court.example`,
      );
    }
  }
  const proxy = e.NOTARIUM_TRUST_PROXY;
  const trustProxy =
    proxy === undefined
      ? undefined
      : proxy === "true"
        ? true
        : proxy === "false"
          ? false
          : /^\d+$/.test(proxy)
            ? Number(proxy)
            : proxy;
  const limit = e.NOTARIUM_RATE_LIMIT;
  return Object.freeze({
    ...DEFAULT_HTTP_OPTIONS,
    ...base,
    ...(e.NOTARIUM_MAX_DOCUMENT_BYTES === undefined
      ? {}
      : { maxDocumentBytes: e.NOTARIUM_MAX_DOCUMENT_BYTES }),
    ...(limit === undefined ? {} : { rateLimit: limit === 0 ? false : { windowMs: 60_000, limit } }),
    ...(origins.length ? { corsOrigins: origins } : {}),
    ...(trustProxy === undefined ? {} : { trustProxy }),
    ...(e.NOTARIUM_VERDICT_MAX_AGE_MS === undefined
      ? {}
      : { verdictMaxAgeMs: e.NOTARIUM_VERDICT_MAX_AGE_MS }),
  });
}
