/**
 * The drawings, as content streams for two form XObjects (ISO 32000-1 §8.10):
 *  - the round seal (圆形印章) in a [-50, 50]² box: a thick and a thin red
 *    ring, the centre's name along the top arc, a five-pointed star, the
 *    label, a short digest, and the evidence ID along the bottom arc;
 *  - the verification panel beside it: a vector QR code to the verify page
 *    and the evidence ID, digest, signers, time and URL in plain words.
 * Everything is drawn with the one embedded CJK font (resource /F0).
 */
import { Content } from "./content-builder.js";
import { drawQr } from "./qr-path.js";
import type { SealFont } from "./seal-font.js";
import { formatSealTime, type ResolvedSealSpec, roleLabel } from "./seal-spec.js";

export const SEAL_RADIUS = 50;
export const PANEL_WIDTH = 270;
export const PANEL_HEIGHT = 100;
/** How far the seal is stamped over the panel's right edge. */
export const SEAL_OVERLAP = 22;

const SEAL_RED: [number, number, number] = [0.86, 0.08, 0.1];
const INK: [number, number, number] = [0.62, 0.07, 0.07];
const FONT = "F0";
/** Height of a glyph's visual centre above the baseline, in em (ideographic em box 0.88/−0.12). */
const MID = 0.37;

type Matrix = [number, number, number, number, number, number];

/** Text matrix placing a glyph run's visual centre at (x, y), rotated φ radians counter-clockwise. */
function centredAt(x: number, y: number, phi: number, width: number, size: number): Matrix {
  const c = Math.cos(phi);
  const s = Math.sin(phi);
  const dx = -width / 2;
  const dy = -MID * size;
  return [c, s, -s, c, x + c * dx - s * dy, y + s * dx + c * dy];
}

function star(c: Content, cx: number, cy: number, ro: number): void {
  const ri = ro * 0.382;
  for (let k = 0; k < 10; k++) {
    const r = k % 2 === 0 ? ro : ri;
    const a = Math.PI / 2 + (k * Math.PI) / 5;
    const x = cx + r * Math.cos(a);
    const y = cy + r * Math.sin(a);
    if (k === 0) c.moveTo(x, y);
    else c.lineTo(x, y);
  }
  c.close().fill();
}

/** Largest size ≤ max at which `text` fits in `width`. */
function fittedSize(font: SealFont, text: string, width: number, max: number): number {
  const w = font.width(text, max);
  return w <= width ? max : (max * width) / w;
}

export function sealArtwork(font: SealFont, spec: ResolvedSealSpec): string {
  const c = new Content();
  const R = SEAL_RADIUS;
  c.gs("G0")
    .strokeRgb(...SEAL_RED)
    .fillRgb(...SEAL_RED);
  c.lineWidth(2.8)
    .circle(0, 0, R - 1.4)
    .stroke();
  c.lineWidth(0.7)
    .circle(0, 0, R - 5.2)
    .stroke();

  // Top arc: the centre's name, clockwise from the left, each glyph upright along the radius.
  const chars = [...spec.centreName];
  const span = (Math.min(230, Math.max(120, chars.length * 23)) * Math.PI) / 180;
  const step = span / chars.length;
  const rText = R - 14.5;
  const size = Math.min(13.5, step * rText * 0.92);
  chars.forEach((ch, i) => {
    const theta = -span / 2 + step * (i + 0.5); // clockwise from 12 o'clock
    const x = rText * Math.sin(theta);
    const y = rText * Math.cos(theta);
    c.text(FONT, size, centredAt(x, y, -theta, font.width(ch, size), size), font.encode(ch));
  });

  star(c, 0, 3, 14);

  const labelSize = fittedSize(font, spec.label, 52, 6.3);
  c.text(
    FONT,
    labelSize,
    centredAt(0, -16.5, 0, font.width(spec.label, labelSize), labelSize),
    font.encode(spec.label),
  );
  const short = `SHA-256 ${spec.digest.slice(0, 12)}`;
  const shortSize = fittedSize(font, short, 44, 4.4);
  c.text(
    FONT,
    shortSize,
    centredAt(0, -25.5, 0, font.width(short, shortSize), shortSize),
    font.encode(short),
  );

  // Bottom arc: the evidence ID read left to right, glyph tops towards the centre.
  const id = [...spec.evidenceId];
  const rId = R - 11;
  let idSize = 5.6;
  const spacing = 0.35;
  const widths = (s: number) => id.map((ch) => font.width(ch, s) + spacing);
  const maxArc = rId * ((130 * Math.PI) / 180);
  const total0 = widths(idSize).reduce((a, b) => a + b, 0);
  if (total0 > maxArc) idSize = (idSize * maxArc) / total0;
  const ws = widths(idSize);
  const total = ws.reduce((a, b) => a + b, 0);
  let along = 0;
  id.forEach((ch, i) => {
    const w = ws[i] as number;
    const alpha = (along + w / 2 - total / 2) / rId; // radians right of 6 o'clock
    along += w;
    const x = rId * Math.sin(alpha);
    const y = -rId * Math.cos(alpha);
    c.text(FONT, idSize, centredAt(x, y, alpha, w - spacing, idSize), font.encode(ch));
  });
  return c.toString();
}

