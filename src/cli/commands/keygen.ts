import { writeFile } from "node:fs/promises";
import type { Command } from "commander";
import { ValidationError } from "../../core/errors.js";
import { createPartyKeyFile } from "../../esign/party-key.js";
import type { CliContext } from "../main.js";
import { CliExit, EXIT, fileReason } from "../output.js";
import { readPassphrase } from "../passphrase.js";

export function registerKeygen(program: Command, ctx: CliContext): void {
  program
    .command("keygen")
    .description("make a party's Ed25519 signing key, encrypted under a passphrase; prints the public key")
    .option("--out <file>", "where to write the key file", "party.key")
    .option(
      "--passphrase-file <file>",
      "read the passphrase from this file (else NOTARIUM_KEY_PASSPHRASE, else a prompt)",
    )
    .option("--unencrypted", "store the key without a passphrase (not recommended)")
    .action(async (opts: { out: string; passphraseFile?: string; unencrypted?: boolean }) => {
      if (opts.unencrypted && opts.passphraseFile)
        throw new CliExit(
          EXIT.usage,
          "notarium: --unencrypted stores the key without a passphrase: drop --passphrase-file, or --unencrypted",
        );
      const passphrase = opts.unencrypted
        ? undefined
        : await readPassphrase(
            { passphraseFile: opts.passphraseFile, env: ctx.env.NOTARIUM_KEY_PASSPHRASE },
            true,
          );
      const file = await createPartyKeyFile(ctx.randomBytes(32), passphrase, ctx.randomBytes);
      try {
        await writeFile(opts.out, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600, flag: "wx" });
      } catch (cause) {
        const exists = (cause as NodeJS.ErrnoException).code === "EEXIST";
        throw new ValidationError(
          "FILE_UNREADABLE",
          exists
            ? `${opts.out} exists already; choose another --out (a key is never overwritten)`
            : `cannot write ${opts.out}: ${fileReason(cause)}`,
          { cause },
        );
      }
      process.stderr.write(
        `wrote ${opts.out}${passphrase === undefined ? " (UNENCRYPTED)" : ""}; keep it safe, it never leaves this machine\n`,
      );
      process.stdout.write(`${file.publicKey}\n`);
    });
}
