// Issue 5 figures: sealing a 3-page and a 200-page agreement, peak memory, verifying a sealed PDF.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { PDFDocument, StandardFonts } from "pdf-lib";
import { fixedClock } from "../dist/core/clock.js";
import { createPdfCertificate, pdfSignerFromPem } from "../dist/pdf/pdf-certificate.js";
import { sealPdf } from "../dist/pdf/seal-pdf.js";
import { verifySealedPdf } from "../dist/pdf/verify-sealed-pdf.js";
import { median, row, tempDir } from "./lib.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const clock = fixedClock("2026-11-26T10:00:00Z");
let seed = 1;
const nextByte = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed & 255;
};
const randomBytes = (n) => Uint8Array.from({ length: n }, nextByte);
const cert = createPdfCertificate({ commonName: "示例人民调解委员会", clock, randomBytes });
const signer = pdfSignerFromPem(cert.certificatePem, cert.privateKeyPem);
const seal = {
  centreName: "示例人民调解委员会",
  evidenceId: "NTR-7K3M9QX2V8DPW4RT",
  digest: "9f2c4e1ab37d58c06e2f91d4a7b3c5e8f0a1b2c3d4e5f60718293a4b5c6d7e8f",
  signers: [
    { name: "张三", role: "applicant" },
    { name: "李四", role: "respondent" },
  ],
  verifyUrl: "https://notarium.example.cn/v/NTR-7K3M9QX2V8DPW4RT",
};
const proofJson = new TextEncoder().encode(
  JSON.stringify({ entries: Array.from({ length: 20 }, (_, i) => ({ i, h: "ab".repeat(32) })) }),
);
const options = () => ({ seal, proofJson, signer, clock: fixedClock("2026-11-26T10:00:00Z") });

async function agreement(pages) {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let p = 0; p < pages; p++) {
    const page = doc.addPage([595.28, 841.89]);
    for (let l = 0; l < 45; l++) {
      page.drawText(
        `${p + 1}.${l + 1} The parties agree to settle the dispute as set out in this clause of the agreement.`,
        {
          x: 50,
          y: 790 - l * 16,
          size: 9,
          font,
        },
      );
    }
  }
  return doc.save({ useObjectStreams: false });
}

async function timeIt(fn) {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

/** Runs `script` in a fresh Node process (argv[1] = file) and returns the number it prints. */
function probe(file, script) {
  const code = `
    import { readFileSync } from "node:fs";
    ${script}
  `;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", code, file], {
    cwd: root,
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`probe failed: ${r.stderr}`);
  return Number(r.stdout);
}

/** Peak RSS of a fresh Node process that runs `script` (VmHWM, as the kernel counts it). */
function peakMemory(file, script) {
  return probe(
    file,
    `${script}
    const hwm = /VmHWM:\\s+(\\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
    process.stdout.write(String(hwm ? Number(hwm[1]) * 1024 : process.resourceUsage().maxRSS * 1024));`,
  );
}

