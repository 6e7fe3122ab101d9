import type { AddressInfo } from "node:net";
import express from "express";
import { describe, expect, it } from "vitest";
import { createAppServer } from "../../src/http/server.js";

describe("createAppServer", () => {
  it("makes requests and responses with the app's prototypes, so express need not change them", async () => {
    const app = express();
    app.get("/x", (req, res) => {
      res.json({ ip: req.ip, host: req.hostname, query: req.query });
    });
    const server = createAppServer(app);
    const seen: boolean[] = [];
    server.prependListener("request", (req, res) => {
      seen.push(Object.getPrototypeOf(req) === app.request && Object.getPrototypeOf(res) === app.response);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const r = await fetch(`http://127.0.0.1:${port}/x?a=1`);
      expect(await r.json()).toEqual({ ip: "127.0.0.1", host: "127.0.0.1", query: { a: "1" } });
      const head = await fetch(`http://127.0.0.1:${port}/x`, { method: "HEAD" });
      expect(head.status).toBe(200);
      expect(seen).toEqual([true, true]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
