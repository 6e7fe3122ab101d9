import type { Command } from "commander";
import type { CliContext } from "../main.js";
import { loadLogKey, openLocalLedger } from "../open-local.js";

export function registerKeyAndCheckpoint(program: Command, ctx: CliContext): void {
  program
    .command("key")
    .description("print the log's verifier key (one line, c2sp.org/signed-note format)")
    .action(async () => {
      const remote = ctx.remote();
      if (remote) {
        process.stdout.write(`${(await remote.keys()).verifierKey}\n`);
        return;
      }
      const { key } = await loadLogKey(ctx.config(), ctx, false);
      process.stdout.write(`${key.verifierKey}\n`);
    });
  program
    .command("checkpoint")
    .description("print the latest signed checkpoint (c2sp.org/tlog-checkpoint)")
    .action(async () => {
      const remote = ctx.remote();
      if (remote) {
        process.stdout.write(await remote.checkpoint());
        return;
      }
      const local = await openLocalLedger(ctx.config(), ctx);
      try {
        process.stdout.write(local.ledger.latest().note);
      } finally {
        await local.close();
      }
    });
}
