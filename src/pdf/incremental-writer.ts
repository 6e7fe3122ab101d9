/**
 * Incremental updates on top of pdf-lib (ISO 32000-1 §7.5.6): pdf-lib only
 * knows how to rewrite a whole file, which destroys the original bytes and
 * every signature in them. This writer snapshots the serialization of every
 * indirect object at load time; `commit()` appends only the objects that are
 * new or whose serialization changed, then a cross-reference section of the
 * same kind as the file's newest one (a classic table, or an xref stream per
 * §7.5.8) and a trailer with /Prev, so the input stays a byte-exact prefix.
 * Several commits chain, each one a further revision.
 */
import {
  PDFArray,
  type PDFContext,
  PDFHexString,
  PDFName,
  type PDFObject,
  PDFRawStream,
  type PDFRef,
  PDFString,
} from "pdf-lib";
import { concatBytes, toHex, utf8 } from "../core/bytes.js";
import { sha256 } from "../crypto/sha256.js";
import type { LoadedPdf } from "./load-pdf.js";
import { trailerRef } from "./xref-chain.js";

interface Fingerprint {
  object: PDFObject;
  /** Full serialization; for raw (parsed) streams only the dictionary: pdf-lib never edits their data in place. */
  bytes: Uint8Array;
}

function serialize(obj: PDFObject): Uint8Array {
  const out = new Uint8Array(obj.sizeInBytes());
  obj.copyBytesInto(out, 0);
  return out;
}

