import { Busboy } from "@fastify/busboy";
import type { Request, Response } from "express";
import { concatBytes, toHex } from "../core/bytes.js";
import { AppError, ValidationError } from "../core/errors.js";
import { createThreadedSha256 } from "../crypto/sha256-thread.js";
import type { HashedUpload } from "./operation.js";

/** Room for multipart boundaries and part headers on top of the file itself. */
const ENVELOPE_BYTES = 64 * 1024;
const MAX_FIELD_BYTES = 4096;

interface ReceiveOptions {
  maxBytes: number;
  fields: readonly string[];
  /** Said when the file passes maxBytes: what to do instead. */
  tooLargeMessage: string;
  /** Takes each chunk of the file part as it arrives; a returned promise pauses the upload until it settles. */
  onChunk(chunk: Uint8Array): Promise<void> | undefined;
}

/**
 * Streams a multipart/form-data request through SHA-256: the `file` part is
 * hashed chunk by chunk as it arrives and never buffered or stored, so memory
 * stays flat whatever its size. The hashing runs on a second thread
 * (sha256-thread.ts), overlapping with receiving and parsing.
 */
export async function hashUpload(
  req: Request,
  res: Response,
  opts: { maxBytes: number; fields: readonly string[]; keepPdfUpTo?: number },
): Promise<HashedUpload> {
  const hash = createThreadedSha256();
  // A small PDF may be a sealed agreement, checked whole; anything else is only hashed.
  let kept: Uint8Array[] | undefined = opts.keepPdfUpTo ? [] : undefined;
  let keptBytes = 0;
  let received: { size: number; fields: Record<string, string> };
  try {
    received = await receiveUpload(req, res, {
      ...opts,
      tooLargeMessage: `the uploaded file is larger than the limit of ${opts.maxBytes} bytes; send its SHA-256 digest as JSON instead`,
      onChunk: (c) => {
        if (kept) {
          if (keptBytes === 0 && !(c[0] === 0x25 && c[1] === 0x50 && c[2] === 0x44 && c[3] === 0x46))
            kept = undefined;
          else if (keptBytes + c.length > (opts.keepPdfUpTo ?? 0)) kept = undefined;
          else {
            kept.push(c.slice());
            keptBytes += c.length;
          }
        }
        return hash.update(c);
      },
    });
  } catch (e) {
    hash.abort();
    throw e;
  }
  const { size, fields } = received;
  const upload: HashedUpload = { sha256: toHex(await hash.digest()), size, fields };
  if (kept && keptBytes > 0) {
    upload.pdf = concatBytes(...kept);
  }
  return upload;
}

/** Reads the `file` part of a multipart/form-data request whole (for files the service keeps, like agreements). */
export async function bufferUpload(
  req: Request,
  res: Response,
  opts: { maxBytes: number; tooLargeMessage: string },
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  await receiveUpload(req, res, {
    ...opts,
    fields: [],
    onChunk: (c) => {
      chunks.push(c);
      return undefined;
    },
  });
  return concatBytes(...chunks);
}

/**
 * Receives a multipart/form-data request with one `file` part and the given
 * text fields, handing the file's chunks to `onChunk`. Resolves only once the
 * whole form has arrived intact; an upload cut off mid-stream rejects
 * (UPLOAD_INCOMPLETE), so a caller can never act on half a file.
 */
