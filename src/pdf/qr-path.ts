/**
 * A vector QR code (ISO/IEC 18004) as filled rectangles, one per horizontal
 * run of dark modules, so it stays sharp at any zoom and prints cleanly.
 */
import QRCode from "qrcode";
import type { Content } from "./content-builder.js";

/** Draws the QR symbol of `text` into the square [x, x+side]×[y, y+side] (quiet zone included). */
export function drawQr(
  c: Content,
  text: string,
  x: number,
  y: number,
  side: number,
  quietModules = 2,
): number {
  const qr = QRCode.create(text, { errorCorrectionLevel: "M" });
  const n = qr.modules.size;
  const m = side / (n + 2 * quietModules);
  for (let r = 0; r < n; r++) {
    let c0 = -1;
    for (let col = 0; col <= n; col++) {
      const dark = col < n && qr.modules.get(r, col);
      if (dark && c0 < 0) c0 = col;
      if (!dark && c0 >= 0) {
        // Row 0 is the top of the symbol; PDF y grows upwards.
        c.rect(x + (quietModules + c0) * m, y + side - (quietModules + r + 1) * m, (col - c0) * m, m);
        c0 = -1;
      }
    }
  }
  c.fill();
  return n;
}
