/**
 * Loads the seal's CJK font from the installed npm package
 * @embedpdf/fonts-sc (Noto Sans CJK SC as "Noto Sans Hans", SIL OFL 1.1,
 * licence text in the package's LICENSE): about 30,800 characters, the CJK
 * Unified Ideographs block and Extension A whole (far beyond GB 2312, which the
 * package's description names), 211 ideographs of Extension B, Latin and
 * punctuation. Never a system font. Kept
 * apart from the byte-in, byte-out PDF code, which never touches the disk.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

export type SealFontWeight = "Regular" | "Medium" | "Bold";

const cache = new Map<SealFontWeight, Uint8Array>();

/** Path of the bundled OpenType face. */
export function sealFontPath(weight: SealFontWeight = "Bold"): string {
  const entry = createRequire(import.meta.url).resolve("@embedpdf/fonts-sc");
  return join(dirname(entry), "..", "fonts", `NotoSansHans-${weight}.otf`);
}

/** The font bytes, read once per process (the same buffer also keys the parsed-font cache). */
export function loadSealFont(weight: SealFontWeight = "Bold"): Uint8Array {
  let b = cache.get(weight);
  if (!b) {
    const buf = readFileSync(sealFontPath(weight));
    b = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    cache.set(weight, b);
  }
  return b;
}
