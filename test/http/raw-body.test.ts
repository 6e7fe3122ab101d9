import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { connect, type Socket } from "node:net";
import type { Request, Response } from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readRawBody } from "../../src/http/raw-body.js";

/** A bare server whose every request body goes through readRawBody; outcomes are kept in order. */
describe("readRawBody", () => {
  const outcomes: Promise<string>[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const outcome = readRawBody(req as Request, res as unknown as Response, 1024, "too large").then(
      (b) => `body ${b.toString("latin1")}`,
      (e: { code?: string }) => `error ${e.code}`,
    );
    outcomes.push(outcome);
    void outcome.then((o) => {
      if (!res.destroyed) res.end(o);
    });
  });
  let port = 0;
  beforeAll(async () => {
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    port = (server.address() as { port: number }).port;
  });
  const sockets: Socket[] = [];
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    server.close();
    await once(server, "close");
  });

  const send = async (parts: { text: string; waitMs?: number }[], end: "close" | "keep") => {
    const socket = connect(port, "127.0.0.1");
    sockets.push(socket);
    await once(socket, "connect");
    for (const p of parts) {
      socket.write(p.text);
      if (p.waitMs) await new Promise((r) => setTimeout(r, p.waitMs));
    }
    if (end === "close") socket.destroy();
    return socket;
  };
  const head = (length: number) => `POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ${length}\r\n\r\n`;
  const settled = (p: Promise<string>) =>
    Promise.race([p, new Promise<string>((r) => setTimeout(() => r("still waiting"), 2000))]);

  it("takes a body that came with its headers, and one that came later in pieces", async () => {
    const socket = await send([{ text: `${head(5)}hello` }], "keep");
    await new Promise((r) => setTimeout(r, 50));
    await send([{ text: head(6), waitMs: 30 }, { text: "wor", waitMs: 30 }, { text: "ld!" }], "keep");
    await new Promise((r) => setTimeout(r, 50));
    expect(await settled(outcomes.at(-2) as Promise<string>)).toBe("body hello");
    expect(await settled(outcomes.at(-1) as Promise<string>)).toBe("body world!");
    socket.destroy();
  });

  it("settles, never hangs, when the client goes away before or while sending the body", async () => {
    for (const parts of [
      [{ text: head(10) }], // gone within the turn that read the headers
      [{ text: head(10), waitMs: 30 }], // gone after the handler began to wait for the body
      [{ text: `${head(10)}half`, waitMs: 30 }], // gone mid-body
    ]) {
      const before = outcomes.length;
      await send(parts, "close");
      while (outcomes.length === before) await new Promise((r) => setTimeout(r, 5));
      expect(await settled(outcomes.at(-1) as Promise<string>), JSON.stringify(parts)).toBe(
        "error UPLOAD_INCOMPLETE",
      );
    }
  });
});
