import { PDFName } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { IncrementalWriter } from "../../src/pdf/incremental-writer.js";
import { loadPdf } from "../../src/pdf/load-pdf.js";
import { findStartXref } from "../../src/pdf/xref-chain.js";
import { corpusFile, scratchDir, tool, writeTemp } from "./helpers.js";

const latin1 = new TextDecoder("latin1");
const dir = scratchDir("incr");

describe("IncrementalWriter", () => {
  for (const [name, kind] of [
    ["pdf14-classic.pdf", "table"],
    ["pdf15-objstm.pdf", "stream"],
    ["linearized.pdf", "table"],
    ["pdf13-handwritten.pdf", "table"],
  ] as const) {
    it(`appends only changed objects after ${name}, with a ${kind} xref section and /Prev`, async () => {
      const input = corpusFile(name);
      const pdf = await loadPdf(input);
      expect(pdf.xref.kind).toBe(kind);
      const w = new IncrementalWriter(pdf);
      pdf.catalog.set(PDFName.of("PageLayout"), PDFName.of("SinglePage"));
      const { bytes, updateStart, xrefOffset } = w.commit();
      expect(bytes.subarray(0, input.length)).toEqual(input);
      expect(updateStart).toBe(input.length);
      const update = latin1.decode(bytes.subarray(updateStart));
      const objects = [...update.matchAll(/^\d+ \d+ obj$/gm)].length;
      expect(objects).toBe(kind === "table" ? 1 : 2); // the catalog (+ the xref stream itself)
      expect(update).toContain(`/Prev ${findStartXref(input)}`);
      expect(update).toMatch(/\/ID \[<[0-9a-f]{32}> <[0-9a-f]{32}>\]/);
      if (kind === "table") expect(latin1.decode(bytes.subarray(xrefOffset, xrefOffset + 5))).toBe("xref\n");
      else expect(update).toContain("/Type /XRef");
      expect(findStartXref(bytes)).toBe(xrefOffset);
      const q = tool("qpdf", ["--check", writeTemp(dir, `once-${name}`, bytes)]);
      expect(q.stdout).toContain("No syntax or stream encoding errors");
      // The new revision is what readers see.
      expect((await loadPdf(bytes)).catalog.get(PDFName.of("PageLayout"))).toBe(PDFName.of("SinglePage"));
    });
  }

  it("chains commits: each update points at the previous one and keeps it as a prefix", async () => {
    const pdf = await loadPdf(corpusFile("pdf17-pdflib-objstm.pdf"));
    const w = new IncrementalWriter(pdf);
    pdf.catalog.set(PDFName.of("PageMode"), PDFName.of("UseNone"));
    const first = w.commit();
    pdf.pages[0]?.dict.set(PDFName.of("UserUnit"), pdf.context.obj(1));
    const second = w.commit();
    expect(second.bytes.subarray(0, first.bytes.length)).toEqual(first.bytes);
    expect(latin1.decode(second.bytes.subarray(second.updateStart))).toContain(`/Prev ${first.xrefOffset}`);
    const q = tool("qpdf", ["--check", writeTemp(dir, "twice.pdf", second.bytes)]);
    expect(q.stdout).toContain("No syntax or stream encoding errors");
    const reloaded = await loadPdf(second.bytes);
    expect(reloaded.xref.sections).toBe(3);
  });

  it("never reuses an object number the original xref declares", async () => {
    const input = corpusFile("pdf14-classic.pdf");
    const pdf = await loadPdf(input);
    new IncrementalWriter(pdf);
    expect(pdf.context.nextRef().objectNumber).toBeGreaterThanOrEqual(pdf.xref.size);
  });
});
