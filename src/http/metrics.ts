import type { RequestHandler } from "express";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { Ledger } from "../ledger/ledger.js";
import type { Witnessing } from "../service/witnessing.js";

/** The service's Prometheus metrics, in a registry of its own (no process-wide default registry). */
export interface Metrics {
  registry: Registry;
  requestDuration: Histogram<"method" | "route" | "status">;
  deposits: Counter<"kind">;
  batchSize: Histogram;
  uploadBytes: Counter<"route">;
}

export function createMetrics(opts: {
  ledger: Ledger;
  processMetrics?: boolean;
  witnessing?: Witnessing;
}): Metrics {
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
  if (opts.witnessing?.enabled) witnessMetrics(opts.witnessing, ledger, registers);
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

/**
 * What the court witnesses did with this log's checkpoints. Witness names come
 * from the policy file, so the label set stays as small as the policy. Alert on
 * `notarium_witness_conflicts_total` rising (a witness holds another view of the
 * log: a possible split view) and on `notarium_witness_quorum_lag_entries` growing.
 */
function witnessMetrics(witnessing: Witnessing, ledger: Ledger, registers: Registry[]): void {
  const results = new Counter({
    name: "notarium_witness_results_total",
    help: "checkpoint cosigning requests by witness and outcome (ok, refused, unreachable, invalid, skipped)",
    labelNames: ["witness", "outcome"] as const,
    registers,
  });
  const conflicts = new Counter({
    name: "notarium_witness_conflicts_total",
    help: "refusals because the witness has seen a different tree for this log (possible split view)",
    labelNames: ["witness"] as const,
    registers,
  });
  const latency = new Histogram({
    name: "notarium_witness_request_duration_seconds",
    help: "time to get an answer (or give up) from a witness, by witness",
    labelNames: ["witness"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const rounds = new Counter({
    name: "notarium_witness_rounds_total",
    help: "witness rounds (one per block), by whether the policy's quorum was met",
    labelNames: ["quorum"] as const,
    registers,
  });
  new Gauge({
    name: "notarium_witness_quorum_lag_entries",
    help: "entries in the newest checkpoint not yet covered by one meeting the witness quorum",
    registers,
    collect() {
      this.set(ledger.size - (witnessing.witnessedSizes.quorum ?? 0));
    },
  });
  witnessing.onRound((r) => {
    rounds.inc({ quorum: String(r.quorum) });
    for (const x of r.results) {
      results.inc({ witness: x.witness, outcome: x.outcome });
      if (x.conflict) conflicts.inc({ witness: x.witness });
      if (x.outcome !== "skipped") latency.observe({ witness: x.witness }, x.elapsedMs / 1000);
    }
  });
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
