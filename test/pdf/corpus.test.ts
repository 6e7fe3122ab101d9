import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AppError } from "../../src/core/errors.js";
import { extractEmbeddedProof } from "../../src/pdf/embed-proof.js";
import { inspectPdf } from "../../src/pdf/inspect-pdf.js";
import { sealPdf } from "../../src/pdf/seal-pdf.js";
import { verifySealedPdf } from "../../src/pdf/verify-sealed-pdf.js";
import {
  corpus,
  corpusFile,
  proofJson,
  scratchDir,
  sealOptions,
  sealSpec,
  testCertificate,
  tool,
  writeTemp,
} from "./helpers.js";

const dir = scratchDir("corpus");

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "resolved";
  } catch (e) {
    return e instanceof AppError ? e.code : `non-AppError ${(e as Error)?.name}: ${(e as Error)?.message}`;
  }
}

/** The external checks every sealed output must pass. */
function externalChecks(name: string, path: string, previouslySigned: boolean): void {
  const q = tool("qpdf", ["--check", path]);
  expect(q.stdout, `${name}: qpdf --check\n${q.stdout}${q.stderr}`).toContain(
    "No syntax or stream encoding errors",
  );
  expect(q.status, `${name}: qpdf --check exit status`).toBe(0);

  const s = tool("pdfsig", [path]).stdout;
  const blocks = s.split(/^Signature #\d+:/m).slice(1);
  expect(blocks.length, `${name}: pdfsig signatures\n${s}`).toBe(previouslySigned ? 2 : 1);
  for (const b of blocks)
    expect(b, `${name}: every signature still valid\n${s}`).toContain("Signature is Valid.");
  const last = blocks[blocks.length - 1] as string;
  expect(last).toContain("Total document signed");
  expect(last).toContain("ETSI.CAdES.detached");
  if (previouslySigned) expect(blocks[0]).toContain("Not total document signed");

  const list = tool("pdfdetach", ["-list", path]).stdout;
  expect(list, `${name}: pdfdetach -list`).toContain("notarium-proof.json");
  const saved = join(dir, `${name}.proof.json`);
  const idx = /^(\d+): notarium-proof\.json$/m.exec(list)?.[1];
  expect(tool("pdfdetach", ["-save", idx ?? "1", "-o", saved, path]).status).toBe(0);
  expect(new Uint8Array(readFileSync(saved))).toEqual(proofJson);

  const fonts = tool("pdffonts", [path]).stdout;
  expect(fonts, `${name}: pdffonts\n${fonts}`).toMatch(
    /^[A-Z]{6}\+NotoSansHans-Bold\s+CID Type 0C\s+Identity-H\s+yes\s+yes\s+yes/m,
  );
}

describe("PDF corpus (fixtures/pdf/corpus.json)", () => {
  it("has the documents the issue asks for", () => {
    expect(Object.keys(corpus).length).toBeGreaterThanOrEqual(24);
    const expects = new Set(Object.values(corpus).map((e) => e.expect));
    for (const code of ["seal", "ENCRYPTED", "CORRUPT", "NOT_PDF", "EMPTY"]) expect(expects).toContain(code);
  });

  for (const [name, entry] of Object.entries(corpus)) {
    if (entry.expect === "seal") {
      it(`${name} seals, keeps its bytes as a prefix and passes qpdf, pdfsig, pdfdetach, pdffonts (${entry.note})`, async () => {
        const input = corpusFile(name);
        const info = await inspectPdf(input);
        if (entry.pages !== undefined) expect(info.pages.length).toBe(entry.pages);
        if (entry.version !== undefined) expect(info.version).toBe(entry.version);
        expect(info.signed).toBe(entry.signed === true);

        const t0 = performance.now();
        const out = await sealPdf(input, sealOptions());
        expect(performance.now() - t0, "sealing time").toBeLessThan(5000);
        expect(out.length).toBeGreaterThan(input.length);
        expect(out.subarray(0, input.length)).toEqual(input);

        const path = writeTemp(dir, name, out);
        externalChecks(name, path, entry.signed === true);

        const v = await verifySealedPdf(out, { certificatePem: testCertificate.certificatePem });
        expect(v.checks.filter((c) => !c.ok)).toEqual([]);
        expect(v.valid).toBe(true);
        expect(v.originalLength).toBe(input.length);
        expect(await extractEmbeddedProof(out)).toEqual(proofJson);
        expect((await inspectPdf(out)).pages.length).toBe(info.pages.length);
      });
    } else {
      it(`${name} is refused with ${entry.expect} within 5 s (${entry.note})`, async () => {
        const input = corpusFile(name);
        const t0 = performance.now();
        expect(await codeOf(inspectPdf(input))).toBe(entry.expect);
        expect(await codeOf(sealPdf(input, sealOptions()))).toBe(entry.expect);
        expect(performance.now() - t0).toBeLessThan(5000);
      });
    }
  }

  for (const name of [
    "agreement-3p.pdf",
    "rotated.pdf",
    "mixed-sizes.pdf",
    "nonzero-origin.pdf",
    "signed-ecdsa.pdf",
  ]) {
    it(`${name} with a 骑缝章 edge strip on every page still passes the external checks`, async () => {
      const input = corpusFile(name);
      const out = await sealPdf(input, sealOptions({ seal: { ...sealSpec, pages: "all-edge" } }));
      expect(out.subarray(0, input.length)).toEqual(input);
      externalChecks(`edge-${name}`, writeTemp(dir, `edge-${name}`, out), corpus[name]?.signed === true);
      expect((await verifySealedPdf(out)).valid).toBe(true);
    });
  }
});
