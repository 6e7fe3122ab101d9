import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { toHex, utf8 } from "../../core/bytes.js";
import { isAppError, ValidationError, VerificationError } from "../../core/errors.js";
import { ed25519 } from "../../crypto/ed25519.js";
import { sha256 } from "../../crypto/sha256.js";
import { parsePolicy } from "../../crypto/tlog-policy.js";
import { openPartyKeyFile, parsePartyKeyFile } from "../../esign/party-key.js";
import { formatSignaturePayload } from "../../esign/signature-payload.js";
import { parseEntry } from "../../ledger/entry.js";
import { verifyTlogProof } from "../../ledger/verify-proof.js";
import type { CliContext } from "../main.js";
import { CliExit, EXIT, printJson } from "../output.js";
import { readPassphrase } from "../passphrase.js";

const LINK_HELP = "--invitation must be the full link you received, like https://host/sign/inv_…";

/** An invitation link https://host/sign/inv_… → the service base URL and the token. */
export function parseInvitationUrl(url: string): { base: string; token: string } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ValidationError("INVALID_ARGUMENT", LINK_HELP);
  }
  const m = /^(.*)\/sign\/(inv_[A-Za-z0-9_-]{43})\/?$/.exec(u.pathname);
  if (!m) throw new ValidationError("INVALID_ARGUMENT", LINK_HELP);
  return { base: `${u.origin}${m[1]}`, token: m[2] as string };
}

/** The key file's seed; a wrong passphrase is the user's to fix (exit 2), not a failed check. */
async function openKey(path: string, passphraseFile: string | undefined, ctx: CliContext) {
  const text = await readFile(path, "utf8").catch((cause) => {
    throw new ValidationError("FILE_UNREADABLE", `cannot read the key file ${path}`, { cause });
  });
  const file = parsePartyKeyFile(text);
  const passphrase =
    file.encryption === "none"
      ? undefined
      : await readPassphrase({ passphraseFile, env: ctx.env.NOTARIUM_KEY_PASSPHRASE }, false);
  try {
    return { publicKey: file.publicKey, seed: await openPartyKeyFile(file, passphrase) };
  } catch (e) {
    if (isAppError(e) && e.code === "SIGNATURE_INVALID")
      throw new CliExit(EXIT.usage, `notarium: cannot open ${path}: ${e.message}`);
    throw e;
  }
}

export function registerSign(program: Command, ctx: CliContext): void {
  program
    .command("sign")
    .description("sign a mediation agreement as a party, through the invitation link you received")
    .requiredOption("--invitation <url>", "your invitation link (https://host/sign/inv_…)")
    .requiredOption("--key <file>", "your key file from `notarium keygen`")
    .option(
      "--passphrase-file <file>",
      "read the key passphrase from this file (else NOTARIUM_KEY_PASSPHRASE, else a prompt)",
    )
    .option("--json", "print the receipt as JSON")
    .action(async (opts: { invitation: string; key: string; passphraseFile?: string; json?: boolean }) => {
      const { base, token } = parseInvitationUrl(opts.invitation);
      const key = await openKey(opts.key, opts.passphraseFile, ctx);
      // The invitation token is the party's only credential: in the path to read, as the bearer to sign.
      const server = ctx.remoteAt(base, token);
      const view = await server.invitation(token);
      if (!view.document)
        throw new ValidationError("AGREEMENT_MISSING", "the mediator has not registered the agreement yet");
      if (view.signed)
        throw new ValidationError(
          "ALREADY_SIGNED",
          `you (${view.signer}) have already signed this agreement`,
        );
      if (view.publicKey && view.publicKey !== key.publicKey)
        throw new ValidationError(
          "KEY_MISMATCH",
          "another key is bound to you in this case; use that key file",
        );
      // See with our own eyes that the document offered is the one we are about to sign.
      if (toHex(sha256(await server.invitationAgreement(token))) !== view.document) {
        throw new VerificationError(
          "DOCUMENT_MISMATCH",
          "the agreement the server sent does not match the digest it asks you to sign; do not sign",
        );
      }
      if (!view.publicKey) await server.bindKey(token, key.publicKey);
      const fields = {
        case: view.caseId,
        document: view.document,
        role: view.role,
        signer: view.signer,
        time: `${ctx.clock.now().toISOString().slice(0, 19)}Z`,
      };
      const signature = toHex(ed25519.sign(utf8(formatSignaturePayload(fields)), key.seed));
      const { case: caseId, ...signed } = fields;
      const receipt = await server.submitSignature(caseId, { ...signed, signature });
      // The receipt must prove, under the log's published key, an entry holding exactly our signature.
      const policy = parsePolicy((await server.keys()).policy);
      const proved = verifyTlogProof(receipt.tlogProof, { policy, entryData: utf8(receipt.entry) }).valid;
      const body = parseEntry(utf8(receipt.entry)).body;
      if (!proved || body.signature !== signature || body.publicKey !== key.publicKey)
        throw new CliExit(EXIT.checkFailed, "notarium: the server's receipt does not prove your signature");
      if (opts.json) printJson(receipt);
      else {
        process.stdout.write(
          `signed ${view.caseNumber} «${view.title}» as ${view.signer} (${view.role})\n  document     ${view.document}\n  evidence ID  ${receipt.evidenceId}\n  index        ${receipt.index}  block ${receipt.blockHeight}\n`,
        );
      }
    });
}
