import { z } from "zod";
import { AppError } from "../../core/errors.js";
import type { AppDeps } from "../deps.js";
import { type AnyOperation, defineOperation } from "../operation.js";
import { sendJson } from "../send-json.js";

const healthSchema = z.object({
  status: z.literal("ok"),
  size: z.number().int().meta({ description: "entries in the newest signed checkpoint" }),
});

/** Liveness and readiness for load balancers and orchestrators; never rate limited. */
export function healthOperations(deps: AppDeps): AnyOperation[] {
  return [
    defineOperation({
      id: "health",
      method: "get",
      path: "/healthz",
      tag: "operations",
      summary: "Health check",
      description: "200 while the service accepts work; 503 (CLOSED) once it is shutting down.",
      rateLimited: false,
      responses: { 200: { description: "serving", json: healthSchema } },
      handle({ res }) {
        if (deps.lifecycle.draining) throw new AppError("CLOSED", "the service is shutting down");
        sendJson(res, { status: "ok", size: deps.ledger.size });
      },
    }),
    defineOperation({
      id: "metrics",
      method: "get",
      path: "/metrics",
      tag: "operations",
      summary: "Prometheus metrics",
      description:
        "Request latency by route, deposits by kind, batch sizes, upload bytes, ledger size and queue depth, process metrics. Holds no secrets.",
      rateLimited: false,
      responses: {
        200: { description: "Prometheus text exposition format", text: "text/plain; version=0.0.4" },
      },
      async handle({ res }) {
        res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
      },
    }),
  ];
}
