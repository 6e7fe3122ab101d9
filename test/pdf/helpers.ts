import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { fixedClock } from "../../src/core/clock.js";
import { AppError } from "../../src/core/errors.js";
import { createPdfCertificate, pdfSignerFromPem } from "../../src/pdf/pdf-certificate.js";
import type { SealPdfOptions } from "../../src/pdf/seal-pdf.js";
import type { SealSpec } from "../../src/pdf/seal-spec.js";

export const CORPUS_DIR = fileURLToPath(new URL("../../fixtures/pdf/", import.meta.url));

export interface CorpusEntry {
  expect: string;
  note: string;
  pages?: number;
  version?: string;
  signed?: boolean;
}

export const corpus: Record<string, CorpusEntry> = JSON.parse(
  readFileSync(join(CORPUS_DIR, "corpus.json"), "utf8"),
);

export function corpusFile(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(CORPUS_DIR, name)));
}

/** Deterministic test randomness: SHA-256 in counter mode over a label. */
export function seededRandom(seed: string): (n: number) => Uint8Array {
  let counter = 0;
  return (n) => {
    const out = new Uint8Array(n);
    for (let off = 0; off < n; off += 32) {
      const h = createHash("sha256").update(`${seed}/${counter++}`).digest();
      out.set(h.subarray(0, Math.min(32, n - off)), off);
    }
    return out;
  };
}

export const SEAL_TIME = "2026-11-26T10:00:00.000Z";
export const clock = fixedClock(SEAL_TIME);
export const testCertificate = createPdfCertificate({
  commonName: "示例人民调解委员会",
  organization: "Notarium test",
  country: "CN",
  clock,
  randomBytes: seededRandom("notarium-test-pdf-certificate"),
});
export const testSigner = pdfSignerFromPem(testCertificate.certificatePem, testCertificate.privateKeyPem);

export const sealSpec: SealSpec = {
  centreName: "示例人民调解委员会",
  evidenceId: "NTR-7K3M9QX2V8DPW4RT",
  digest: "9f2c4e1ab37d58c06e2f91d4a7b3c5e8f0a1b2c3d4e5f60718293a4b5c6d7e8f",
  signers: [
    { name: "张三", role: "applicant" },
    { name: "李四", role: "respondent" },
    { name: "王五", role: "mediator" },
  ],
  verifyUrl: "https://notarium.example.cn/v/NTR-7K3M9QX2V8DPW4RT",
};

export const proofJson = new TextEncoder().encode(
  JSON.stringify({ v: 1, case: "case-1", entries: ['{"v":1}'], note: "测试 proof" }),
);

export function sealOptions(over: Partial<SealPdfOptions> = {}): SealPdfOptions {
  return { seal: sealSpec, proofJson, signer: testSigner, clock: fixedClock(SEAL_TIME), ...over };
}

export function scratchDir(label: string): string {
  const d = mkdtempSync(join(tmpdir(), `ntrm-pdf-${label}-`));
  mkdirSync(d, { recursive: true });
  return d;
}

/** Runs an external tool; a missing tool fails the test with what to install (never a silent skip). */
export function tool(
  cmd: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; okStatus?: number[] } = {},
): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, {
    encoding: "utf8",
    env: opts.env ?? process.env,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error && (r.error as NodeJS.ErrnoException).code === "ENOENT") {
    throw new Error(
      `${cmd} is not installed: run apt-get install -y poppler-utils qpdf (the PDF tests need it)`,
    );
  }
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function writeTemp(dir: string, name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

/**
 * A fontconfig setup that sees only a directory without CJK fonts (DejaVu
 * when installed, else nothing), so poppler cannot substitute a system CJK
 * font for a broken embedded one.
 */
export function noCjkFontEnv(dir: string): NodeJS.ProcessEnv {
  const conf = join(dir, "fonts.conf");
  const fontDir = "/usr/share/fonts/truetype/dejavu";
  writeFileSync(
    conf,
    `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig><dir>${fontDir}</dir><cachedir>${join(dir, "fc-cache")}</cachedir></fontconfig>\n`,
  );
  return { ...process.env, FONTCONFIG_FILE: conf, FONTCONFIG_PATH: dir };
}

export interface Raster {
  width: number;
  height: number;
  channels: 1 | 3;
  data: Uint8Array;
}

/** Parses binary PGM (P5) or PPM (P6) as written by pdftoppm. */
export function parsePnm(b: Uint8Array): Raster {
  const head = new TextDecoder("latin1").decode(b.subarray(0, 64));
  const m = /^(P[56])\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(head);
  if (!m) throw new Error("not a binary PNM image");
  const width = Number(m[2]);
  const height = Number(m[3]);
  const channels = m[1] === "P5" ? 1 : 3;
  return { width, height, channels, data: b.subarray(m[0].length, m[0].length + width * height * channels) };
}

/** Renders one page with pdftoppm to a PNM raster (grey or colour), optionally cropped (pixels). */
export function renderPage(
  pdfPath: string,
  page: number,
  opts: {
    dpi: number;
    gray?: boolean;
    crop?: [number, number, number, number];
    env?: NodeJS.ProcessEnv;
    dir: string;
  },
): Raster {
  const outBase = join(opts.dir, `render-${page}-${opts.dpi}-${opts.gray ? "g" : "c"}`);
  const args = ["-cropbox", "-r", String(opts.dpi), "-f", String(page), "-l", String(page), "-singlefile"];
  if (opts.gray) args.push("-gray");
  if (opts.crop)
    args.push(
      "-x",
      String(opts.crop[0]),
      "-y",
      String(opts.crop[1]),
      "-W",
      String(opts.crop[2]),
      "-H",
      String(opts.crop[3]),
    );
  const r = tool("pdftoppm", [...args, pdfPath, outBase], opts.env ? { env: opts.env } : {});
  if (r.status !== 0) throw new Error(`pdftoppm failed: ${r.stderr}`);
  return parsePnm(new Uint8Array(readFileSync(`${outBase}.${opts.gray ? "pgm" : "ppm"}`)));
}

export function have(cmd: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** A small PDF written by hand (classic xref, offsets computed): `objects[i]` becomes object i+1. */
export function handPdf(objects: string[], version = "1.4"): Uint8Array {
  let s = `%PDF-${version}\n`;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(s.length);
    s += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = s.length;
  s += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) s += `${String(o).padStart(10, "0")} 00000 n \n`;
  s += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(s);
}

/** A one-page tree for handPdf: the catalog is object 1, these are objects 2 and 3. */
export const HAND_PAGES = "<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 300 400] >>";
export const HAND_PAGE = "<< /Type /Page /Parent 2 0 R >>";

/** The AppError code a promise rejects with, "ok" when it resolves, or what else escaped. */
export async function errorCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "ok";
  } catch (e) {
    return e instanceof AppError ? e.code : `escaped ${(e as Error)?.name}`;
  }
}