/** Cuts `text` (with "…") so it fits `width` at `size`. */
function clip(font: SealFont, text: string, width: number, size: number): string {
  if (font.width(text, size) <= width) return text;
  const chars = [...text];
  while (chars.length > 1 && font.width(`${chars.join("")}…`, size) > width) chars.pop();
  return `${chars.join("")}…`;
}

/** Wraps the signers "name（role）" into at most `maxLines` lines. */
function signerLines(
  font: SealFont,
  spec: ResolvedSealSpec,
  width: number,
  size: number,
  maxLines: number,
): string[] {
  const items = spec.signers.map((s) => `${s.name}（${roleLabel(s.role)}）`);
  if (items.length === 0) return ["—"];
  const lines: string[] = [];
  let cur = "";
  for (let i = 0; i < items.length; i++) {
    const next = cur ? `${cur}、${items[i]}` : (items[i] as string);
    if (font.width(next, size) <= width || !cur) {
      cur = next;
      continue;
    }
    lines.push(`${cur}、`);
    cur = items[i] as string;
    if (lines.length === maxLines - 1) {
      const rest = items.length - i;
      // The count must survive a long name: the name is cut, never "等N人".
      if (rest > 1) {
        const more = ` 等${rest}人`;
        cur = `${clip(font, cur, width - font.width(more, size), size)}${more}`;
      }
      break;
    }
  }
  lines.push(cur);
  return lines.map((l) => clip(font, l, width, size));
}

export function panelArtwork(font: SealFont, spec: ResolvedSealSpec): string {
  const c = new Content();
  const W = PANEL_WIDTH;
  const H = PANEL_HEIGHT;
  // QR on an opaque white square so it scans over any page background.
  const qrSide = 76;
  const qx = 7;
  const qy = H - 7 - qrSide;
  c.q().gs("G1").fillRgb(1, 1, 1).rect(qx, qy, qrSide, qrSide).fill().Q();
  c.q().gs("G0").fillRgb(0.1, 0.05, 0.05);
  drawQr(c, spec.verifyUrl, qx, qy, qrSide);
  c.Q();

  c.q()
    .gs("G0")
    .strokeRgb(...SEAL_RED)
    .lineWidth(0.8)
    .rect(0.4, 0.4, W - 0.8, H - 0.8)
    .stroke();
  c.fillRgb(...INK);
  const cap = "扫码核验";
  const capSize = 6.2;
  c.text(FONT, capSize, [1, 0, 0, 1, qx + (qrSide - font.width(cap, capSize)) / 2, 5.5], font.encode(cap));

  const size = 6.6;
  const x0 = qx + qrSide + 8;
  const labelW = font.width("文件摘要", size) + 5;
  // Values stop where the seal is stamped over the panel.
  const valueW = W - SEAL_OVERLAP - x0 - labelW - 4;
  const rows: [string, string][] = [];
  rows.push(["证据编号", spec.evidenceId]);
  rows.push(["文件摘要", `SHA-256 ${spec.digest.slice(0, 12)}…${spec.digest.slice(-8)}`]);
  signerLines(font, spec, valueW, size, 3).forEach((l, i) => {
    rows.push([i === 0 ? "签署各方" : "", l]);
  });
  rows.push(["签章时间", formatSealTime(spec.time, spec.utcOffsetMinutes)]);
  rows.push(["核验网址", spec.verifyUrl]);
  const lineGap = Math.min(12, (H - 16) / rows.length);
  let y = H - 9 - size;
  for (const [label, value] of rows) {
    if (label) c.text(FONT, size, [1, 0, 0, 1, x0, y], font.encode(label));
    const v = clip(font, value, valueW, size);
    c.text(FONT, size, [1, 0, 0, 1, x0 + labelW, y], font.encode(v));
    y -= lineGap;
  }
  c.Q();
  return c.toString();
}
