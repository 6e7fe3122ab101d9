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

/**
 * Writes JSON that is pure ASCII (asciiJson), as text or as the buffers
 * AsciiChunks made: one byte per character, so its length is its
 * Content-Length and it goes to the socket as is, in one write.
 */
export function sendAsciiJson(res: Response, body: string | readonly Buffer[], status = 200): void {
  res.statusCode = status;
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  if (typeof body === "string") {
    res.setHeader("Content-Length", body.length);
    res.end(body, "latin1");
    return;
  }
  sendJsonBytes(res, body, status);
}

/** Writes JSON already encoded as UTF-8, in pieces, with their total length. */
export function sendJsonBytes(res: Response, body: readonly Uint8Array[], status = 200): void {
  res.statusCode = status;
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  let length = 0;
  for (const b of body) length += b.length;
  res.setHeader("Content-Length", length);
  res.cork();
  for (const b of body) res.write(b);
  res.end();
  res.uncork();
}
