import type { Response } from "express";

/**
 * Writes a JSON answer directly: one JSON.stringify and one write, skipping
 * express's res.json/res.send layers (which copy large strings into a Buffer
 * to measure them). Receipts are large and deposits are the hot path.
 */
export function sendJson(res: Response, value: unknown, status = 200): void {
  const text = JSON.stringify(value);
  res.statusCode = status;
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.setHeader("Content-Length", Buffer.byteLength(text));
  res.end(text); // Node drops the body itself for HEAD requests
}
