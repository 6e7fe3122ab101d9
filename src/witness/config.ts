import { z } from "zod";
import { AppError, ValidationError } from "../core/errors.js";
import { isValidKeyName } from "../crypto/note-keys.js";
import { DEFAULT_MAX_BODY_BYTES } from "./add-checkpoint-request.js";
import { createLogKeyring } from "./log-keyring.js";

/** A witness node's settings, parsed once (from `notarium witness` flags) into a frozen object. */
export interface WitnessOptions {
  /** The cosigner's key name, e.g. `court-a.example/witness` (tlog-cosignature §Format: a schema-less URL). */
  readonly name: string;
  /** Trusted log vkeys (type 0x01); each key's name is the log's origin. */
  readonly logs: readonly string[];
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly maxBodyBytes: number;
}

/** litewitness listens on 7380 by default; the same port keeps court set-ups interchangeable. */
export const DEFAULT_WITNESS_PORT = 7380;
/** Never the log's own data directory: a witness keeps its own key and state. */
export const DEFAULT_WITNESS_DATA_DIR = "witness-data";

const schema = z.object({
  name: z.string().refine(isValidKeyName, "--name must be a key name without spaces or '+'"),
  logs: z.array(z.string().min(1)).min(1, "give at least one --log VKEY (the log's verifier key)"),
  host: z.string().min(1).default("0.0.0.0"),
  port: z.coerce.number().int().min(0).max(65535).default(DEFAULT_WITNESS_PORT),
  dataDir: z.string().min(1).default(DEFAULT_WITNESS_DATA_DIR),
  maxBodyBytes: z.coerce.number().int().min(1024).default(DEFAULT_MAX_BODY_BYTES),
});

export type RawWitnessOptions = { [K in keyof z.input<typeof schema>]?: unknown };

/** CONFIG_INVALID with a message that says which flag is wrong. */
export function parseWitnessOptions(raw: RawWitnessOptions): WitnessOptions {
  const clean = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined));
  const r = schema.safeParse(clean);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new ValidationError("CONFIG_INVALID", `${i?.path.join(".") || "options"}: ${i?.message}`);
  }
  const logs = r.data.logs.map((l) => l.trim());
  try {
    createLogKeyring(logs);
  } catch (cause) {
    const detail = cause instanceof AppError ? cause.message : String(cause);
    throw new ValidationError("CONFIG_INVALID", `--log: ${detail}`, { cause });
  }
  return Object.freeze({ ...r.data, logs: Object.freeze(logs) });
}
