/**
 * The one embedded font of the seal: a CJK OpenType font, subset to the
 * glyphs drawn (ISO 32000-1 §9.6.4 subset tag, §9.7 Type 0 / CIDFontType0C).
 * pdf-lib's bundled @pdf-lib/fontkit writes broken CID-keyed CFF subsets
 * (research: tofu without a system font), so upstream fontkit 2 is plugged
 * in through a small adapter that adds the `encodeStream()` pdf-lib 1.17
 * expects. Parsed fonts are cached per byte buffer: parsing the 8 MB face is
 * the most expensive step of a seal.
 */
import * as fontkit from "fontkit";
import { CustomFontSubsetEmbedder, type PDFContext, type PDFRef } from "pdf-lib";
import { toHex } from "../core/bytes.js";
import { nameCharacters } from "../core/characters.js";
import { ValidationError } from "../core/errors.js";
import { sha256 } from "../crypto/sha256.js";

type FkFont = fontkit.Font;
type Handlers = { data?: (b: Uint8Array) => void; end?: () => void; error?: (e: unknown) => void };

const parsed = new WeakMap<Uint8Array, FkFont>();

/** What the bundled seal font (font-file.ts) can show, for messages refusing a text it cannot. */
export const SEAL_FONT_COVERAGE =
  "it covers the CJK Unified Ideographs and Extension A (about 27,500 ideographs), Latin and common punctuation, but few ideographs of Extension B and later";

/** Variation selectors (U+FE00-FE0F, U+E0100-E01EF): shaping folds them into the character before. */
const isVariationSelector = (cp: number) =>
  (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef);

/**
 * The distinct characters of `text` that `font` has no glyph for, white space
 * and invisible characters included (the seal draws every one). Variation
 * selectors are not counted: shaping folds them into the character before,
 * which is drawn as it is. (fontkit shares one .notdef glyph object across
 * runs, so a shaped run cannot say which character it stood for.)
 */
function lacking(font: FkFont, text: string): string[] {
  const out = new Set<string>();
  for (const ch of text) {
    const cp = ch.codePointAt(0) as number;
    if (!isVariationSelector(cp) && !font.hasGlyphForCodePoint(cp)) out.add(ch);
  }
  return [...out];
}

/**
 * The characters of `text` the seal cannot show with the font `fontBytes`
 * (none when it can): for refusing a party's name when a case is opened, not
 * only when its agreement is sealed, after every party has signed.
 */
export function sealFontLacks(fontBytes: Uint8Array, text: string): string[] {
  return lacking(parseFont(fontBytes), text);
}

function parseFont(data: Uint8Array): FkFont {
  const hit = parsed.get(data);
  if (hit) return hit;
  let f: FkFont | fontkit.FontCollection;
  try {
    f = fontkit.create(data as unknown as Buffer);
  } catch (cause) {
    throw new ValidationError("INVALID_ARGUMENT", "seal font: not a readable OpenType/TrueType font", {
      cause,
    });
  }
  if (!("layout" in f))
    throw new ValidationError("INVALID_ARGUMENT", "seal font: give one face, not a font collection (.ttc)");
  const font = f;
  const createSubset = font.createSubset.bind(font);
  // pdf-lib 1.17 reads subsets through the fontkit 1 stream API.
  font.createSubset = () => {
    const subset = createSubset() as fontkit.Subset & { encode(): Uint8Array; encodeStream?: unknown };
    subset.encodeStream = () => {
      const h: Handlers = {};
      const emitter = {
        on(ev: keyof Handlers, fn: never) {
          h[ev] = fn;
          return emitter;
        },
      };
      queueMicrotask(() => {
        try {
          h.data?.(subset.encode());
          h.end?.();
        } catch (e) {
          h.error?.(e);
        }
      });
      return emitter;
    };
    return subset;
  };
  parsed.set(data, font);
  return font;
}

const adapter = { create: (data: Uint8Array) => parseFont(data) };

/** The fontkit 2 adapter for `PDFDocument.registerFontkit`, for documents drawn from scratch with the CJK face. */
export const fontkitAdapter = adapter as never;

/** A subset font being filled by the seal drawing; embed once at the end. */
export class SealFont {
  private readonly glyphIds = new Set<number>();

  private constructor(
    private readonly font: FkFont,
    private readonly embedder: CustomFontSubsetEmbedder,
  ) {}

  static async create(fontBytes: Uint8Array): Promise<SealFont> {
    const font = parseFont(fontBytes);
    const embedder = await CustomFontSubsetEmbedder.for(adapter as never, fontBytes);
    return new SealFont(font, embedder);
  }

  /** The glyph-id string for a text show operator (Identity-H), e.g. "<0012003a>". */
  encode(text: string): string {
    const run = this.font.layout(text);
    if (run.glyphs.some((g) => g.id === 0)) {
      const missing = lacking(this.font, text);
      throw new ValidationError(
        "FONT_MISSING_GLYPH",
        `the seal font (Noto Sans CJK SC) has no glyph for ${nameCharacters(missing) || JSON.stringify(text)}, so the seal cannot show it; ${SEAL_FONT_COVERAGE}`,
      );
    }
    for (const g of run.glyphs) this.glyphIds.add(g.id);
    return this.embedder.encodeText(text).toString();
  }

  /** Advance width in points at `size`. */
  width(text: string, size: number): number {
    return this.embedder.widthOfTextAtSize(text, size);
  }

  /** Writes the Type 0 font with its subset under `ref`, named with a tag derived from the glyphs used. */
  async embed(context: PDFContext, ref: PDFRef): Promise<void> {
    const ids = [...this.glyphIds].sort((a, b) => a - b).join(",");
    const h = sha256(new TextEncoder().encode(ids));
    const tag = [...h.subarray(0, 6)].map((b) => String.fromCharCode(65 + (b % 26))).join("");
    // ISO 32000-1 §9.6.4: subset fonts are named "ABCDEF+PostScriptName"; also keeps output deterministic.
    (this.embedder as unknown as { customName: string }).customName = `${tag}+${this.embedder.fontName}`;
    await this.embedder.embedIntoContext(context, ref);
  }

  /** A short hex identity of the glyph set, for tests. */
  glyphSetId(): string {
    return toHex(sha256(new TextEncoder().encode([...this.glyphIds].sort((a, b) => a - b).join(",")))).slice(
      0,
      12,
    );
  }
}
