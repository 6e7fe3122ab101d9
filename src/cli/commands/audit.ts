import type { Command } from "commander";
import { auditLedger } from "../../ledger/audit.js";
import type { CliContext } from "../main.js";
import { openLocalLedger } from "../open-local.js";
import { CliExit, EXIT, printJson } from "../output.js";
import type { RemoteClient } from "../remote-client.js";
import { policyFor } from "../trust-policy.js";

/**
 * `notarium audit --server URL`: a court's own check of a log it does not run.
 * Verifies the served checkpoint against the trust policy (log signature and
 * witness quorum), then mirrors every entry over HTTP and rebuilds the tree.
 */
async function auditRemote(
  ctx: CliContext,
  remote: RemoteClient,
  opts: { json?: boolean; policy?: string; key?: string },
) {
  const [{ verifyCheckpointWithPolicy }, { auditMirror }] = await Promise.all([
    import("../../crypto/tlog-policy.js"),
    import("../../ledger/audit-mirror.js"),
  ]);
  if (!opts.policy && !opts.key) {
    process.stderr.write(
      "notarium: no --policy or --key given: trusting the key the server publishes (pin it for a real audit)\n",
    );
  }
  const policy = await policyFor(opts, ctx, remote);
  const note = await remote.checkpoint();
  let cp: ReturnType<typeof verifyCheckpointWithPolicy>;
  try {
    cp = verifyCheckpointWithPolicy(note, policy);
  } catch (e) {
    throw new CliExit(
      EXIT.checkFailed,
      `notarium audit: the served checkpoint is not trusted: ${(e as Error).message}`,
    );
  }
  const tty = process.stderr.isTTY;
  const t0 = performance.now();
  const report = await auditMirror(
    (from) => remote.entries(from),
    cp.checkpoint,
    (n) => {
      if (tty) process.stderr.write(`\rmirrored ${n}/${cp.checkpoint.size} entries`);
    },
  );
  if (tty) process.stderr.write("\r\x1b[K");
  const seconds = (performance.now() - t0) / 1000;
  const cosigned = cp.cosignatures.map((c) => c.witness);
  if (opts.json) printJson({ ...report, size: cp.checkpoint.size, cosigned, seconds });
  if (!report.ok) {
    throw new CliExit(
      EXIT.checkFailed,
      `notarium audit: FAILED at index ${report.firstProblem?.index}: ${report.firstProblem?.problem}`,
    );
  }
  if (!opts.json) {
    process.stdout.write(
      `audit OK: mirrored ${report.entries} entries from ${remote.baseUrl}; they rebuild the checkpoint root ${report.root}${cosigned.length ? `, cosigned by ${cosigned.join(", ")}` : ""} (${seconds.toFixed(2)} s)\n`,
    );
  }
}

export function registerAudit(program: Command, ctx: CliContext): void {
  program
    .command("audit")
    .description(
      "recompute every leaf hash, prev link, Merkle node and checkpoint signature of the local ledger",
    )
    .option("--json", "print the report as JSON")
    .option(
      "--policy <file>",
      "with --server: the trust policy the checkpoint must satisfy (log key, witnesses, quorum)",
    )
    .option("--key <vkey>", "with --server: trust this log verifier key (instead of --policy)")
    .action(async (opts: { json?: boolean; policy?: string; key?: string }) => {
      const remote = ctx.remote();
      if (remote) {
        await auditRemote(ctx, remote, opts);
        return;
      }
      const local = await openLocalLedger(ctx.config(), ctx);
      const tty = process.stderr.isTTY;
      const t0 = performance.now();
      let report: Awaited<ReturnType<typeof auditLedger>>;
      try {
        report = await auditLedger(local.store, local.key, (n) => {
          if (tty) process.stderr.write(`\raudited ${n} entries`);
        });
      } finally {
        if (tty) process.stderr.write("\r\x1b[K");
        await local.close();
      }
      const seconds = (performance.now() - t0) / 1000;
      if (opts.json) printJson({ ...report, seconds });
      if (!report.ok) {
        const p = report.firstProblem;
        const where = p?.index !== undefined ? `index ${p.index}` : `block ${p?.blockHeight}`;
        throw new CliExit(EXIT.checkFailed, `notarium audit: FAILED at ${where}: ${p?.problem}`);
      }
      if (!opts.json) {
        process.stdout.write(
          `audit OK: ${report.entries} entries, ${report.blocks} signed checkpoints, root ${report.root} (${seconds.toFixed(2)} s)\n`,
        );
      }
    });
}
