import type { Command } from "commander";
import { InvalidArgumentError } from "commander";
import { toHex } from "../../core/bytes.js";
import type { CliContext } from "../main.js";
import { openLocalLedger } from "../open-local.js";
import { printJson } from "../output.js";

export function parseCount(value: string): number {
  if (!/^(0|[1-9]\d*)$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new InvalidArgumentError("expected a non-negative integer without leading zeros");
  }
  return Number(value);
}

export function registerProve(program: Command, ctx: CliContext): void {
  const prove = program.command("prove").description("print RFC 6962 proofs as JSON (hex hashes)");
  prove
    .command("inclusion")
    .description("inclusion proof of entry INDEX in the tree of size N (default: current)")
    .argument("<index>", "leaf index", parseCount)
    .option("--size <n>", "tree size", parseCount)
    .action(async (index: number, opts: { size?: number }) => {
      const remote = ctx.remote();
      if (remote) {
        printJson(await remote.proveInclusion(index, opts.size));
        return;
      }
      const local = await openLocalLedger(ctx.config(), ctx);
      try {
        const size = opts.size ?? local.ledger.size;
        const [proof, root] = await Promise.all([
          local.ledger.proveInclusion(index, size),
          local.ledger.rootAt(size),
        ]);
        printJson({ index, size, root: toHex(root), proof: proof.map(toHex) });
      } finally {
        await local.close();
      }
    });
  prove
    .command("consistency")
    .description("consistency proof between tree sizes FROM and TO")
    .argument("<from>", "older tree size", parseCount)
    .argument("<to>", "newer tree size", parseCount)
    .action(async (from: number, to: number) => {
      const remote = ctx.remote();
      if (remote) {
        printJson(await remote.proveConsistency(from, to));
        return;
      }
      const local = await openLocalLedger(ctx.config(), ctx);
      try {
        const [proof, oldRoot, newRoot] = await Promise.all([
          local.ledger.proveConsistency(from, to),
          local.ledger.rootAt(from),
          local.ledger.rootAt(to),
        ]);
        printJson({ from, to, oldRoot: toHex(oldRoot), newRoot: toHex(newRoot), proof: proof.map(toHex) });
      } finally {
        await local.close();
      }
    });
}