export async function run({ log, quick }) {
  const rows = [];
  const t = tempDir("pdf");
  try {
    const small = await agreement(3);
    const large = await agreement(200);
    const n = quick ? 5 : 11;

    // The first seal of a process parses the font; timed in fresh processes, because this one
    // carries whatever the suites before it left on its heap.
    const smallPath = join(t.dir, "small.pdf");
    writeFileSync(smallPath, small);
    const dist = (p) => pathToFileURL(join(root, "dist", p)).href;
    const sealScript = `const { sealPdf } = await import(${JSON.stringify(dist("pdf/seal-pdf.js"))});
       const { createPdfCertificate, pdfSignerFromPem } = await import(${JSON.stringify(dist("pdf/pdf-certificate.js"))});
       const { fixedClock } = await import(${JSON.stringify(dist("core/clock.js"))});
       const clock = fixedClock("2026-11-26T10:00:00Z");
       const c = createPdfCertificate({ commonName: "bench", clock, randomBytes: (n) => new Uint8Array(n).fill(7) });
       const signer = pdfSignerFromPem(c.certificatePem, c.privateKeyPem);
       const input = new Uint8Array(readFileSync(process.argv[1]));`;
    const colds = [];
    for (let i = 0; i < 3; i++) {
      colds.push(
        probe(
          smallPath,
          `${sealScript}
           const t0 = performance.now();
           await sealPdf(input, { seal: ${JSON.stringify(seal)}, proofJson: new Uint8Array(4096), signer, clock });
           process.stdout.write(String(performance.now() - t0));`,
        ),
      );
    }
    const cold = median(colds);
    await sealPdf(small, options()); // warm this process for the medians below
    const sealTimes = [];
    for (let i = 0; i < n; i++) sealTimes.push(await timeIt(() => sealPdf(small, options())));
    const rewrite = [];
    for (let i = 0; i < n; i++)
      rewrite.push(await timeIt(async () => (await PDFDocument.load(small)).save()));
    const sealSmall = median(sealTimes);
    log(`seal 3 pages: cold ${cold.toFixed(0)} ms, median ${sealSmall.toFixed(1)} ms`);
    rows.push(
      row(
        "seal 3-page agreement (median)",
        sealSmall,
        "ms",
        "pdf-lib load+save (full rewrite)",
        median(rewrite),
        "< 500 ms",
        sealSmall < 500,
      ),
    );
    rows.push(
      row(
        "seal 3-page agreement, first call in a fresh process (parses the 8 MB font; median of 3)",
        cold,
        "ms",
        undefined,
        undefined,
        "< 2000 ms",
        cold < 2000,
      ),
    );

    const largeTimes = [];
    const largeRewrite = [];
    for (let i = 0; i < (quick ? 1 : 3); i++) {
      largeTimes.push(await timeIt(() => sealPdf(large, options())));
      largeRewrite.push(await timeIt(async () => (await PDFDocument.load(large)).save()));
    }
    const sealLarge = median(largeTimes);
    log(`seal 200 pages: median ${sealLarge.toFixed(0)} ms`);
    rows.push(
      row(
        "seal 200-page agreement (median)",
        sealLarge,
        "ms",
        "pdf-lib load+save (full rewrite)",
        median(largeRewrite),
        "< 5000 ms",
        sealLarge < 5000,
      ),
    );

    const largePath = join(t.dir, "large.pdf");
    writeFileSync(largePath, large);
    const peak = peakMemory(
      largePath,
      `${sealScript}
       for (let i = 0; i < 3; i++) await sealPdf(input, { seal: ${JSON.stringify(seal)}, proofJson: new Uint8Array(4096), signer, clock });`,
    );
    const idle = peakMemory(largePath, `await import(${JSON.stringify(dist("pdf/seal-pdf.js"))});`);
    log(`peak RSS sealing 200 pages three times: ${(peak / 2 ** 20).toFixed(0)} MiB`);
    rows.push(
      row(
        "peak RSS, sealing a 200-page agreement 3× (child process)",
        peak / 2 ** 20,
        "MiB",
        "same process, modules loaded only",
        idle / 2 ** 20,
        "< 300 MiB",
        peak < 300 * 2 ** 20,
      ),
    );

    const sealed = await sealPdf(small, options());
    await verifySealedPdf(sealed);
    const verifyTimes = [];
    for (let i = 0; i < n * 2; i++)
      verifyTimes.push(await timeIt(() => verifySealedPdf(sealed, { certificatePem: cert.certificatePem })));
    const sealedPath = join(t.dir, "sealed.pdf");
    writeFileSync(sealedPath, sealed);
    let pdfsig;
    const pdfsigCheck = spawnSync("pdfsig", ["-v"]);
    if (!pdfsigCheck.error) {
      const ts = [];
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        spawnSync("pdfsig", [sealedPath]);
        ts.push(performance.now() - t0);
      }
      pdfsig = median(ts);
    }
    const verify = median(verifyTimes);
    log(`verify sealed 3 pages: median ${verify.toFixed(1)} ms`);
    rows.push(
      row(
        "verify a sealed 3-page PDF (median)",
        verify,
        "ms",
        pdfsig === undefined ? undefined : "pdfsig process (poppler + NSS)",
        pdfsig,
        "< 200 ms",
        verify < 200,
      ),
    );
  } finally {
    t.remove();
  }
  return rows;
}
