import type { Express, Request, RequestHandler, Response } from "express";
import { AppError } from "../core/errors.js";
import { checkCaseAccess } from "../service/cases/case-access.js";
import type { Principal } from "../service/tokens.js";
import { requireRole } from "./auth.js";
import type { AppDeps } from "./deps.js";
import { readJsonBody } from "./json-body.js";
import { mediaTypeOf } from "./media-type.js";
import type { AnyOperation } from "./operation.js";
import { readRawBody } from "./raw-body.js";
import { bufferUpload, hashUpload } from "./upload.js";
import { parseInput } from "./validate.js";

/**
 * Wires declared operations into express: rate limit (public routes), token
 * and role, path and query validation, body, handler. Express 5 forwards
 * rejected promises to the error handler, so no step catches anything.
 */
export function mountOperations(
  app: Express,
  ops: readonly AnyOperation[],
  deps: AppDeps,
  limiter: RequestHandler | undefined,
): void {
  // A known path with another method: 405 with Allow (and a plain answer to OPTIONS). A path
  // that another route's parameter would also match gets its answer before every route
  // (GET /api/v1/evidence/batch is not GET /api/v1/evidence/:id with id "batch"); the
  // others after them, off the path of every request that has its route.
  const methods = new Map<string, string[]>();
  for (const op of ops) methods.set(op.path, [...(methods.get(op.path) ?? []), op.method.toUpperCase()]);
  const otherMethods = (list: string[]): RequestHandler => {
    const allowed = [...list, ...(list.includes("GET") ? ["HEAD"] : [])];
    const allow = allowed.join(", ");
    return (req, res, next) => {
      if (allowed.includes(req.method)) {
        next();
        return;
      }
      res.setHeader("Allow", allow);
      if (req.method === "OPTIONS") {
        res.status(204).end();
        return;
      }
      throw new AppError("METHOD_NOT_ALLOWED", `${req.method} is not supported here; use ${allow}`);
    };
  };
  const patterns = [...methods.keys()]
    .filter((p) => p.includes(":"))
    .map((p) => new RegExp(`^${p.replace(/:[^/]+/g, "[^/]+")}$`));
  const shadowed = (path: string) => !path.includes(":") && patterns.some((r) => r.test(path));
  for (const [path, list] of methods) if (shadowed(path)) app.all(path, otherMethods(list));
  for (const op of ops) {
    // A route on a case, for tokens, that forgot its scope would let any mediator act on any case.
    if (op.roles && op.path.startsWith("/api/v1/cases/:id") && !op.caseScoped)
      throw new Error(`${op.id} (${op.path}) acts on a case: declare it caseScoped`);
    const chain: RequestHandler[] = [];
    if (limiter && (op.rateLimited ?? op.roles === undefined)) chain.push(limiter);
    if (op.roles) chain.push(requireRole(deps.tokens, op.roles, op.invitations));
    const cases = deps.cases;
    if (op.caseScoped && cases)
      chain.push(async (req, res, next) => {
        const who = res.locals.principal as Principal | undefined; // a party's invitation is scoped by itself
        if (who) await checkCaseAccess(cases, String(req.params.id), who);
        next();
      });
    chain.push(async (req, res) => {
      const params = op.params ? parseInput(op.params, req.params, "path", op.codes) : undefined;
      const query = op.query ? parseInput(op.query, req.query, "query", op.codes) : undefined;
      const body = op.body ? parseBody(op, op.body, await readBody(op, req, res, deps)) : undefined;
      await op.handle({
        params,
        query,
        body,
        principal: res.locals.principal,
        invitation: res.locals.invitation,
        req,
        res,
      });
    });
    app[op.method](op.path, ...chain);
  }
  for (const [path, list] of methods) if (!shadowed(path)) app.all(path, otherMethods(list));
}

/** The body through the operation's quick check if it has one, else (or when that declines) its schema. */
function parseBody(op: AnyOperation, schema: NonNullable<AnyOperation["body"]>, raw: unknown): unknown {
  return op.quickBody?.(raw) ?? parseInput(schema, raw, "body", op.codes);
}

/**
 * JSON, or (where the operation takes uploads) a multipart file hashed into
 * the JSON it stands for, or (where it takes a file) the file's bytes.
 */
async function readBody(op: AnyOperation, req: Request, res: Response, deps: AppDeps): Promise<unknown> {
  if (op.file) return readFileBody(op.file, req, res);
  const type = mediaTypeOf(req);
  if (type === "application/json") return readJsonBody(req, res, deps.options.maxJsonBytes);
  if (op.upload && type === "multipart/form-data") {
    const upload = await hashUpload(req, res, {
      maxBytes: deps.options.maxUploadBytes,
      fields: op.upload.fields,
      ...(op.upload.keepPdfUpTo ? { keepPdfUpTo: op.upload.keepPdfUpTo } : {}),
    });
    deps.metrics.uploadBytes.inc({ route: op.path }, upload.size);
    if (upload.pdf) res.locals.uploadedPdf = upload.pdf;
    return op.upload.toBody(upload);
  }
  throw new AppError(
    "UNSUPPORTED_MEDIA_TYPE",
    `send Content-Type: application/json${op.upload ? ' or multipart/form-data with a "file" part' : ""}`,
  );
}

/** A file body: raw in one of the declared media types, or the `file` part of a form; buffered, with its own limit. */
async function readFileBody(
  spec: NonNullable<AnyOperation["file"]>,
  req: Request,
  res: Response,
): Promise<Uint8Array> {
  const tooLargeMessage = `the file is larger than the limit of ${spec.maxBytes} bytes`;
  if (req.is([...spec.types])) {
    const b = await readRawBody(req, res, spec.maxBytes, tooLargeMessage);
    return new Uint8Array(b.buffer, b.byteOffset, b.length);
  }
  if (req.is("multipart/form-data"))
    return bufferUpload(req, res, { maxBytes: spec.maxBytes, tooLargeMessage });
  throw new AppError(
    "UNSUPPORTED_MEDIA_TYPE",
    `send the file as Content-Type: ${spec.types.join(" or ")}, or as multipart/form-data with a "file" part`,
  );
}
