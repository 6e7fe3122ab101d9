/**
 * Reads the cross-reference chain the way a conforming reader does
 * (ISO 32000-1 §7.5.4 xref tables, §7.5.5 trailer, §7.5.6 incremental
 * updates, §7.5.8 xref streams and hybrid files): from the last `startxref`
 * through every /Prev, newest entry per object number first. pdf-lib
 * ignores xref data and rebuilds objects by scanning, so a file whose xref
 * points at garbage would look fine to it but not to Acrobat or poppler;
 * appending an update whose /Prev leads there would hide the damage. Every
 * in-use entry must therefore point at its own "n g obj" header.
 */
import {
  decodePDFRawStream,
  PDFArray,
  type PDFContext,
  PDFDict,
  PDFName,
  PDFNumber,
  PDFObjectParser,
  PDFRawStream,
  PDFRef,
} from "pdf-lib";
import { ValidationError } from "../core/errors.js";
import type { Budget } from "./pdf-limits.js";

export interface XrefEntry {
  /** 0 free, 1 at a byte offset, 2 inside an object stream (ISO 32000-1 Table 18). */
  type: 0 | 1 | 2;
  /** Type 1: byte offset; type 2: object number of the object stream. */
  field2: number;
  /** Type 1: generation; type 2: index in the object stream. */
  field3: number;
}

export interface XrefChain {
  /** Offset of the newest section: the /Prev of the next update. */
  startxref: number;
  kind: "table" | "stream";
  /** The newest trailer (or xref stream dictionary). */
  trailer: PDFDict;
  size: number;
  entries: Map<number, XrefEntry>;
  sections: number;
}

const corrupt = (msg: string) => new ValidationError("CORRUPT", `damaged PDF: ${msg}`);

const WS = new Uint8Array(256);
for (const c of [0, 9, 10, 12, 13, 32]) WS[c] = 1;

class Lexer {
  constructor(
    readonly b: Uint8Array,
    public p: number,
  ) {}
  ws(): void {
    for (;;) {
      while (this.p < this.b.length && WS[this.b[this.p] as number]) this.p++;
      if (this.b[this.p] !== 0x25) return; // '%' comment to end of line
      while (this.p < this.b.length && this.b[this.p] !== 10 && this.b[this.p] !== 13) this.p++;
    }
  }
  int(): number | undefined {
    this.ws();
    const s = this.p;
    let v = 0;
    while (this.p < this.b.length && (this.b[this.p] as number) >= 48 && (this.b[this.p] as number) <= 57) {
      v = v * 10 + ((this.b[this.p] as number) - 48);
      this.p++;
      if (v > Number.MAX_SAFE_INTEGER / 10) return undefined;
    }
    return this.p === s ? undefined : v;
  }
  keyword(k: string): boolean {
    this.ws();
    for (let i = 0; i < k.length; i++) if (this.b[this.p + i] !== k.charCodeAt(i)) return false;
    this.p += k.length;
    return true;
  }
}

/** Finds `startxref N %%EOF` at the end of the file (ISO 32000-1 §7.5.5). */
export function findStartXref(bytes: Uint8Array): number {
  const tailStart = Math.max(0, bytes.length - 4096);
  const tail = new TextDecoder("latin1").decode(bytes.subarray(tailStart));
  const at = tail.lastIndexOf("startxref");
  if (at < 0) throw corrupt("no startxref at the end (truncated?)");
  const m = /^startxref\s+(\d{1,15})\s+%%EOF/.exec(tail.slice(at));
  if (!m) throw corrupt("no %%EOF after startxref (truncated?)");
  const offset = Number(m[1]);
  if (offset <= 0 || offset >= bytes.length) throw corrupt(`startxref ${offset} is outside the file`);
  return offset;
}

/** The "n g obj" header at `offset`, if any. */
export function objectHeaderAt(
  bytes: Uint8Array,
  offset: number,
): { num: number; gen: number; end: number } | undefined {
  const lx = new Lexer(bytes, offset);
  const num = lx.int();
  const gen = lx.int();
  if (num === undefined || gen === undefined || !lx.keyword("obj")) return undefined;
  return { num, gen, end: lx.p };
}

