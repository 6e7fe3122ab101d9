import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Command } from "commander";
import { DEFAULT_WITNESS_DATA_DIR, DEFAULT_WITNESS_PORT, parseWitnessOptions } from "../../witness/config.js";
import { WITNESS_KEY_FILE, WITNESS_VKEY_FILE } from "../../witness/key-file.js";
import type { CliContext } from "../main.js";
import { stopSignal } from "../stop-signal.js";

/**
 * `notarium witness --name NAME --log VKEY [--log VKEY…] [--port P] [--host H] [--data DIR]`
 * (DESIGN §11): a court's c2sp.org/tlog-witness v1.0.0 node, in its own data
 * directory. First run makes its cosigner key; every run prints its verifier
 * key (type 0x04) on stdout. SIGTERM or SIGINT stop it after in-flight requests.
 */
export function registerWitness(program: Command, ctx: CliContext): void {
  program
    .command("witness")
    .description("run a court witness node (c2sp.org/tlog-witness v1.0.0, POST /add-checkpoint)")
    .requiredOption("--name <name>", "the witness's key name, e.g. court-a.example/witness")
    .option(
      "--log <vkey>",
      "a log's verifier key (or a file holding one, e.g. keys/log.vkey); repeat for several logs",
      (v: string, prev: string[]) => [...prev, v],
      [] as string[],
    )
    .option("--port <port>", `port to listen on (default ${DEFAULT_WITNESS_PORT})`)
    .option("--host <host>", "address to listen on (default 0.0.0.0)")
    .option("--data <dir>", `the witness's own data directory (default ${DEFAULT_WITNESS_DATA_DIR})`)
    .action(
      async (
        opts: { name: string; log: string[]; port?: string; host?: string; data?: string },
        cmd: Command,
      ) => {
        const [{ pino }, { startWitnessNode }] = await Promise.all([
          import("pino"),
          import("../../witness/witness-node.js"),
        ]);
        const options = parseWitnessOptions({
          name: opts.name,
          logs: await Promise.all(opts.log.map(readVkeyArg)),
          port: opts.port,
          host: opts.host,
          dataDir: opts.data ?? dataFlagOf(cmd),
        });
        const logger = pino(
          { level: ctx.config().logLevel, base: { service: "notarium-witness" } },
          pino.destination(2),
        );
        const node = await startWitnessNode(options, {
          clock: ctx.clock,
          randomBytes: ctx.randomBytes,
          logger,
        });
        const stopped = stopSignal(logger, "shutting down: finishing in-flight requests");
        process.stdout.write(`${node.verifierKey}\n`);
        const lines = [
          `notarium witness ${options.name} is listening on ${options.host}:${node.port} (POST /add-checkpoint)`,
          `  logs: ${node.origins.join(", ")}`,
          `  data: ${options.dataDir} (verifier key in ${join(options.dataDir, WITNESS_VKEY_FILE)})`,
          ...(node.keyCreated
            ? [
                `  created the witness key ${join(options.dataDir, WITNESS_KEY_FILE)} (mode 0600; back it up: a new key is a new witness)`,
              ]
            : []),
        ];
        process.stderr.write(`${lines.join("\n")}\n`);
        await stopped;
        await node.close();
        logger.info({}, "stopped");
      },
    );
}

/**
 * The program defines `--data` for the ledger too, and commander hands the
 * flag to the program wherever it appears; take it only when typed on the
 * command line, never from NOTARIUM_DATA_DIR (the log's directory).
 */
function dataFlagOf(cmd: Command): string | undefined {
  const parent = cmd.parent;
  return parent?.getOptionValueSource("data") === "cli" ? parent.opts<{ data?: string }>().data : undefined;
}

/** A `--log` value: a vkey, or the path of a file that holds one (such as keys/log.vkey). */
async function readVkeyArg(value: string): Promise<string> {
  const isFile = await stat(value).then(
    (s) => s.isFile(),
    () => false,
  );
  return isFile ? (await readFile(value, "utf8")).trim() : value;
}
