import { join } from "node:path";
import type { Command } from "commander";
import { Option } from "commander";
import { createToken, listTokens, ROLES, revokeToken } from "../../service/tokens.js";
import { TOKEN_FILE, TokenFile } from "../../storage/token-file.js";
import type { CliContext } from "../main.js";
import { printJson } from "../output.js";

/** The token file of the local data dir; editing it works while `notarium serve` runs (it re-reads the file). */
export function tokenFileOf(dataDir: string): TokenFile {
  return new TokenFile(join(dataDir, TOKEN_FILE));
}

export function registerToken(program: Command, ctx: CliContext): void {
  const token = program
    .command("token")
    .description(
      "manage API tokens in the local data dir (works while the service runs; changes apply within a second)",
    );
  token
    .command("create")
    .description("make a token and print it once (only its SHA-256 is stored)")
    .addOption(
      new Option("--role <role>", "what it may do: mediator deposits, court reads and docks, admin does all")
        .choices(ROLES)
        .makeOptionMandatory(),
    )
    .requiredOption("--name <name>", "a label to list and revoke it by (no spaces)")
    .option("--json", "print {token, id, name, role, createdAt} as JSON")
    .action(async (opts: { role: string; name: string; json?: boolean }) => {
      const { token: secret, record } = await createToken(
        tokenFileOf(ctx.config().dataDir),
        { name: opts.name, role: opts.role },
        ctx,
      );
      if (opts.json) {
        printJson({
          token: secret,
          id: record.id,
          name: record.name,
          role: record.role,
          createdAt: record.createdAt,
        });
        return;
      }
      process.stdout.write(`${secret}\n`);
      process.stderr.write(
        `created ${record.role} token "${record.name}" (id ${record.id}); it is shown only this once, keep it secret\n`,
      );
    });
  token
    .command("list")
    .description("list tokens (IDs, names, roles; never the tokens)")
    .option("--json", "print JSON lines")
    .action(async (opts: { json?: boolean }) => {
      const records = await listTokens(tokenFileOf(ctx.config().dataDir));
      for (const r of records) {
        const view = {
          id: r.id,
          name: r.name,
          role: r.role,
          createdAt: r.createdAt,
          revoked: r.revoked,
          ...(r.revokedAt ? { revokedAt: r.revokedAt } : {}),
        };
        if (opts.json) printJson(view);
        else
          process.stdout.write(
            `${r.id}  ${r.role.padEnd(8)}  ${r.name}  created ${r.createdAt}${r.revoked ? `  REVOKED ${r.revokedAt ?? ""}` : ""}\n`,
          );
      }
      if (!opts.json && records.length === 0)
        process.stderr.write("no tokens yet; `notarium serve` makes the admin token on first start\n");
    });
  token
    .command("revoke")
    .description("revoke a token by ID or name (the record stays, marked revoked)")
    .argument("<nameOrId>", "token ID (from `token list`) or name")
    .action(async (nameOrId: string) => {
      const r = await revokeToken(tokenFileOf(ctx.config().dataDir), nameOrId, ctx.clock);
      process.stderr.write(`revoked ${r.role} token "${r.name}" (id ${r.id})\n`);
    });
}