function readTable(bytes: Uint8Array, lx: Lexer, into: Map<number, XrefEntry>, budget: Budget): void {
  for (;;) {
    const save = lx.p;
    const start = lx.int();
    if (start === undefined) {
      lx.p = save;
      return;
    }
    const count = lx.int();
    if (count === undefined || count > 10_000_000) throw corrupt("bad xref subsection header");
    for (let i = 0; i < count; i++) {
      const off = lx.int();
      const gen = lx.int();
      lx.ws();
      const t = bytes[lx.p++];
      if (off === undefined || gen === undefined || (t !== 0x6e && t !== 0x66))
        throw corrupt("bad xref table entry");
      if (!into.has(start + i)) into.set(start + i, { type: t === 0x6e ? 1 : 0, field2: off, field3: gen });
      if ((i & 4095) === 4095) budget.check();
    }
  }
}

/** PNG predictors (ISO 32000-1 §7.4.4.4, Table 9), as xref streams use them. */
function unpredict(data: Uint8Array, dict: PDFDict, context: PDFContext): Uint8Array {
  const parms = context.lookupMaybe(dict.get(PDFName.of("DecodeParms")), PDFDict);
  const pred = parms?.lookupMaybe(PDFName.of("Predictor"), PDFNumber)?.asNumber() ?? 1;
  if (pred < 10) {
    if (pred !== 1) throw corrupt("TIFF predictor in an xref stream");
    return data;
  }
  const cols = parms?.lookupMaybe(PDFName.of("Columns"), PDFNumber)?.asNumber() ?? 1;
  const rowLen = cols + 1;
  const rows = Math.floor(data.length / rowLen);
  const out = new Uint8Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const ft = data[r * rowLen] as number;
    for (let c = 0; c < cols; c++) {
      const x = data[r * rowLen + 1 + c] as number;
      const a = c > 0 ? (out[r * cols + c - 1] as number) : 0;
      const up = r > 0 ? (out[(r - 1) * cols + c] as number) : 0;
      const ul = r > 0 && c > 0 ? (out[(r - 1) * cols + c - 1] as number) : 0;
      let v: number;
      if (ft === 0) v = x;
      else if (ft === 1) v = x + a;
      else if (ft === 2) v = x + up;
      else if (ft === 3) v = x + ((a + up) >> 1);
      else if (ft === 4) {
        const p = a + up - ul;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - up);
        const pc = Math.abs(p - ul);
        v = x + (pa <= pb && pa <= pc ? a : pb <= pc ? up : ul);
      } else throw corrupt("bad PNG predictor row in an xref stream");
      out[r * cols + c] = v & 0xff;
    }
  }
  return out;
}

function readStreamSection(
  stream: PDFRawStream,
  context: PDFContext,
  into: Map<number, XrefEntry>,
  budget: Budget,
): void {
  const d = stream.dict;
  const W = d.lookupMaybe(PDFName.of("W"), PDFArray);
  const size = d.lookupMaybe(PDFName.of("Size"), PDFNumber)?.asNumber();
  if (W?.size() !== 3 || size === undefined) throw corrupt("xref stream without /W or /Size");
  const w = [0, 1, 2].map((i) => W.lookup(i, PDFNumber).asNumber());
  if (w.some((x) => x < 0 || x > 8)) throw corrupt("xref stream /W out of range");
  const index = d.lookupMaybe(PDFName.of("Index"), PDFArray);
  const ranges: [number, number][] = [];
  if (index) {
    for (let i = 0; i + 1 < index.size(); i += 2) {
      ranges.push([index.lookup(i, PDFNumber).asNumber(), index.lookup(i + 1, PDFNumber).asNumber()]);
    }
  } else ranges.push([0, size]);
  const data = unpredict(decodePDFRawStream(stream).decode(), d, context);
  const rec = (w[0] as number) + (w[1] as number) + (w[2] as number);
  let p = 0;
  const field = (n: number, dflt: number) => {
    if (n === 0) return dflt;
    let v = 0;
    for (let i = 0; i < n; i++) v = v * 256 + (data[p++] as number);
    return v;
  };
  for (const [first, count] of ranges) {
    if (p + count * rec > data.length) throw corrupt("xref stream shorter than its /Index");
    for (let i = 0; i < count; i++) {
      const type = field(w[0] as number, 1);
      const f2 = field(w[1] as number, 0);
      const f3 = field(w[2] as number, 0);
      if ((type === 0 || type === 1 || type === 2) && !into.has(first + i))
        into.set(first + i, { type, field2: f2, field3: f3 });
      if ((i & 4095) === 4095) budget.check();
    }
  }
}

