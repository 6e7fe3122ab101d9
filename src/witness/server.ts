import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ValidationError } from "../core/errors.js";
import { type AddCheckpointResult, addCheckpoint, type WitnessContext } from "./add-checkpoint.js";
import { DEFAULT_MAX_BODY_BYTES } from "./add-checkpoint-request.js";
import { createWitnessMetrics, type WitnessMetrics } from "./metrics.js";
import { CONCLUSIVE } from "./misbehaviour.js";
import { witnessStatusOf } from "./refusal-status.js";
import { MISBEHAVIOUR_PAGE } from "./witness-store.js";

/**
 * The witness node's HTTP face (plain node:http: it is its own small process):
 *   POST /add-checkpoint   c2sp.org/tlog-witness v1.0.0 (submission prefix = the root)
 *   GET  /healthz          liveness, the witness's name, verifier key and logs
 *   GET  /metrics          Prometheus
 *   GET  /misbehaviour     refused-but-signed checkpoints kept as evidence (JSON)
 */

/** The subset of a pino logger the witness uses. */
export interface WitnessLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface WitnessServerOptions {
  witness: WitnessContext;
  /** The cosigner's vkey (type 0x04), shown on /healthz. */
  verifierKey: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Request bodies above this are refused with 400 (default 64 KiB; a checkpoint is well under 16 KiB). */
  maxBodyBytes?: number;
  metrics?: WitnessMetrics;
  logger?: WitnessLogger;
}

export interface WitnessServer {
  url: string;
  port: number;
  metrics: WitnessMetrics;
  server: Server;
  /** Stops accepting, lets in-flight requests finish (a few seconds at most), then resolves. */
  close(): Promise<void>;
}

/** Past the cap we keep reading (to answer cleanly) only this much more before dropping the connection. */
const DRAIN_LIMIT = 1024 * 1024;
const CLOSE_GRACE_MS = 5000;

type Route = "add-checkpoint" | "healthz" | "metrics" | "misbehaviour";
const ROUTES: Record<string, { route: Route; method: "GET" | "POST" }> = {
  "/add-checkpoint": { route: "add-checkpoint", method: "POST" },
  "/healthz": { route: "healthz", method: "GET" },
  "/metrics": { route: "metrics", method: "GET" },
  "/misbehaviour": { route: "misbehaviour", method: "GET" },
};

const quiet: WitnessLogger = { info() {}, warn() {}, error() {} };

export async function startWitnessServer(opts: WitnessServerOptions): Promise<WitnessServer> {
  const metrics = opts.metrics ?? createWitnessMetrics();
  const logger = opts.logger ?? quiet;
  const maxBody = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const upstream = opts.witness.onEvent;
  const witness: WitnessContext = {
    ...opts.witness,
    onEvent(event) {
      if (event.type === "misbehaviour") {
        const { origin, reason, code } = event.record;
        metrics.misbehaviour.inc({ reason });
        logger.warn(
          { origin, reason, code },
          "kept a refused, log-signed checkpoint as evidence of misbehaviour",
        );
      } else {
        logger.error({ origin: event.origin, err: event.error }, "could not store evidence of misbehaviour");
      }
      upstream?.(event);
    },
  };

  const send = (res: ServerResponse, route: string, status: number, type: string, body: string | Buffer) => {
    metrics.requests.inc({ route, status: String(status) });
    res.writeHead(status, {
      "Content-Type": type,
      "Content-Length": Buffer.byteLength(body),
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    });
    res.end(body);
  };

  const handleAdd = async (req: IncomingMessage, res: ServerResponse) => {
    const stopTimer = metrics.addCheckpointSeconds.startTimer();
    let result: AddCheckpointResult;
    try {
      result = await addCheckpoint(witness, await readBody(req, maxBody));
    } catch (e) {
      const r = witnessStatusOf(e);
      stopTimer();
      metrics.refusals.inc({ code: r.code });
      if (r.status >= 500) logger.error({ err: e }, "add-checkpoint failed");
      else logger.info({ code: r.code, status: r.status }, "add-checkpoint refused");
      if (r.code === "PAYLOAD_TOO_LARGE") res.setHeader("Connection", "close");
      send(res, "add-checkpoint", r.status, r.contentType, r.body);
      return;
    }
    stopTimer();
    metrics.cosignatures.inc({ origin: result.origin });
    send(res, "add-checkpoint", 200, "text/plain; charset=utf-8", result.cosignatures);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? "/", "http://witness.invalid").pathname;
    const match = ROUTES[path];
    if (!match) {
      send(res, "other", 404, "text/plain; charset=utf-8", "not found\n");
      return;
    }
    const method = req.method === "HEAD" ? "GET" : req.method;
    if (method !== match.method) {
      res.setHeader("Allow", match.method === "GET" ? "GET, HEAD" : "POST");
      send(res, match.route, 405, "text/plain; charset=utf-8", "method not allowed\n");
      return;
    }
    switch (match.route) {
      case "add-checkpoint":
        return handleAdd(req, res);
      case "healthz": {
        const body = {
          status: "ok",
          name: witness.cosigner.name,
          verifierKey: opts.verifierKey,
          logs: witness.logs.origins,
        };
        return send(res, "healthz", 200, "application/json", JSON.stringify(body));
      }
      case "metrics":
        return send(res, "metrics", 200, metrics.registry.contentType, await metrics.registry.metrics());
      case "misbehaviour": {
        const records = await witness.store.listMisbehaviour(MISBEHAVIOUR_PAGE);
        const evidence = records.map((r) => ({ ...r, conclusive: CONCLUSIVE[r.reason] }));
        return send(res, "misbehaviour", 200, "application/json", JSON.stringify({ evidence }));
      }
    }
  };

  const server = createServer(
    { requestTimeout: 15_000, headersTimeout: 10_000, keepAliveTimeout: 5_000 },
    (req, res) => {
      handle(req, res).catch((err) => {
        logger.error({ err }, "witness request failed");
        if (!res.headersSent) send(res, "other", 500, "text/plain; charset=utf-8", "internal error\n");
        else res.destroy();
      });
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${host === "0.0.0.0" ? "127.0.0.1" : host === "[::]" ? "[::1]" : host}:${address.port}`,
    port: address.port,
    metrics,
    server,
    close: () => closeServer(server),
  };
}

/** Reads a request body of at most `max` bytes; PAYLOAD_TOO_LARGE beyond (the rest is drained, then dropped). */
function readBody(req: IncomingMessage, max: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const tooLarge = () => new ValidationError("PAYLOAD_TOO_LARGE", `request body exceeds ${max} bytes`);
    const drain = () => {
      // Keep reading (and discarding) so the client can read our 400, but not forever.
      let drained = 0;
      req.removeAllListeners("data");
      req.on("data", (c: Buffer) => {
        drained += c.length;
        if (drained > DRAIN_LIMIT) req.destroy();
      });
      req.resume();
    };
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > max) {
      drain();
      reject(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let total = 0;
    req.on("data", (c: Buffer) => {
      total += c.length;
      if (total > max) {
        drain();
        reject(tooLarge());
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(new Uint8Array(Buffer.concat(chunks, total))));
    req.on("error", reject);
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
    force.unref();
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}
