import { Command, CommanderError, Option } from "commander";
import { secureRandomBytes, systemClock } from "../core/clock.js";
import { registerAudit } from "./commands/audit.js";
import { registerCase } from "./commands/case.js";
import { registerDeposit } from "./commands/deposit.js";
import { registerIdentity } from "./commands/identity.js";
import { registerKeyAndCheckpoint } from "./commands/key.js";
import { registerKeygen } from "./commands/keygen.js";
import { registerProve } from "./commands/prove.js";
import { registerServe } from "./commands/serve.js";
import { registerSign } from "./commands/sign.js";
import { registerToken } from "./commands/token.js";
import { registerVerify } from "./commands/verify.js";
import { registerWitness } from "./commands/witness.js";
import { type Config, parseConfig } from "./config.js";
import { CliExit, describeError, EXIT, exitStatusFor } from "./output.js";
import { DEFAULT_TIMEOUT_SECONDS, RemoteClient } from "./remote-client.js";

export interface CliContext {
  /** Config from the environment with --data/--keys applied. */
  config(): Config;
  clock: typeof systemClock;
  randomBytes: typeof secureRandomBytes;
  /** The environment given to main (settings beyond Config, e.g. the HTTP ones, parse from it). */
  env: Record<string, string | undefined>;
  /** A client for --server URL (with --token), or undefined to work on the local data dir. */
  remote(): RemoteClient | undefined;
  /** A client for another service URL (an invitation link's), with --timeout applied. */
  remoteAt(server: string, token: string | undefined): RemoteClient;
}

export function buildProgram(env: Record<string, string | undefined>): Command {
  const program = new Command("notarium")
    .description("Notarize evidence on a verifiable, append-only ledger (RFC 6962 tree, C2SP checkpoints)")
    .addOption(new Option("--data <dir>", "ledger data directory").env("NOTARIUM_DATA_DIR"))
    .addOption(new Option("--keys <dir>", "keys directory").env("NOTARIUM_KEYS_DIR"))
    .addOption(
      new Option(
        "--server <url>",
        "use a running service instead of the local data dir (files are hashed locally, never sent)",
      ).env("NOTARIUM_SERVER"),
    )
    .addOption(
      new Option(
        "--token <token>",
        "API token for --server (mediator or admin to deposit and manage cases)",
      ).env("NOTARIUM_TOKEN"),
    )
    .addOption(
      new Option(
        "--timeout <seconds>",
        `give up on a --server call (answer included) after this long (default ${DEFAULT_TIMEOUT_SECONDS})`,
      ).env("NOTARIUM_TIMEOUT"),
    )
    .showHelpAfterError("(run notarium --help for usage)")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  const ctx: CliContext = {
    config: () => {
      const o = program.opts<{ data?: string; keys?: string }>();
      return parseConfig(env, { dataDir: o.data, keysDir: o.keys });
    },
    clock: systemClock,
    randomBytes: secureRandomBytes,
    env,
    remote: () => {
      const o = program.opts<{ server?: string; token?: string }>();
      return o.server ? ctx.remoteAt(o.server, o.token) : undefined;
    },
    remoteAt: (server, token) =>
      new RemoteClient(server, token, fetch, timeoutSeconds(program.opts<{ timeout?: string }>().timeout)),
  };
  registerServe(program, ctx);
  registerDeposit(program, ctx);
  registerVerify(program, ctx);
  registerAudit(program, ctx);
  registerKeyAndCheckpoint(program, ctx);
  registerProve(program, ctx);
  registerToken(program, ctx);
  registerCase(program, ctx);
  registerWitness(program, ctx);
  registerIdentity(program, ctx);
  registerKeygen(program, ctx);
  registerSign(program, ctx);
  return program;
}

/** --timeout: seconds, a positive number up to a day. */
function timeoutSeconds(given: string | undefined): number {
  if (given === undefined) return DEFAULT_TIMEOUT_SECONDS;
  const n = /^[0-9]+(\.[0-9]+)?$/.test(given.trim()) ? Number(given) : Number.NaN;
  if (!(n >= 0.001 && n <= 86_400))
    throw new CliExit(
      EXIT.usage,
      `notarium: --timeout must be a number of seconds from 0.001 to 86400, not "${given}"`,
    );
  return n;
}

export async function main(argv: string[], env: Record<string, string | undefined>): Promise<number> {
  const program = buildProgram(env);
  try {
    await program.parseAsync(argv);
    return process.exitCode === undefined ? EXIT.ok : Number(process.exitCode);
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version are not errors; commander already printed usage problems.
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const message = describeError(e);
    if (message) process.stderr.write(`${message}\n`);
    return exitStatusFor(e);
  }
}
