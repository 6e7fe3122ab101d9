import { stat } from "node:fs/promises";
import type { Command } from "commander";
import { ValidationError } from "../../core/errors.js";
import type { TlogPolicy } from "../../crypto/tlog-policy.js";
import { type Check, singleLogPolicy, verifyTlogProof } from "../../ledger/verify-proof.js";
import { verifyDigest } from "../../service/verify-evidence.js";
import { hashFile } from "../hash-file.js";
import type { CliContext } from "../main.js";
import { openLocalLedger } from "../open-local.js";
import { CliExit, EXIT, printJson } from "../output.js";
import { createProgress } from "../progress.js";
import { loadPolicy, policyFor, printChecks, readText } from "../trust-policy.js";
import { verifyPackageFile } from "./verify-package.js";
import { readSealedPdf, verifySealedFile } from "./verify-sealed.js";

interface VerifyOptions {
  proof?: string;
  package?: string;
  agreement?: string;
  policy?: string;
  key?: string;
  cert?: string;
  json?: boolean;
}

/** A check as shown: the server's may carry names this CLI does not know. */
type ShownCheck = Omit<Check, "name"> & { name: string };

/**
 * A verify answer (the server's, or the local ledger's) re-checked with the
 * offline verifier, as a third party would: valid only when it says so and
 * every proof it gives checks here. Its word alone, without a proof, counts
 * for nothing.
 */
function checkedHere(
  r: { valid: boolean; checks: readonly ShownCheck[]; matches: { tlogProof: string }[] },
  policy: TlogPolicy,
  sha256: string,
): { valid: boolean; checks: ShownCheck[] } {
  const offline = r.matches.map((m) => verifyTlogProof(m.tlogProof, { policy, sha256 }));
  const unproven: Check[] =
    r.valid && offline.length === 0
      ? [{ name: "inclusion", ok: false, detail: "the server said valid but sent no proof to check" }]
      : [];
  return {
    valid: r.valid && offline.length > 0 && offline.every((o) => o.valid),
    checks: [...r.checks, ...offline.flatMap((o) => o.checks.filter((c) => !c.ok)), ...unproven],
  };
}

export function registerVerify(program: Command, ctx: CliContext): void {
  program
    .command("verify")
    .description(
      "check that a file was recorded: offline with --proof, else against the local ledger or --server (only the digest is sent); or check a case package offline with --package",
    )
    .argument("[file]", "the file to check (with --package: the agreement PDF, like --agreement)")
    .option("--proof <file>", "a .tlog-proof receipt to check offline (no ledger, no network)")
    .option(
      "--package <file>",
      "a case package (GET /api/v1/cases/:id/package) to check offline: every proof, the agreement, every party's signature",
    )
    .option("--agreement <pdf>", "with --package: the agreement PDF, checked against the registered digest")
    .option("--policy <file>", "trust policy (c2sp.org/tlog-policy): log key, witnesses, quorum")
    .option("--key <vkey>", "trust this log verifier key (instead of --policy)")
    .option(
      "--cert <pem>",
      "for a sealed PDF: the service's PDF signing certificate (else fetched with --server, or keys/pdf-signing.crt)",
    )
    .option("--json", "print the result as JSON")
    .action(async (file: string | undefined, opts: VerifyOptions) => {
      if (opts.package) {
        if (file && opts.agreement)
          throw new CliExit(EXIT.usage, "notarium: give the agreement PDF once: as FILE or as --agreement");
        if (opts.proof) throw new CliExit(EXIT.usage, "notarium: --proof and --package do not go together");
        await verifyPackageFile(ctx, { ...opts, package: opts.package, agreement: opts.agreement ?? file });
        return;
      }
      if (!file) throw new CliExit(EXIT.usage, "notarium: verify needs a FILE to check, or --package FILE");
      if (!opts.proof) {
        const sealed = await readSealedPdf(file).catch((cause) => {
          throw new ValidationError("FILE_UNREADABLE", `cannot read ${file}: ${(cause as Error).message}`, {
            cause,
          });
        });
        if (sealed) {
          await verifySealedFile(ctx, file, sealed, opts);
          return;
        }
      }
      const size = await stat(file).then(
        (s) => s.size,
        () => 0,
      );
      const progress = createProgress(size, 1);
      const hashed = await hashFile(file, (n) => progress.update(n, file)).finally(() => progress.stop());
      const remote = ctx.remote();
      let valid: boolean;
      let checks: ShownCheck[];
      let result: Record<string, unknown>;
      if (opts.proof) {
        const text = await readText(opts.proof, "proof file");
        const r = verifyTlogProof(text, { policy: await loadPolicy(opts, ctx), sha256: hashed.sha256 });
        ({ valid, checks } = r);
        result = { file, sha256: hashed.sha256, ...r };
      } else if (remote) {
        // The server finds the entries; each proof is still checked here, against --policy/--key when
        // given, else against the key the server publishes (GET /api/v1/log/keys).
        const policy = await policyFor(opts, ctx, remote);
        const r = await remote.verify(hashed.sha256);
        ({ valid, checks } = checkedHere(r, policy, hashed.sha256));
        result = { file, ...r, valid, checks };
      } else {
        const local = await openLocalLedger(ctx.config(), ctx);
        try {
          const r = await verifyDigest(local.ledger, hashed.sha256);
          // Re-check every receipt with the offline verifier, as a third party would: against
          // --policy/--key when given, else the local log's own key.
          const policy =
            opts.policy !== undefined || opts.key !== undefined
              ? await loadPolicy(opts, ctx)
              : singleLogPolicy(local.key.verifierKey);
          ({ valid, checks } = checkedHere(r, policy, hashed.sha256));
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
