import { stat, writeFile } from "node:fs/promises";
import type { Command } from "commander";
import { ValidationError } from "../../core/errors.js";
import { parsePolicy } from "../../crypto/tlog-policy.js";
import type { Receipt } from "../../ledger/receipt.js";
import { verifyTlogProof } from "../../ledger/verify-proof.js";
import { depositEvidenceBatch } from "../../service/deposit-evidence.js";
import { type HashedFile, hashFile } from "../hash-file.js";
import type { CliContext } from "../main.js";
import { openLocalLedger } from "../open-local.js";
import { CliExit, EXIT, fileReason, printJson } from "../output.js";
import { createProgress } from "../progress.js";
import { REMOTE_BATCH } from "../remote-client.js";

const CHUNK = 1000;

export function registerDeposit(program: Command, ctx: CliContext): void {
  program
    .command("deposit")
    .description(
      "hash files (never uploaded, never stored) and record their SHA-256 digests in the ledger (local, or --server: only digests are sent)",
    )
    .argument("<files...>", "files to notarize")
    .option("--json", "print one receipt per line as JSON")
    .option(
      "--title <title>",
      "a short public title recorded with each digest (no personal data: the log is public and permanent)",
    )
    .option("--save-proof", "write FILE.tlog-proof next to each file, for offline verification")
    .action(async (files: string[], opts: { json?: boolean; title?: string; saveProof?: boolean }) => {
      // Bytes of the command line that are not UTF-8 reach us replaced by U+FFFD: never recorded changed.
      if (opts.title?.includes("\uFFFD"))
        throw new CliExit(
          EXIT.usage,
          "notarium: --title is not valid UTF-8 (or holds U+FFFD, the replacement character); check the terminal's encoding",
        );
      const sizes = await Promise.all(
        files.map(async (f) => {
          try {
            return (await stat(f)).size;
          } catch (cause) {
            throw new ValidationError("FILE_UNREADABLE", `cannot read ${f}: ${(cause as Error).message}`, {
              cause,
            });
          }
        }),
      );
      const total = sizes.reduce((a, b) => a + b, 0);
      const remote = ctx.remote();
      // Open the local ledger while the files hash: key loading and LevelDB start-up
      // overlap the disk reads, and a locked data directory stops the hashing at once.
      const abort = new AbortController();
      const opening = remote ? undefined : openLocalLedger(ctx.config(), { ...ctx, create: true });
      opening?.catch(() => abort.abort());
      const progress = createProgress(total, files.length);
      const hashed: HashedFile[] = [];
      let before = 0;
      try {
        for (const f of files) {
          hashed.push(await hashFile(f, (n) => progress.update(before + n, f), abort.signal));
          before += hashed.at(-1)?.size ?? 0;
        }
      } catch (e) {
        const local = await opening?.catch((openError: unknown) => {
          throw openError; // the real reason the hashing stopped
        });
        await local?.close();
        throw e;
      } finally {
        progress.stop();
      }
      const item = (h: HashedFile) => ({
        sha256: h.sha256,
        size: h.size,
        ...(opts.title ? { title: opts.title } : {}),
      });
      // Proofs that could not be saved: reported after every receipt is shown, since the
      // files are recorded whatever happens to their proof files.
      const unsaved: string[] = [];
      const reportUnsaved = () => {
        if (unsaved.length > 0)
          throw new CliExit(
            EXIT.usage,
            `notarium: every file above is recorded (see its evidence ID), but ${unsaved.length} proof file(s) could not be written: ${unsaved.join("; ")}; get a proof again with GET /api/v1/evidence/<ID>/proof or by depositing the same file`,
          );
      };
      const show = async (chunk: HashedFile[], receipts: Receipt[]) => {
        for (const [j, r] of receipts.entries()) {
          const file = (chunk[j] as HashedFile).path;
          if (opts.saveProof)
            await writeFile(`${file}.tlog-proof`, r.tlogProof).catch((e: unknown) =>
              unsaved.push(`${file}.tlog-proof (${fileReason(e)})`),
            );
          if (opts.json) printJson({ file, ...r });
          else {
            process.stdout.write(
              `${file}\n  evidence ID  ${r.evidenceId}\n  sha256       ${(chunk[j] as HashedFile).sha256}\n  index        ${r.index}  block ${r.blockHeight}  recorded ${r.recordedAt}\n  tx hash      ${r.txHash}\n${opts.saveProof ? `  proof        ${file}.tlog-proof\n` : ""}`,
            );
          }
        }
      };
      // --server: only the digests travel; the files never leave this machine.
      if (remote) {
        // Each receipt must verify against the server's published log key and record our digest.
        const policy = parsePolicy((await remote.keys()).policy);
        for (let i = 0; i < hashed.length; i += REMOTE_BATCH) {
          const chunk = hashed.slice(i, i + REMOTE_BATCH);
          // One receipt per digest, in order (depositBatch checks the count and the shape).
          const receipts = await remote.depositBatch(chunk.map(item));
          receipts.forEach((r, j) => {
            const sha256 = (chunk[j] as HashedFile).sha256;
            if (!verifyTlogProof(r.tlogProof, { policy, sha256 }).valid) {
              throw new CliExit(
                EXIT.checkFailed,
                `notarium: the server's receipt for ${(chunk[j] as HashedFile).path} does not verify`,
              );
            }
          });
          await show(chunk, receipts);
        }
        reportUnsaved();
        return;
      }
      const local = await (opening as ReturnType<typeof openLocalLedger>);
      try {
        for (let i = 0; i < hashed.length; i += CHUNK) {
          const chunk = hashed.slice(i, i + CHUNK);
          await show(chunk, await depositEvidenceBatch(local.ledger, chunk.map(item)));
        }
      } finally {
        await local.close();
      }
      reportUnsaved();
    });
}
