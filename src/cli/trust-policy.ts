import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { ValidationError } from "../core/errors.js";
import { createVerifier } from "../crypto/note-keys.js";
import { parsePolicy, type TlogPolicy } from "../crypto/tlog-policy.js";
import { type Check, singleLogPolicy } from "../ledger/verify-proof.js";
import { LOG_VKEY_FILE } from "../storage/key-files.js";
import type { CliContext } from "./main.js";
import { loadLogKey } from "./open-local.js";
import { CliExit, EXIT } from "./output.js";
import type { RemoteClient } from "./remote-client.js";

export async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (cause) {
    throw new ValidationError(
      "FILE_UNREADABLE",
      `cannot read the ${what} ${path}: ${(cause as Error).message}`,
      { cause },
    );
  }
}

/** The trust policy: --policy file, else --key, else the local keys directory's log.vkey. */
export async function loadPolicy(
  opts: { policy?: string; key?: string },
  ctx: CliContext,
): Promise<TlogPolicy> {
  // Given but empty (`--key "$(notarium key --server …)"` when that failed): bad usage, never
  // a silent fall back to the local keys.
  if (opts.policy === "" || (opts.key !== undefined && opts.key.trim() === ""))
    throw new CliExit(
      EXIT.usage,
      `notarium: ${opts.policy === "" ? "--policy" : "--key"} is empty; give the log's ${opts.policy === "" ? "policy file" : "verifier key (did `notarium key --server …` fail?)"}`,
    );
  if (opts.policy) return parsePolicy(await readText(opts.policy, "policy file"));
  if (opts.key) {
    createVerifier(opts.key.trim()); // a malformed key is bad usage (exit 2), not a failed check
    return singleLogPolicy(opts.key.trim());
  }
  const config = ctx.config();
  try {
    return singleLogPolicy((await readFile(join(config.keysDir, LOG_VKEY_FILE), "utf8")).trim());
  } catch {
    const { key } = await loadLogKey(config, ctx, false).catch(() => {
      throw new ValidationError(
        "FILE_UNREADABLE",
        "no trust anchor: give --policy FILE (a c2sp.org/tlog-policy) or --key VKEY (the log's verifier key, from `notarium key` or GET /api/v1/log/keys)",
      );
    });
    return singleLogPolicy(key.verifierKey);
  }
}

/** --policy/--key when given, else what the server publishes (GET /api/v1/log/keys), else the local keys. */
export async function policyFor(
  opts: { policy?: string; key?: string },
  ctx: CliContext,
  remote: RemoteClient | undefined,
): Promise<TlogPolicy> {
  if (remote && opts.policy === undefined && opts.key === undefined)
    return parsePolicy((await remote.keys()).policy);
  return loadPolicy(opts, ctx);
}

export function printChecks(
  valid: boolean,
  checks: readonly (Omit<Check, "name"> & { name: string })[],
  what: string,
): void {
  const out = checks.map((c) => `  ${c.ok ? "✓" : "✗"} ${c.name}: ${c.detail}`).join("\n");
  process.stdout.write(`${valid ? "VALID" : "INVALID"}  ${what}\n${out}\n`);
}
