import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SIGNATURE_HEADER, verifyWebhook } from "../../src/service/webhooks.js";
import { nodeKeyPair } from "../helpers/cases.js";
import { openCase, postSignature, signed, waitFor } from "./case-helpers.js";
import { call, startTestService, type TestService } from "./helpers.js";

interface Delivery {
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

/** A mediator's own system on 127.0.0.1: records every delivery and answers what `answer` says. */
async function receiver(answer: (attempt: number, eventId: string) => number) {
  const deliveries: Delivery[] = [];
  const attempts = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (d: string) => {
      body += d;
    });
    req.on("end", () => {
      const id = String(req.headers["notarium-event-id"]);
      const n = attempts.get(id) ?? 0;
      attempts.set(id, n + 1);
      const status = answer(n, id);
      deliveries.push({ headers: req.headers, body, status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/notarium-events`;
  return { url, deliveries, close: () => new Promise((r) => server.close(r)) };
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

describe("webhooks for case events", () => {
  let s: TestService;
  beforeAll(async () => {
    s = await startTestService();
  });
  afterAll(() => s.close());

  it("delivers every case event, each signed so the receiver can check it", async () => {
    const hook = await receiver(() => 204);
    try {
      const alice = nodeKeyPair();
      const { id, document, created } = await openCase(
        s,
        [{ id: "alice", role: "applicant", publicKey: alice.publicKey }],
        { webhook: hook.url },
      );
      await call(s.url, "POST", `/api/v1/cases/${id}/identities`, {
        token: s.tokens.mediator,
        json: { signer: "alice", method: "in-person", identity: { name: "张三" } },
      });
      const f = { case: id, document, role: "applicant", signer: "alice" };
      expect((await postSignature(s, id, signed(alice, f), s.tokens.mediator)).status).toBe(201);
      await waitFor(() => hook.deliveries.length >= 5);
      const events = hook.deliveries.map((d) => JSON.parse(d.body));
      expect(events.map((e) => e.type).sort()).toEqual(
        [
          "agreement.registered",
          "agreement.signed",
          "case.created",
          "case.signed",
          "identity.attested",
        ].sort(),
      );
      for (const [i, d] of hook.deliveries.entries()) {
        const header = d.headers[SIGNATURE_HEADER] as string;
        expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
        expect(verifyWebhook(created.webhookSecret, header, d.body, nowSeconds()), `delivery ${i}`).toBe(
          true,
        );
        // A forged body, another secret or a stale timestamp fails.
        expect(verifyWebhook(created.webhookSecret, header, `${d.body} `, nowSeconds())).toBe(false);
        expect(verifyWebhook("whsec_other", header, d.body, nowSeconds())).toBe(false);
        expect(verifyWebhook(created.webhookSecret, header, d.body, nowSeconds() + 301)).toBe(false);
        expect(d.headers["content-type"]).toBe("application/json");
        expect(events[i]).toMatchObject({ caseId: id, id: d.headers["notarium-event-id"] });
      }
      // Personal data stays out of deliveries too.
      expect(hook.deliveries.map((d) => d.body).join("")).not.toContain("张三");
    } finally {
      await hook.close();
    }
  });

  it("retries a failing receiver with the same event and a fresh signature until it accepts", async () => {
    // Fails every event twice (500, then 503), then accepts.
    const hook = await receiver((attempt) => (attempt === 0 ? 500 : attempt === 1 ? 503 : 200));
    try {
      const { created } = await openCase(s, [{ id: "alice", role: "applicant" }], {
        webhook: hook.url,
        agreement: null,
      });
      await waitFor(() => hook.deliveries.some((d) => d.status === 200));
      expect(hook.deliveries.map((d) => d.status)).toEqual([500, 503, 200]);
      const ids = new Set(hook.deliveries.map((d) => d.headers["notarium-event-id"]));
      expect(ids.size).toBe(1);
      const bodies = new Set(hook.deliveries.map((d) => d.body));
      expect(bodies.size).toBe(1);
      for (const d of hook.deliveries) {
        expect(
          verifyWebhook(created.webhookSecret, d.headers[SIGNATURE_HEADER] as string, d.body, nowSeconds()),
        ).toBe(true);
      }
    } finally {
      await hook.close();
    }
  });

  it("refuses, when a case is opened, a webhook on a private or loopback address unless allowed", async () => {
    const strict = await startTestService({
      cases: { allowPrivateWebhooks: false, webhookBackoffMs: () => 1 },
    });
    try {
      const before = strict.ledger.size;
      for (const url of [
        "http://127.0.0.1:9/hook",
        "http://localhost:9/hook",
        "http://localhost.:9/hook",
        "http://[::1]:9/x",
      ]) {
        const r = await call(strict.url, "POST", "/api/v1/cases", {
          token: strict.tokens.mediator,
          json: {
            caseNumber: "1",
            title: "t",
            parties: [{ id: "alice", role: "applicant", name: "A" }],
            webhook: { url },
          },
        });
        expect([r.status, r.json.error?.code], url).toEqual([400, "WEBHOOK_INVALID"]);
        expect(r.json.error.message).toContain("NOTARIUM_WEBHOOK_ALLOW_PRIVATE=1");
      }
      expect(strict.ledger.size).toBe(before);
      // Names are checked again at every delivery, against what they resolve to then
      // (test/cli/webhook-fetch.test.ts: a name resolving to loopback is refused there).
    } finally {
      await strict.close();
    }
  });
});
