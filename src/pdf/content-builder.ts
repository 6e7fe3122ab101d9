/**
 * A small writer of content-stream operators (ISO 32000-1 §8.2, Annex A):
 * numbers with at most 3 decimals and never in exponent form, so streams
 * are compact and byte-for-byte reproducible.
 */
export function num(x: number): string {
  if (!Number.isFinite(x)) throw new Error(`non-finite number in content stream: ${x}`);
  const r = Math.round(x * 1000) / 1000;
  if (Object.is(r, -0) || r === 0) return "0";
  return r.toFixed(3).replace(/\.?0+$/, "");
}

/** Bézier circle constant: 4/3·(√2 − 1). */
const K = 0.5522847498;

export class Content {
  private readonly parts: string[] = [];

  raw(s: string): this {
    this.parts.push(s);
    return this;
  }
  private op(op: string, ...args: number[]): this {
    this.parts.push(args.length ? `${args.map(num).join(" ")} ${op}` : op);
    return this;
  }
  q = () => this.op("q");
  Q = () => this.op("Q");
  cm = (a: number, b: number, c: number, d: number, e: number, f: number) => this.op("cm", a, b, c, d, e, f);
  translate = (x: number, y: number) => this.cm(1, 0, 0, 1, x, y);
  scale = (s: number) => this.cm(s, 0, 0, s, 0, 0);
  fillRgb = (r: number, g: number, b: number) => this.op("rg", r, g, b);
  strokeRgb = (r: number, g: number, b: number) => this.op("RG", r, g, b);
  lineWidth = (w: number) => this.op("w", w);
  rect = (x: number, y: number, w: number, h: number) => this.op("re", x, y, w, h);
  moveTo = (x: number, y: number) => this.op("m", x, y);
  lineTo = (x: number, y: number) => this.op("l", x, y);
  curveTo = (a: number, b: number, c: number, d: number, e: number, f: number) =>
    this.op("c", a, b, c, d, e, f);
  close = () => this.op("h");
  fill = () => this.op("f");
  stroke = () => this.op("S");
  clip = () => this.op("W n");
  gs = (name: string) => this.raw(`/${name} gs`);
  doXObject = (name: string) => this.raw(`/${name} Do`);

  circle(cx: number, cy: number, r: number): this {
    const k = r * K;
    this.moveTo(cx + r, cy);
    this.curveTo(cx + r, cy + k, cx + k, cy + r, cx, cy + r);
    this.curveTo(cx - k, cy + r, cx - r, cy + k, cx - r, cy);
    this.curveTo(cx - r, cy - k, cx - k, cy - r, cx, cy - r);
    this.curveTo(cx + k, cy - r, cx + r, cy - k, cx + r, cy);
    return this.close();
  }

  /** One text run: `glyphs` is an encoded hex string, placed by a full text matrix (§9.4.2). */
  text(
    font: string,
    size: number,
    m: [number, number, number, number, number, number],
    glyphs: string,
  ): this {
    return this.raw(`BT /${font} ${num(size)} Tf ${m.map(num).join(" ")} Tm ${glyphs} Tj ET`);
  }

  toString(): string {
    return this.parts.join("\n");
  }
}