function receiveUpload(
  req: Request,
  res: Response,
  opts: ReceiveOptions,
): Promise<{ size: number; fields: Record<string, string> }> {
  const tooLarge = () => new AppError("PAYLOAD_TOO_LARGE", opts.tooLargeMessage);
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > opts.maxBytes + ENVELOPE_BYTES) {
    res.setHeader("Connection", "close");
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    let bb: InstanceType<typeof Busboy>;
    try {
      // @fastify/busboy rather than busboy: its boundary search measured twice as fast, and
      // for a large upload the parser's share of the thread that reads the socket is what counts.
      bb = new Busboy({
        headers: req.headers as ConstructorParameters<typeof Busboy>[0]["headers"],
        // Large buffers mean fewer pause/resume round trips between the socket, the parser and the hash.
        highWaterMark: 1 << 20,
        fileHwm: 1 << 20,
        // One part more of each kind than allowed reaches the handlers below, which name it.
        limits: {
          files: 2,
          fileSize: opts.maxBytes,
          fields: opts.fields.length + 1,
          fieldSize: MAX_FIELD_BYTES,
          parts: opts.fields.length + 2,
        },
      });
    } catch (cause) {
      reject(
        new ValidationError(
          "UNSUPPORTED_MEDIA_TYPE",
          "malformed multipart/form-data content type (missing boundary?)",
          { cause },
        ),
      );
      return;
    }
    const fields: Record<string, string> = {};
    let size = 0;
    let sawFile = false;
    let fileDone = false;
    let formDone = false;
    let settled = false;

    const fail = (e: AppError) => {
      if (settled) return;
      settled = true;
      req.unpipe(bb);
      bb.removeAllListeners();
      bb.on("error", () => undefined);
      // Discard the rest of a refused upload until the answer is out, then drop the connection.
      res.setHeader("Connection", "close");
      req.resume();
      reject(e);
    };
    const finish = () => {
      if (settled || !fileDone || !formDone) return;
      settled = true;
      resolve({ size, fields });
    };

    bb.on("file", (name, stream) => {
      if (name !== "file" || sawFile) {
        stream.resume();
        fail(
          new ValidationError(
            "INVALID_ARGUMENT",
            name === undefined
              ? 'a form part has no name; send one part named "file"'
              : sawFile && name === "file"
                ? 'the form has a second part named "file"; send one file per request'
                : `unexpected file part "${name}"; send one part named "file"`,
          ),
        );
        return;
      }
      sawFile = true;
      stream.on("data", (chunk: Uint8Array) => {
        size += chunk.length;
        const wait = opts.onChunk(chunk);
        if (!wait) return;
        stream.pause();
        wait.then(
          () => stream.resume(),
          (cause: unknown) => {
            stream.resume();
            fail(new AppError("INTERNAL", "the upload could not be hashed", { cause }));
          },
        );
      });
      stream.on("limit", () => fail(tooLarge()));
      // busboy destroys the file stream too when the form is cut off; the form's error says why.
      stream.on("error", () =>
        fail(new ValidationError("UPLOAD_INCOMPLETE", "the upload was cut off before the file ended")),
      );
      stream.on("end", () => {
        fileDone = true;
        finish();
      });
    });
    bb.on("field", (name, value, _nameTruncated, valueTruncated) => {
      if (name === "file") {
        fail(
          new ValidationError(
            "INVALID_ARGUMENT",
            'the part named "file" has no filename, so it reads as a text field; send it as a file (Content-Disposition: form-data; name="file"; filename="…")',
          ),
        );
      } else if (!opts.fields.includes(name)) {
        fail(
          new ValidationError(
            "INVALID_ARGUMENT",
            `unexpected form field "${name}"; allowed: file${opts.fields.map((f) => `, ${f}`).join("")}`,
          ),
        );
      } else if (Object.hasOwn(fields, name)) {
        fail(new ValidationError("INVALID_ARGUMENT", `form field "${name}" is given twice`));
      } else if (valueTruncated) {
        fail(
          new AppError("PAYLOAD_TOO_LARGE", `form field "${name}" is longer than ${MAX_FIELD_BYTES} bytes`),
        );
      } else if (value.includes("\uFFFD")) {
        // Bytes that are not UTF-8 arrive replaced by U+FFFD: refused, never recorded changed.
        fail(
          new ValidationError(
            "INVALID_ARGUMENT",
            `form field "${name}" is not valid UTF-8 (or holds U+FFFD, the replacement character)`,
          ),
        );
      } else {
        fields[name] = value;
      }
    });
    const tooMany = () =>
      fail(
        new ValidationError(
          "INVALID_ARGUMENT",
          "too many form parts; send one file part and the documented fields",
        ),
      );
    bb.on("filesLimit", tooMany);
    bb.on("fieldsLimit", tooMany);
    bb.on("partsLimit", tooMany);
    bb.on("error", (cause) =>
      fail(
        new ValidationError(
          "UPLOAD_INCOMPLETE",
          `the multipart body is malformed or cut off: ${(cause as Error).message}`,
          { cause },
        ),
      ),
    );
    bb.on("finish", () => {
      formDone = true;
      if (!sawFile) fail(new ValidationError("FILE_MISSING", 'the form has no part named "file"'));
      else finish();
    });
    // A client that disconnects mid-upload never completes the request; nothing may be recorded.
    req.on("close", () => {
      if (!req.complete)
        fail(new ValidationError("UPLOAD_INCOMPLETE", "the upload was cut off before it finished"));
    });
    req.on("error", (cause) =>
      fail(new ValidationError("UPLOAD_INCOMPLETE", "the upload failed before it finished", { cause })),
    );
    req.pipe(bb);
  });
}
