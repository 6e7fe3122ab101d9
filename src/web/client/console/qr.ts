import { toString as qrSvg } from "qrcode";

/** A QR code of `text` as inline SVG (no image request, nothing leaves the page). */
export async function qrCode(text: string, label: string): Promise<HTMLElement> {
  const svg = await qrSvg(text, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
  const doc = new DOMParser().parseFromString(svg, "image/svg+xml");
  const box = document.createElement("div");
  box.className = "qr";
  box.setAttribute("role", "img");
  box.setAttribute("aria-label", label);
  box.appendChild(document.importNode(doc.documentElement, true));
  return box;
}
