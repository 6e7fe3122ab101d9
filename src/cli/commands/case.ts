import { writeFile } from "node:fs/promises";
import type { Command } from "commander";
import { ValidationError } from "../../core/errors.js";
import { getCasePackage } from "../../service/cases/get-case.js";
import type { CliContext } from "../main.js";
import { openCaseStack } from "../open-cases.js";
import { openLocalLedger } from "../open-local.js";
import { fileReason } from "../output.js";

/** The package from --server, or from the local data dir (refused while a service holds it). */
async function fetchPackage(ctx: CliContext, caseId: string): Promise<unknown> {
  const remote = ctx.remote();
  if (remote) return remote.casePackage(caseId);
  const config = ctx.config();
  const local = await openLocalLedger(config, ctx);
  try {
    const cases = await openCaseStack(config.dataDir, {
      ledger: local.ledger,
      clock: ctx.clock,
      randomBytes: ctx.randomBytes,
      publicUrl: "",
    });
    try {
      return await getCasePackage(cases.services, caseId);
    } finally {
      await cases.close();
    }
  } finally {
    await local.close();
  }
}

export function registerCase(program: Command, ctx: CliContext): void {
  const cmd = program.command("case").description("mediation cases");
  cmd
    .command("package")
    .description(
      "write a case's evidence package (entries, tlog-proofs, policy), for `notarium verify --package` anywhere",
    )
    .argument("<id>", "case ID, case_…")
    .option("--out <file>", "write it here instead of to stdout")
    .action(async (id: string, opts: { out?: string }) => {
      const text = `${JSON.stringify(await fetchPackage(ctx, id), null, 2)}\n`;
      if (!opts.out) {
        process.stdout.write(text);
        return;
      }
      await writeFile(opts.out, text).catch((cause) => {
        throw new ValidationError("FILE_UNREADABLE", `cannot write ${opts.out}: ${fileReason(cause)}`, {
          cause,
        });
      });
      process.stderr.write(`wrote the package of ${id} to ${opts.out}\n`);
    });
}
