import type { Command } from "commander";
import { auditLedger } from "../../ledger/audit.js";
import type { CliContext } from "../main.js";
import { openLocalLedger } from "../open-local.js";
import { CliExit, EXIT, printJson } from "../output.js";

export function registerAudit(program: Command, ctx: CliContext): void {
  program
    .command("audit")
    .description(
      "recompute every leaf hash, prev link, Merkle node and checkpoint signature of the local ledger",
    )
    .option("--json", "print the report as JSON")
    .action(async (opts: { json?: boolean }) => {
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
