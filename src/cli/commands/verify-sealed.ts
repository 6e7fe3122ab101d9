import { open, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { toHex, utf8 } from "../../core/bytes.js";
import { sha256 } from "../../crypto/sha256.js";
import { parseEntry } from "../../ledger/entry.js";
import type { CliContext } from "../main.js";
import { CliExit, EXIT, printJson } from "../output.js";
import { policyFor, printChecks, readText } from "../trust-policy.js";

const PDF_MAGIC = "%PDF-";

/** Larger than any agreement the service seals: such a file is only hashed, never read whole. */
const SEALED_MAX_BYTES = 256 * 1024 * 1024;

/**
 * Reads FILE when it is a PDF that Notarium sealed (it embeds
 * notarium-proof.json); undefined otherwise. Only the first KiB is read to
 * tell, so any other file (of any size, or not a regular file) is left to be
 * hashed as a stream.
 */
export async function readSealedPdf(file: string): Promise<Uint8Array | undefined> {
  // By path first: opening a pipe would wait for its writer.
  const info = await stat(file);
  if (!info.isFile() || info.size > SEALED_MAX_BYTES) return undefined;
  const handle = await open(file, "r");
  try {
    const head = new Uint8Array(1024);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    if (new TextDecoder().decode(head.subarray(0, bytesRead)).indexOf(PDF_MAGIC) < 0) return undefined;
  } finally {
    await handle.close();
  }
  const bytes = new Uint8Array(await readFile(file));
  const { extractEmbeddedProof } = await import("../../pdf/embed-proof.js");
  return (await Promise.resolve(extractEmbeddedProof(bytes)).catch(() => undefined)) ? bytes : undefined;
}

/**
 * `notarium verify sealed.pdf`: offline, the PDF signature over the whole
 * file, the registered original as an unchanged prefix, and the embedded case
 * package (every proof under the trust policy, every party's signature). With
 * --server, also that the ledger records the sealing of this exact file.
 */
export async function verifySealedFile(
  ctx: CliContext,
  file: string,
  bytes: Uint8Array,
  opts: { policy?: string; key?: string; cert?: string; json?: boolean },
): Promise<void> {
  const [{ verifySealedPdf }, { verifySealedAgreement }] = await Promise.all([
    import("../../pdf/verify-sealed-pdf.js"),
    import("../../esign/sealed-agreement.js"),
  ]);
  const remote = ctx.remote();
  const policy = await policyFor(opts, ctx, remote);
  let certificatePem: string | undefined;
  if (opts.cert) certificatePem = await readText(opts.cert, "certificate");
  else if (remote) certificatePem = (await remote.keys()).pdfCertificate ?? undefined;
  else
    certificatePem = await readFile(join(ctx.config().keysDir, "pdf-signing.crt"), "utf8").catch(
      () => undefined,
    );
  const pdf = await verifySealedPdf(bytes, certificatePem ? { certificatePem } : {});
  let sealRecorded: boolean | undefined;
  if (remote) {
    const r = await remote.verify(toHex(sha256(bytes)));
    sealRecorded = r.matches.some((m) => parseEntry(utf8(m.entry)).type === "agreement.sealed");
  }
  const v = verifySealedAgreement(pdf, { policy, ...(sealRecorded === undefined ? {} : { sealRecorded }) });
  const checks = certificatePem
    ? v.checks
    : [
        ...v.checks,
        {
          name: "certificate",
          ok: true,
          detail: "signer certificate not pinned: give --cert, or use --server to fetch the service's",
        },
      ];
  if (opts.json) printJson({ file, ...v, checks, signer: pdf.signer, originalSha256: pdf.originalSha256 });
  else printChecks(v.valid, checks, file);
  if (!v.valid) throw new CliExit(EXIT.checkFailed, "");
}
