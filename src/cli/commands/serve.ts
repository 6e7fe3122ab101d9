import type { Command } from "commander";
import type { CliContext } from "../main.js";
import { openLocalLedger } from "../open-local.js";

/**
 * `notarium serve`: opens (or creates) the ledger and keys and holds the data
 * directory. The HTTP API is mounted here once it lands (issue 3).
 */
export function registerServe(program: Command, ctx: CliContext): void {
  program
    .command("serve")
    .description("start the Notarium service (what npm start runs)")
    .action(async () => {
      const config = ctx.config();
      const local = await openLocalLedger(config, ctx);
      if (local.keyCreated) process.stderr.write(`created a new log key for ${local.key.origin} in ${config.keysDir}/\n`);
      process.stderr.write(`ledger ${local.key.origin}: ${local.ledger.size} entries, block ${local.ledger.latest().blockHeight}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
      });
      await local.close();
    });
}
