import { isUtf8 } from "node:buffer";
import type { Request, Response } from "express";
import { AppError } from "../core/errors.js";
import { readRawBody } from "./raw-body.js";

/**
 * Reads a JSON request body of at most `limit` bytes: valid UTF-8 only, no
 * Content-Encoding, parsed once the whole body is in. Lean on purpose (one
 * Buffer.concat and one JSON.parse): it sits on the deposit hot path.
 */
export async function readJsonBody(req: Request, res: Response, limit: number): Promise<unknown> {
  const type = req.headers["content-type"] ?? "";
  // Most clients send no parameters at all: look for a charset only when there is one.
  const charset = type.includes(";")
    ? /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(type)?.[1]?.toLowerCase()
    : undefined;
  if (charset !== undefined && charset !== "utf-8" && charset !== "utf8") {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", "unsupported charset; send UTF-8 JSON");
  }
  const bytes = await readRawBody(
    req,
    res,
    limit,
    `the JSON body is larger than ${limit} bytes; split it, e.g. into smaller batches`,
  );
  // RFC 8259 §8.1: JSON is UTF-8. Decoding would turn bad bytes into U+FFFD, and that
  // changed text could be recorded for good; refuse it instead.
  if (!isUtf8(bytes)) throw new AppError("MALFORMED_JSON", "the request body is not valid UTF-8");
  try {
    return JSON.parse(bytes.toString("utf8"));
  } catch (cause) {
    throw new AppError("MALFORMED_JSON", "the request body is not valid JSON", { cause });
  }
}
