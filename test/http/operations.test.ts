import express from "express";
import { describe, expect, it } from "vitest";
import type { AppDeps } from "../../src/http/deps.js";
import { mountOperations } from "../../src/http/mount.js";
import { defineOperation } from "../../src/http/operation.js";
import { call, hex, startTestService } from "./helpers.js";

describe("operations", () => {
  it("exposes Prometheus metrics: deposits, batch sizes, latency by route, queue depth", async () => {
    const s = await startTestService();
    try {
      await call(s.url, "POST", "/api/v1/evidence", { token: s.tokens.mediator, json: { sha256: hex(1) } });
      await call(s.url, "POST", "/api/v1/evidence/batch", {
        token: s.tokens.mediator,
        json: { items: [{ sha256: hex(2) }, { sha256: hex(3) }] },
      });
      const r = await call(s.url, "GET", "/metrics");
      expect(r.status).toBe(200);
      expect(r.text).toContain('notarium_deposits_total{kind="json"} 1');
      expect(r.text).toContain('notarium_deposits_total{kind="batch"} 2');
      expect(r.text).toContain("notarium_deposit_batch_items_count 1");
      expect(r.text).toContain("notarium_ledger_queue_depth 0");
      expect(r.text).toContain("notarium_ledger_size 3");
      expect(r.text).toMatch(
        /notarium_http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/evidence",status="201"\} 1/,
      );
    } finally {
      await s.close();
    }
  });

  it("shuts down gracefully: in-flight deposits are answered and recorded, then nothing new is accepted", async () => {
    const s = await startTestService();
    try {
      const inFlight = Array.from({ length: 50 }, (_, i) =>
        call(s.url, "POST", "/api/v1/evidence", { token: s.tokens.mediator, json: { sha256: hex(i) } }),
      );
      // Settle handlers go on at once: a request the shutdown cuts off must not reject unhandled meanwhile.
      const settled = Promise.allSettled(inFlight);
      await new Promise((r) => setTimeout(r, 5));
      await s.stop();
      const answers = await settled;
      const recorded = answers.filter((a) => a.status === "fulfilled" && a.value.status === 201);
      // Every request the server took was answered; none was left half done.
      for (const a of answers) if (a.status === "fulfilled") expect([201, 503]).toContain(a.value.status);
      expect(s.ledger.size).toBe(recorded.length);
      await expect(call(s.url, "GET", "/healthz")).rejects.toThrow();
      await expect(s.ledger.append("evidence.deposited", { sha256: hex(99) })).rejects.toMatchObject({
        code: "CLOSED",
      });
    } finally {
      await s.close();
    }
  });

  it("refuses to mount a token route on a case that does not declare its case scope", () => {
    const app = express();
    const op = defineOperation({
      id: "forgetful",
      method: "get",
      path: "/api/v1/cases/:id/forgetful",
      tag: "cases",
      summary: "a route that forgot caseScoped",
      roles: ["mediator"],
      responses: {},
      handle: () => undefined,
    });
    expect(() => mountOperations(app, [op], {} as AppDeps, undefined)).toThrow(
      /forgetful .* declare it caseScoped/,
    );
    expect(() => mountOperations(app, [{ ...op, caseScoped: true }], {} as AppDeps, undefined)).not.toThrow();
  });
});