function fingerprint(obj: PDFObject): Fingerprint {
  return { object: obj, bytes: serialize(obj instanceof PDFRawStream ? obj.dict : obj) };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function stringBytes(o: unknown): Uint8Array | undefined {
  if (o instanceof PDFHexString || o instanceof PDFString) return o.asBytes();
  return undefined;
}

export interface CommitResult {
  /** The whole file: the previous bytes, unchanged, then the update. */
  bytes: Uint8Array;
  /** Offset where this update begins. */
  updateStart: number;
  /** Offset of this update's cross-reference section (its startxref). */
  xrefOffset: number;
  /** Byte offset of every object written, by object number. */
  offsets: Map<number, number>;
}

export class IncrementalWriter {
  private base: Uint8Array;
  private prev: number;
  private size: number;
  private readonly kind: "table" | "stream";
  private readonly context: PDFContext;
  private readonly root: PDFRef;
  private readonly info: PDFRef | undefined;
  private readonly id0: Uint8Array;
  private readonly snapshot = new Map<PDFRef, Fingerprint>();

  constructor(pdf: LoadedPdf) {
    this.base = pdf.bytes;
    this.prev = pdf.xref.startxref;
    this.size = pdf.xref.size;
    this.kind = pdf.xref.kind;
    this.context = pdf.context;
    this.root = pdf.catalogRef;
    this.info = trailerRef(pdf.xref.trailer, "Info");
    const id = pdf.xref.trailer.get(PDFName.of("ID"));
    const first = id instanceof PDFArray ? stringBytes(id.get(0)) : undefined;
    // ISO 32000-1 §14.4: keep the permanent identifier; a file without one gets a content-derived one.
    this.id0 = first && first.length > 0 ? first : sha256(pdf.bytes).subarray(0, 16);
    // New objects must not reuse numbers the xref already declares (free or not).
    this.context.largestObjectNumber = Math.max(this.context.largestObjectNumber, this.size - 1);
    for (const [ref, obj] of this.context.enumerateIndirectObjects())
      this.snapshot.set(ref, fingerprint(obj));
  }

  /** The file as of the last commit. */
  get bytes(): Uint8Array {
    return this.base;
  }

  private changedObjects(): [PDFRef, PDFObject, Uint8Array][] {
    const out: [PDFRef, PDFObject, Uint8Array][] = [];
    for (const [ref, obj] of this.context.enumerateIndirectObjects()) {
      const before = this.snapshot.get(ref);
      if (before && before.object === obj) {
        const now = serialize(obj instanceof PDFRawStream ? obj.dict : obj);
        if (sameBytes(now, before.bytes)) continue;
      }
      out.push([ref, obj, serialize(obj)]);
    }
    return out.sort((a, b) => a[0].objectNumber - b[0].objectNumber);
  }

  commit(): CommitResult {
    const changed = this.changedObjects();
    const start = this.base.length;
    const parts: Uint8Array[] = [];
    let pos = start;
    const push = (b: Uint8Array) => {
      parts.push(b);
      pos += b.length;
    };
    const last = this.base[this.base.length - 1];
    if (last !== 0x0a && last !== 0x0d) push(utf8("\n"));
    const offsets = new Map<number, number>();
    for (const [ref, , body] of changed) {
      offsets.set(ref.objectNumber, pos);
      push(utf8(`${ref.objectNumber} ${ref.generationNumber} obj\n`));
      push(body);
      push(utf8("\nendobj\n"));
    }
    const bodyHash = sha256(concatBytes(...parts));
    const id = `[<${toHex(this.id0)}> <${toHex(bodyHash.subarray(0, 16))}>]`;
    const gens = new Map(changed.map(([r]) => [r.objectNumber, r.generationNumber]));
    const xrefOffset = pos;
    let size = Math.max(this.size, this.context.largestObjectNumber + 1);
    const common = `/Root ${this.root.objectNumber} ${this.root.generationNumber} R${
      this.info ? ` /Info ${this.info.objectNumber} ${this.info.generationNumber} R` : ""
    } /Prev ${this.prev} /ID ${id}`;
    if (this.kind === "table") {
      push(utf8(`xref\n${xrefTable(offsets, gens)}trailer\n<< /Size ${size} ${common} >>\n`));
    } else {
      const xrefRef = this.context.nextRef();
      offsets.set(xrefRef.objectNumber, xrefOffset);
      gens.set(xrefRef.objectNumber, 0);
      size = Math.max(size, xrefRef.objectNumber + 1);
      const { index, data, w } = xrefStreamData(offsets, gens);
      push(
        utf8(
          `${xrefRef.objectNumber} 0 obj\n<< /Type /XRef /Size ${size} /W [${w.join(" ")}] /Index [${index.join(" ")}] ${common} /Length ${data.length} >>\nstream\n`,
        ),
      );
      push(data);
      push(utf8("\nendstream\nendobj\n"));
      // Keep pdf-lib from re-writing our xref stream number as a new object later.
      this.context.assign(xrefRef, this.context.obj({}));
      this.snapshot.set(xrefRef, fingerprint(this.context.lookup(xrefRef) as PDFObject));
    }
    push(utf8(`startxref\n${xrefOffset}\n%%EOF\n`));
    const bytes = concatBytes(this.base, ...parts);
    for (const [ref, obj] of changed) this.snapshot.set(ref, fingerprint(obj));
    this.base = bytes;
    this.prev = xrefOffset;
    this.size = size;
    return { bytes, updateStart: start, xrefOffset, offsets };
  }
}

/** Classic xref subsections (§7.5.4): runs of consecutive numbers, 20-byte entries. */
function xrefTable(offsets: Map<number, number>, gens: Map<number, number>): string {
  const nums = [...offsets.keys()].sort((a, b) => a - b);
  let out = "";
  for (let i = 0; i < nums.length; ) {
    let j = i;
    while (j + 1 < nums.length && nums[j + 1] === (nums[j] as number) + 1) j++;
    out += `${nums[i]} ${j - i + 1}\n`;
    for (let k = i; k <= j; k++) {
      const n = nums[k] as number;
      out += `${String(offsets.get(n)).padStart(10, "0")} ${String(gens.get(n) ?? 0).padStart(5, "0")} n\r\n`;
    }
    i = j + 1;
  }
  return out;
}

/** Xref stream rows (§7.5.8.2, Table 18): type 1 entries with byte offsets, uncompressed. */
function xrefStreamData(
  offsets: Map<number, number>,
  gens: Map<number, number>,
): { index: number[]; data: Uint8Array; w: number[] } {
  const nums = [...offsets.keys()].sort((a, b) => a - b);
  const maxOff = Math.max(...offsets.values());
  let w2 = 1;
  while (maxOff >= 256 ** w2) w2++;
  const w = [1, w2, 2];
  const rec = 1 + w2 + 2;
  const data = new Uint8Array(nums.length * rec);
  const index: number[] = [];
  let p = 0;
  for (let i = 0; i < nums.length; ) {
    let j = i;
    while (j + 1 < nums.length && nums[j + 1] === (nums[j] as number) + 1) j++;
    index.push(nums[i] as number, j - i + 1);
    for (let k = i; k <= j; k++) {
      const n = nums[k] as number;
      data[p++] = 1;
      const off = offsets.get(n) as number;
      for (let b = w2 - 1; b >= 0; b--) data[p++] = Math.floor(off / 256 ** b) & 0xff;
      const g = gens.get(n) ?? 0;
      data[p++] = (g >> 8) & 0xff;
      data[p++] = g & 0xff;
    }
    i = j + 1;
  }
  return { index, data, w };
}
