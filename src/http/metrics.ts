import type { RequestHandler } from "express";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { Ledger } from "../ledger/ledger.js";

/** The service's Prometheus metrics, in a registry of its own (no process-wide default registry). */
export interface Metrics {
  registry: Registry;
  requestDuration: Histogram<"method" | "route" | "status">;
  deposits: Counter<"kind">;
  batchSize: Histogram;
  uploadBytes: Counter<"route">;
}

export function createMetrics(opts: { ledger: Ledger; processMetrics?: boolean }): Metrics {
  const registry = new Registry();
  if (opts.processMetrics !== false) collectDefaultMetrics({ register: registry, prefix: "notarium_" });
  const registers = [registry];
  const { ledger } = opts;
  new Gauge({
    name: "notarium_ledger_queue_depth",
    help: "entries waiting for the next block",
    registers,
    collect() {
      this.set(ledger.queueDepth);
    },
  });
  new Gauge({
    name: "notarium_ledger_size",
    help: "entries in the newest signed checkpoint",
    registers,
    collect() {
      this.set(ledger.size);
    },
  });
  new Gauge({
    name: "notarium_ledger_block_height",
    help: "sequence number of the newest block",
    registers,
    collect() {
      this.set(ledger.latest().blockHeight);
    },
  });
  return {
    registry,
    requestDuration: new Histogram({
      name: "notarium_http_request_duration_seconds",
      help: "time from request to the end of the answer, by route pattern",
      labelNames: ["method", "route", "status"] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 60],
      registers,
    }),
    deposits: new Counter({
      name: "notarium_deposits_total",
      help: "digests recorded, by how they arrived (json, upload, batch)",
      labelNames: ["kind"] as const,
      registers,
    }),
    batchSize: new Histogram({
      name: "notarium_deposit_batch_items",
      help: "digests per batch call",
      buckets: [1, 10, 50, 100, 500, 1000, 2000, 4096],
      registers,
    }),
    uploadBytes: new Counter({
      name: "notarium_upload_bytes_total",
      help: "bytes hashed from multipart uploads",
      labelNames: ["route"] as const,
      registers,
    }),
  };
}

/** Times every request by its route pattern (never the raw path, which would explode the label set). */
export function observeRequests(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const end = metrics.requestDuration.startTimer();
    res.once("finish", () => {
      end({ method: req.method, route: routeOf(req), status: String(res.statusCode) });
    });
    next();
  };
}

export function routeOf(req: { route?: { path?: unknown }; baseUrl?: string }): string {
  const p = req.route?.path;
  return typeof p === "string" ? `${req.baseUrl ?? ""}${p}` : "unmatched";
}
