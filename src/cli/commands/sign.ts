import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { toHex, utf8 } from "../../core/bytes.js";
import { AppError, ValidationError, VerificationError } from "../../core/errors.js";
import { ed25519 } from "../../crypto/ed25519.js";
import { sha256 } from "../../crypto/sha256.js";
import { openPartyKeyFile, parsePartyKeyFile } from "../../esign/party-key.js";
import { formatSignaturePayload } from "../../esign/signature-payload.js";
import type { CliContext } from "../main.js";
import { printJson } from "../output.js";
import { readPassphrase } from "../passphrase.js";

interface InvitationView {
  caseId: string;
  caseNumber: string;
  title: string;
  signer: string;
  role: string;
  publicKey?: string;
  document?: string;
  signed: boolean;
  nextSigner?: string;
}

/** An invitation link https://host/sign/inv_… → the service base URL and the token. */
export function parseInvitationUrl(url: string): { base: string; token: string } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ValidationError(
      "INVALID_ARGUMENT",
      "--invitation must be the full link you received, like https://host/sign/inv_…",
    );
  }
  const m = /^(.*)\/sign\/(inv_[A-Za-z0-9_-]{43})\/?$/.exec(u.pathname);
  if (!m)
    throw new ValidationError(
      "INVALID_ARGUMENT",
      "--invitation must be the full link you received, like https://host/sign/inv_…",
    );
  return { base: `${u.origin}${m[1]}`, token: m[2] as string };
}

async function call(
  base: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<Response> {
  let r: Response;
  try {
    r = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (cause) {
    throw new AppError("SERVER_UNREACHABLE", `cannot reach ${base}: ${(cause as Error).message}`, { cause });
  }
  if (!r.ok) {
    const e = (await r.json().catch(() => undefined)) as
      | { error?: { code?: string; message?: string } }
      | undefined;
    const code = (e?.error?.code ?? "INVALID_ARGUMENT") as AppError["code"];
    throw new AppError(code, `${method} ${path}: ${r.status} ${e?.error?.message ?? r.statusText}`);
  }
  return r;
}

export function registerSign(
  program: Command,
  ctx: CliContext,
  env: Record<string, string | undefined>,
): void {
  program
    .command("sign")
    .description("sign a mediation agreement as a party, through the invitation link you received")
    .requiredOption("--invitation <url>", "your invitation link (https://host/sign/inv_…)")
    .requiredOption("--key <file>", "your key file from `notarium keygen`")
    .option("--passphrase-file <file>", "read the key passphrase from this file")
    .option("--json", "print the receipt as JSON")
    .action(async (opts: { invitation: string; key: string; passphraseFile?: string; json?: boolean }) => {
      const { base, token } = parseInvitationUrl(opts.invitation);
      const keyFile = parsePartyKeyFile(
        await readFile(opts.key, "utf8").catch((cause) => {
          throw new ValidationError("FILE_UNREADABLE", `cannot read the key file ${opts.key}`, { cause });
        }),
      );
      const passphrase =
        keyFile.encryption === "none"
          ? undefined
          : await readPassphrase(
              { passphraseFile: opts.passphraseFile, env: env.NOTARIUM_KEY_PASSPHRASE },
              false,
            );
      const seed = await openPartyKeyFile(keyFile, passphrase);

      const view = (await (
        await call(base, token, "GET", `/api/v1/invitations/${token}`)
      ).json()) as InvitationView;
      if (!view.document)
        throw new ValidationError("AGREEMENT_MISSING", "the mediator has not registered the agreement yet");
      if (view.signed)
        throw new ValidationError(
          "ALREADY_SIGNED",
          `you (${view.signer}) have already signed this agreement`,
        );
      // Check with our own eyes that the document offered is the one we are about to sign.
      const pdf = new Uint8Array(
        await (await call(base, token, "GET", `/api/v1/invitations/${token}/agreement.pdf`)).arrayBuffer(),
      );
      if (toHex(sha256(pdf)) !== view.document) {
        throw new VerificationError(
          "DOCUMENT_MISMATCH",
          "the agreement the server sent does not match the digest it asks you to sign; do not sign",
        );
      }
      if (view.publicKey && view.publicKey !== keyFile.publicKey) {
        throw new ValidationError(
          "KEY_MISMATCH",
          "another key is bound to you in this case; use that key file",
        );
      }
      if (!view.publicKey)
        await call(base, token, "PUT", `/api/v1/invitations/${token}/key`, { publicKey: keyFile.publicKey });
      const time = `${ctx.clock.now().toISOString().slice(0, 19)}Z`;
      const fields = {
        case: view.caseId,
        document: view.document,
        role: view.role,
        signer: view.signer,
        time,
      };
      const signature = toHex(ed25519.sign(utf8(formatSignaturePayload(fields)), seed));
      const receipt = (await (
        await call(base, token, "POST", `/api/v1/cases/${view.caseId}/signatures`, {
          signer: view.signer,
          time,
          signature,
          document: view.document,
          role: view.role,
        })
      ).json()) as { evidenceId: string; index: number; blockHeight: number };
      if (opts.json) printJson(receipt);
      else {
        process.stdout.write(
          `signed ${view.caseNumber} «${view.title}» as ${view.signer} (${view.role})\n  document     ${view.document}\n  evidence ID  ${receipt.evidenceId}\n  index        ${receipt.index}  block ${receipt.blockHeight}\n`,
        );
      }
    });
}
