import { join } from "node:path";
import type { Command } from "commander";
import { NotFoundError } from "../../core/errors.js";
import { LevelStateStore } from "../../storage/state-store.js";
import type { CliContext } from "../main.js";
import { printJson } from "../output.js";

export function registerIdentity(program: Command, ctx: CliContext): void {
  const identity = program.command("identity").description("personal data behind identity attestations");
  identity
    .command("erase")
    .description(
      "delete a party's identity data and salt (crypto-shredding); the log's commitment and every proof stay valid",
    )
    .requiredOption("--case <id>", "case ID")
    .requiredOption("--signer <id>", "party ID in the case")
    .option("--json", "print the result as JSON")
    .action(async (opts: { case: string; signer: string; json?: boolean }) => {
      const remote = ctx.remote();
      let erased: boolean;
      if (remote) {
        erased = (await remote.eraseIdentity(opts.case, opts.signer)).erased;
      } else {
        // Local: the state store is refused (DATA_DIR_LOCKED) while a service holds it; use --server then.
        const store = new LevelStateStore(join(ctx.config().dataDir, "state"));
        await store.open();
        try {
          erased = await store.eraseIdentity(opts.case, opts.signer);
        } finally {
          await store.close();
        }
      }
      if (opts.json) printJson({ case: opts.case, signer: opts.signer, erased });
      if (!erased)
        throw new NotFoundError(
          "IDENTITY_NOT_FOUND",
          `no identity data for ${opts.signer} in ${opts.case} (already erased?)`,
        );
      if (!opts.json)
        process.stdout.write(
          `erased the identity data of ${opts.signer} in ${opts.case}; proofs stay valid\n`,
        );
    });
}
