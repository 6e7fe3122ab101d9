// Runs `notarium witness …` from dist/ the way bin/notarium.js will once main.ts registers the
// command: the same global options (including the ledger's --data) and the same CLI context.
import { Command, Option } from "commander";
import { registerWitness } from "../../dist/cli/commands/witness.js";
import { parseConfig } from "../../dist/cli/config.js";
import { secureRandomBytes, systemClock } from "../../dist/core/clock.js";

const program = new Command("notarium")
  .addOption(new Option("--data <dir>", "ledger data directory").env("NOTARIUM_DATA_DIR"))
  .exitOverride();
registerWitness(program, {
  config: () => parseConfig(process.env),
  clock: systemClock,
  randomBytes: secureRandomBytes,
  env: process.env,
  remote: () => undefined,
});
try {
  await program.parseAsync(process.argv);
} catch (e) {
  process.stderr.write(`notarium: ${e.message} [${e.code}]\n`);
  process.exitCode = 2;
}
