/** Sealed files are agreements: tens of MB at most. Bigger PDFs are checked by digest only. */
export const MAX_SEALED_PDF_BYTES = 128 * 1024 * 1024;

const latin1 = new TextDecoder("latin1");
// Either marker is written uncompressed by the seal's incremental update (src/pdf/seal-record.ts, embed-proof.ts).
const MARKERS = ["/NTRM_Seal", "notarium-proof.json"];
const SLICE = 4 * 1024 * 1024;
const OVERLAP = 32;

/**
 * A PDF that carries a Notarium seal: it starts with %PDF- and holds the seal
 * record or the embedded proof's name. The seal is appended, so the file is
 * searched from its end, slice by slice (memory stays flat for a plain PDF).
 * Returns the whole file's bytes (the PDF checks need them), or undefined.
 */
export async function readSealedPdf(file: Blob): Promise<Uint8Array | undefined> {
  if (file.size < 8 || file.size > MAX_SEALED_PDF_BYTES) return undefined;
  const head = latin1.decode(new Uint8Array(await file.slice(0, 1024).arrayBuffer()));
  if (!head.includes("%PDF-")) return undefined;
  for (let end = file.size; end > 0; end -= SLICE) {
    const start = Math.max(0, end - SLICE - OVERLAP);
    const text = latin1.decode(new Uint8Array(await file.slice(start, end).arrayBuffer()));
    if (MARKERS.some((m) => text.includes(m))) return new Uint8Array(await file.arrayBuffer());
  }
  return undefined;
}
