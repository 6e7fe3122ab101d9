import { readFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import { Writable } from "node:stream";
import { ValidationError } from "../core/errors.js";

/** Reads a line from the terminal without echoing it. */
function askHidden(prompt: string): Promise<string> {
  const muted = new Writable({ write: (_chunk, _enc, cb) => cb() });
  process.stderr.write(prompt);
  const rl = createInterface({ input: process.stdin, output: muted, terminal: true });
  return new Promise((resolve) => {
    rl.question("", (answer) => {
      rl.close();
      process.stderr.write("\n");
      resolve(answer);
    });
  });
}

/**
 * The key passphrase: --passphrase-file, else NOTARIUM_KEY_PASSPHRASE, else a
 * hidden prompt at a terminal (asked twice when creating). Never a command-line
 * argument, which other users could read from the process list.
 */
export async function readPassphrase(
  opts: { passphraseFile?: string; env?: string },
  confirm: boolean,
): Promise<string> {
  if (opts.passphraseFile) {
    try {
      return (await readFile(opts.passphraseFile, "utf8")).replace(/\r?\n$/, "");
    } catch (cause) {
      throw new ValidationError("FILE_UNREADABLE", `cannot read the passphrase file ${opts.passphraseFile}`, {
        cause,
      });
    }
  }
  if (opts.env !== undefined && opts.env !== "") return opts.env;
  if (!process.stdin.isTTY) {
    throw new ValidationError(
      "INVALID_ARGUMENT",
      "a passphrase is needed: use --passphrase-file FILE or NOTARIUM_KEY_PASSPHRASE (or run at a terminal to be asked)",
    );
  }
  const first = await askHidden("passphrase: ");
  if (confirm && (await askHidden("again: ")) !== first)
    throw new ValidationError("INVALID_ARGUMENT", "the passphrases differ");
  return first;
}
