/**
 * Load-or-create of the PDF signing certificate in a keys directory:
 * `pdf-signing.crt` (public, 0644) and `pdf-signing.key` (PKCS#8, 0600).
 * A key file that group or others can read is refused, as for the log key.
 */
import { chmod, mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Clock, RandomBytes } from "../core/clock.js";
import { StorageError } from "../core/errors.js";
import { createPdfCertificate, pdfSignerFromPem } from "./pdf-certificate.js";
import type { PdfSigner } from "./pdf-signer.js";

export const PDF_CERT_FILE = "pdf-signing.crt";
export const PDF_KEY_FILE = "pdf-signing.key";

export interface LoadedPdfCertificate {
  signer: PdfSigner;
  certificatePem: string;
  created: boolean;
}

async function modeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mode;
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new StorageError("KEY_FILE_UNREADABLE", `cannot read ${path}: ${(cause as Error).message}`, {
      cause,
    });
  }
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (cause) {
    throw new StorageError("KEY_FILE_UNREADABLE", `cannot read ${path}: ${(cause as Error).message}`, {
      cause,
    });
  }
}

export async function loadOrCreatePdfCertificate(
  dir: string,
  options: { commonName: string; organization?: string; clock: Clock; randomBytes: RandomBytes },
): Promise<LoadedPdfCertificate> {
  const certPath = join(dir, PDF_CERT_FILE);
  const keyPath = join(dir, PDF_KEY_FILE);
  const keyMode = await modeOf(keyPath);
  const certMode = await modeOf(certPath);
  if (keyMode !== undefined) {
    if (process.platform !== "win32" && (keyMode & 0o077) !== 0) {
      throw new StorageError(
        "KEY_FILE_PERMISSIONS",
        `PDF signing key ${keyPath} is readable by other users (mode ${(keyMode & 0o777).toString(8)}); run: chmod 600 ${keyPath}`,
      );
    }
    if (certMode === undefined) {
      throw new StorageError(
        "KEY_FILE_UNREADABLE",
        `${keyPath} exists but ${certPath} is missing; restore the certificate from backup (a new one would change the published PDF certificate)`,
      );
    }
    const certificatePem = await readText(certPath);
    try {
      return {
        signer: pdfSignerFromPem(certificatePem, await readText(keyPath)),
        certificatePem,
        created: false,
      };
    } catch (cause) {
      throw new StorageError(
        "KEY_FILE_MALFORMED",
        `${certPath} / ${keyPath} are not a matching P-256 certificate and key: ${(cause as Error).message}`,
        { cause },
      );
    }
  }
  if (certMode !== undefined) {
    throw new StorageError(
      "KEY_FILE_UNREADABLE",
      `${certPath} exists without its key ${keyPath}; restore the key or remove both to make a new certificate`,
    );
  }
  const made = createPdfCertificate(options);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFile(keyPath, made.privateKeyPem, { mode: 0o600, flag: "wx" });
  await chmod(keyPath, 0o600);
  await writeFile(certPath, made.certificatePem, { mode: 0o644, flag: "wx" });
  return {
    signer: pdfSignerFromPem(made.certificatePem, made.privateKeyPem),
    certificatePem: made.certificatePem,
    created: true,
  };
}
