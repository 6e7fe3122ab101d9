import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { isPublicAddress, webhookFetch, webhookHostProblem } from "../../src/cli/webhook-fetch.js";

const post = (url: string, allowPrivate: boolean) =>
  webhookFetch({ allowPrivate })(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: '{"x":1}',
    signal: AbortSignal.timeout(2000),
  });

describe("webhook delivery addresses", () => {
  it("counts only public unicast addresses as public", () => {
    for (const a of ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
      expect(isPublicAddress(a), a).toBe(true);
    for (const a of [
      "127.0.0.1",
      "127.8.9.10",
      "0.0.0.0",
      "10.0.0.1",
      "172.16.5.4",
      "192.168.1.1",
      "169.254.169.254", // cloud metadata
      "100.64.0.1",
      "224.0.0.1",
      "255.255.255.255",
      "::",
      "::1",
      "fe80::1",
      "fd12:3456::1",
      "::ffff:127.0.0.1",
      "::ffff:10.0.0.1",
      "198.18.0.1", // benchmarking
      "::7f00:1", // IPv4-compatible ::127.0.0.1
      "64:ff9b:1::a00:1", // local-use NAT64
      "fec0::1", // site-local
      "2001:2::1", // benchmarking
      "3fff::1", // documentation
      "100::1", // discard-only
      "not an address",
    ])
      expect(isPublicAddress(a), a).toBe(false);
  });

  it("names, when a case is opened, a webhook host that is an address or name it could never deliver to", () => {
    for (const u of [
      "http://127.0.0.1:8092/x",
      "http://169.254.169.254/latest",
      "http://localhost:8092/x",
      "http://a.localhost/x",
      "http://[::1]/x",
      "http://[::127.0.0.1]/x",
      "http://2130706433/x", // 127.0.0.1 as one number
      "http://0x7f.0.0.1/x",
      "http://198.18.0.1:18555/o",
    ])
      expect(webhookHostProblem(new URL(u)), u).toMatch(/is a private, loopback or reserved address/);
    for (const u of ["https://hooks.example.com/x", "http://8.8.8.8/x", "http://[2606:4700::1]/x"])
      expect(webhookHostProblem(new URL(u)), u).toBeUndefined();
  });

  it("refuses loopback by address and by name, and reaches it when allowed, with redirects not followed", async () => {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers["content-length"]}`);
      req.resume();
      req.on("end", () => res.writeHead(req.url === "/moved" ? 302 : 204, { location: "/elsewhere" }).end());
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    try {
      await expect(post(`http://127.0.0.1:${port}/hook`, false)).rejects.toMatchObject({
        code: "WEBHOOK_ADDRESS_REFUSED",
      });
      await expect(post(`http://[::1]:${port}/hook`, false)).rejects.toThrow(/webhook host ::1 is a private/);
      await expect(post(`http://localhost:${port}/hook`, false)).rejects.toThrow(
        /webhook host localhost \(resolves to (127\.0\.0\.1|::1)\)/,
      );
      expect(seen).toEqual([]);
      expect(await post(`http://127.0.0.1:${port}/hook`, true)).toEqual({ status: 204 });
      expect(await post(`http://127.0.0.1:${port}/moved`, true)).toEqual({ status: 302 });
      expect(seen).toEqual(["POST /hook 7", "POST /moved 7"]);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

describe("NOTARIUM_WEBHOOK_ALLOW_PRIVATE", () => {
  it("is off unless set to 1 or true, and anything else is refused with its name", async () => {
    const { parseConfig } = await import("../../src/cli/config.js");
    expect(parseConfig({}).webhookAllowPrivate).toBe(false);
    for (const [v, want] of [
      ["1", true],
      ["true", true],
      ["0", false],
      ["false", false],
    ] as const)
      expect(parseConfig({ NOTARIUM_WEBHOOK_ALLOW_PRIVATE: v }).webhookAllowPrivate, v).toBe(want);
    expect(() => parseConfig({ NOTARIUM_WEBHOOK_ALLOW_PRIVATE: "yes" })).toThrow(
      expect.objectContaining({
        code: "CONFIG_INVALID",
        message: expect.stringMatching(/NOTARIUM_WEBHOOK_ALLOW_PRIVATE/),
      }),
    );
  });
});
