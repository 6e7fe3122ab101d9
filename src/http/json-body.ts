import type { Request, Response } from "express";
import { AppError } from "../core/errors.js";

/**
 * Reads a JSON request body of at most `limit` bytes: UTF-8 only, no
 * Content-Encoding, parsed once the whole body is in. Lean on purpose (one
 * Buffer.concat and one JSON.parse): it sits on the deposit hot path.
 */
export function readJsonBody(req: Request, res: Response, limit: number): Promise<unknown> {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i
    .exec(req.headers["content-type"] ?? "")?.[1]
    ?.toLowerCase();
  if (charset !== undefined && charset !== "utf-8" && charset !== "utf8") {
    return Promise.reject(new AppError("UNSUPPORTED_MEDIA_TYPE", "unsupported charset; send UTF-8 JSON"));
  }
  const encoding = req.headers["content-encoding"];
  if (encoding !== undefined && encoding.toLowerCase() !== "identity") {
    return Promise.reject(
      new AppError("UNSUPPORTED_MEDIA_TYPE", "unsupported Content-Encoding; send the body uncompressed"),
    );
  }
  const tooLarge = () => {
    res.setHeader("Connection", "close");
    return new AppError(
      "PAYLOAD_TOO_LARGE",
      `the JSON body is larger than ${limit} bytes; split it, e.g. into smaller batches`,
    );
  };
  if (Number(req.headers["content-length"]) > limit) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (e: AppError | undefined, value?: unknown) => {
      if (done) return;
      done = true;
      req.off("data", onData);
      if (e) {
        req.resume(); // discard the rest; the answer closes the connection
        reject(e);
      } else resolve(value);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) finish(tooLarge());
      else chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => {
      if (done) return;
      let value: unknown;
      try {
        value = JSON.parse(Buffer.concat(chunks, size).toString("utf8"));
      } catch (cause) {
        finish(new AppError("MALFORMED_JSON", "the request body is not valid JSON", { cause }));
        return;
      }
      finish(undefined, value);
    });
    req.once("close", () => {
      if (!req.complete)
        finish(new AppError("UPLOAD_INCOMPLETE", "the request body was cut off before it finished"));
    });
    req.once("error", (cause) =>
      finish(new AppError("UPLOAD_INCOMPLETE", "the request body failed before it finished", { cause })),
    );
  });
}