/** Reads an xref stream object at `offset` ("n g obj << /Type /XRef … >> stream"). */
function xrefStreamAt(bytes: Uint8Array, offset: number, context: PDFContext): PDFRawStream {
  const h = objectHeaderAt(bytes, offset);
  if (!h) throw corrupt(`no cross-reference section at offset ${offset}`);
  const obj = PDFObjectParser.forBytes(bytes.subarray(h.end), context).parseObject();
  if (!(obj instanceof PDFRawStream) || obj.dict.get(PDFName.of("Type")) !== PDFName.of("XRef")) {
    throw corrupt(`offset ${offset} is not an xref stream`);
  }
  return obj;
}

export function readXrefChain(bytes: Uint8Array, context: PDFContext, budget: Budget): XrefChain {
  const startxref = findStartXref(bytes);
  const entries = new Map<number, XrefEntry>();
  const seen = new Set<number>();
  let newest: { trailer: PDFDict; kind: "table" | "stream" } | undefined;
  let sections = 0;
  let offset: number | undefined = startxref;
  try {
    while (offset !== undefined) {
      if (seen.has(offset)) throw corrupt("the /Prev chain of cross-reference sections loops");
      if (offset <= 0 || offset >= bytes.length) throw corrupt(`xref offset ${offset} is outside the file`);
      seen.add(offset);
      if (++sections > 10_000)
        throw new ValidationError("PDF_TOO_COMPLEX", "more than 10000 cross-reference sections");
      budget.check();
      const lx = new Lexer(bytes, offset);
      let trailer: PDFDict;
      let kind: "table" | "stream";
      if (lx.keyword("xref")) {
        kind = "table";
        readTable(bytes, lx, entries, budget);
        if (!lx.keyword("trailer")) throw corrupt("xref table without trailer");
        lx.ws();
        const t = PDFObjectParser.forBytes(bytes.subarray(lx.p), context).parseObject();
        if (!(t instanceof PDFDict)) throw corrupt("trailer is not a dictionary");
        trailer = t;
        // Hybrid file (§7.5.8.4): the section's xref stream comes before /Prev.
        const stm = trailer.lookupMaybe(PDFName.of("XRefStm"), PDFNumber)?.asNumber();
        if (stm !== undefined && !seen.has(stm) && stm > 0 && stm < bytes.length) {
          seen.add(stm);
          readStreamSection(xrefStreamAt(bytes, stm, context), context, entries, budget);
        }
      } else {
        kind = "stream";
        const s = xrefStreamAt(bytes, offset, context);
        readStreamSection(s, context, entries, budget);
        trailer = s.dict;
      }
      newest ??= { trailer, kind };
      const prev = trailer.lookupMaybe(PDFName.of("Prev"), PDFNumber)?.asNumber();
      offset = prev;
    }
  } catch (e) {
    if (e instanceof ValidationError) throw e;
    throw corrupt(`unreadable cross-reference data (${(e as Error).message})`);
  }
  if (!newest) throw corrupt("no cross-reference section");
  const size = newest.trailer.lookupMaybe(PDFName.of("Size"), PDFNumber)?.asNumber();
  if (size === undefined || size <= 0) throw corrupt("trailer without /Size");
  // Every object a reader would fetch by offset must start where the xref says.
  for (const [num, e] of entries) {
    if (e.type !== 1 || num === 0) continue;
    const h = e.field2 > 0 && e.field2 < bytes.length ? objectHeaderAt(bytes, e.field2) : undefined;
    if (!h || h.num !== num)
      throw corrupt(`the xref entry of object ${num} points to offset ${e.field2}, where that object is not`);
  }
  return { startxref, kind: newest.kind, trailer: newest.trailer, size, entries, sections };
}

export function trailerRef(trailer: PDFDict, key: string): PDFRef | undefined {
  const v = trailer.get(PDFName.of(key));
  return v instanceof PDFRef ? v : undefined;
}
