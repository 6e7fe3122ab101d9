import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Command } from "commander";
import { ValidationError } from "../../core/errors.js";
import { createVerifier } from "../../crypto/note-keys.js";
import { parsePolicy, type TlogPolicy } from "../../crypto/tlog-policy.js";
import { type Check, singleLogPolicy, verifyTlogProof } from "../../ledger/verify-proof.js";
import { verifyDigest } from "../../service/verify-evidence.js";
import { LOG_VKEY_FILE } from "../../storage/key-files.js";
import { hashFile } from "../hash-file.js";
import type { CliContext } from "../main.js";
import { loadLogKey, openLocalLedger } from "../open-local.js";
import { CliExit, EXIT, printJson } from "../output.js";
import { createProgress } from "../progress.js";

async function readText(path: string, what: string): Promise<string> {
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
async function loadPolicy(opts: { policy?: string; key?: string }, ctx: CliContext): Promise<TlogPolicy> {
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

function printChecks(valid: boolean, checks: readonly Check[], file: string): void {
  const out = checks.map((c) => `  ${c.ok ? "✓" : "✗"} ${c.name}: ${c.detail}`).join("\n");
  process.stdout.write(`${valid ? "VALID" : "INVALID"}  ${file}\n${out}\n`);
}

export function registerVerify(program: Command, ctx: CliContext): void {
  program
    .command("verify")
    .description(
      "check that a file was recorded: offline with --proof, else against the local ledger or --server (only the digest is sent)",
    )
    .argument("<file>", "the file to check")
    .option("--proof <file>", "a .tlog-proof receipt to check offline (no ledger, no network)")
    .option("--policy <file>", "trust policy (c2sp.org/tlog-policy): log key, witnesses, quorum")
    .option("--key <vkey>", "trust this log verifier key (instead of --policy)")
    .option("--json", "print the result as JSON")
    .action(async (file: string, opts: { proof?: string; policy?: string; key?: string; json?: boolean }) => {
      const size = await stat(file).then(
        (s) => s.size,
        () => 0,
      );
      const progress = createProgress(size, 1);
      const hashed = await hashFile(file, (n) => progress.update(n, file)).finally(() => progress.stop());
      const remote = ctx.remote();
      let valid: boolean;
      let checks: Check[];
      let result: Record<string, unknown>;
      if (opts.proof) {
        const text = await readText(opts.proof, "proof file");
        const r = verifyTlogProof(text, { policy: await loadPolicy(opts, ctx), sha256: hashed.sha256 });
        ({ valid, checks } = r);
        result = { file, sha256: hashed.sha256, ...r };
      } else if (remote) {
        // The server finds the entries; each proof is still checked here, against --policy/--key when
        // given, else against the key the server publishes (GET /api/v1/log/keys).
        const policy =
          opts.policy || opts.key ? await loadPolicy(opts, ctx) : parsePolicy((await remote.keys()).policy);
        const r = await remote.verify(hashed.sha256);
        const offline = r.matches.map((m) => verifyTlogProof(m.tlogProof, { policy, sha256: hashed.sha256 }));
        valid = r.valid && offline.every((o) => o.valid);
        checks = [...r.checks, ...offline.flatMap((o) => o.checks.filter((c) => !c.ok))];
        result = { file, ...r, valid, checks };
      } else {
        const local = await openLocalLedger(ctx.config(), ctx);
        try {
          const r = await verifyDigest(local.ledger, hashed.sha256);
          // Re-check every receipt with the offline verifier, as a third party would.
          const policy = singleLogPolicy(local.key.verifierKey);
          const offline = r.matches.map((m) =>
            verifyTlogProof(m.tlogProof, { policy, sha256: hashed.sha256 }),
          );
          valid = r.valid && offline.every((o) => o.valid);
          checks = [...r.checks, ...offline.flatMap((o) => o.checks.filter((c) => !c.ok))];
          result = { file, ...r, valid, checks };
        } finally {
          await local.close();
        }
      }
      if (opts.json) printJson(result);
      else printChecks(valid, checks, file);
      if (!valid) throw new CliExit(EXIT.checkFailed, "");
    });
}
