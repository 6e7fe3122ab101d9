import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";

/** The witness node's Prometheus metrics, in a registry of its own (it is its own process). */
export interface WitnessMetrics {
  registry: Registry;
  /** Every HTTP answer, by route and status. */
  requests: Counter<"route" | "status">;
  /** Cosignatures made, by log origin (bounded: only configured origins get here). */
  cosignatures: Counter<"origin">;
  /** add-checkpoint refusals, by error code. */
  refusals: Counter<"code">;
  /** Refused-but-signed checkpoints kept as evidence, by reason. */
  misbehaviour: Counter<"reason">;
  addCheckpointSeconds: Histogram;
}

export function createWitnessMetrics(opts: { processMetrics?: boolean } = {}): WitnessMetrics {
  const registry = new Registry();
  if (opts.processMetrics !== false)
    collectDefaultMetrics({ register: registry, prefix: "notarium_witness_" });
  const registers = [registry];
  return {
    registry,
    requests: new Counter({
      name: "notarium_witness_http_requests_total",
      help: "HTTP answers of the witness, by route and status",
      labelNames: ["route", "status"] as const,
      registers,
    }),
    cosignatures: new Counter({
      name: "notarium_witness_cosignatures_total",
      help: "checkpoints cosigned, by log origin",
      labelNames: ["origin"] as const,
      registers,
    }),
    refusals: new Counter({
      name: "notarium_witness_refusals_total",
      help: "add-checkpoint requests refused, by error code",
      labelNames: ["code"] as const,
      registers,
    }),
    misbehaviour: new Counter({
      name: "notarium_witness_misbehaviour_total",
      help: "refused checkpoints with a valid log signature kept as evidence, by reason",
      labelNames: ["reason"] as const,
      registers,
    }),
    addCheckpointSeconds: new Histogram({
      name: "notarium_witness_add_checkpoint_seconds",
      help: "time to judge (and cosign) one add-checkpoint request",
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    }),
  };
}
