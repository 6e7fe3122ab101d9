import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Express } from "express";

export interface RunningServer {
  server: Server;
  /** Base URL the server answers on, e.g. http://127.0.0.1:8080. */
  url: string;
  port: number;
  /**
   * Stops accepting connections, lets in-flight requests finish (their
   * connections close after the answer), and after `timeoutMs` cuts the rest.
   */
  close(timeoutMs: number): Promise<void>;
}

/** Listens on host:port (port 0 picks a free one). */
export async function listen(app: Express, opts: { port: number; host: string }): Promise<RunningServer> {
  const server = createServer(app);
  // Long uploads are legitimate; slow-loris headers are not.
  server.headersTimeout = 30_000;
  server.requestTimeout = 0;
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port, address, family } = server.address() as AddressInfo;
  const host =
    address === "0.0.0.0" || address === "::" ? "localhost" : family === "IPv6" ? `[${address}]` : address;
  return {
    server,
    url: `http://${host}:${port}`,
    port,
    close: (timeoutMs) =>
      new Promise<void>((resolve) => {
        const cut = setTimeout(() => server.closeAllConnections(), timeoutMs);
        // Idle keep-alive sockets would hold close() open; busy ones close after their answer.
        const sweep = setInterval(() => server.closeIdleConnections(), 50);
        server.close(() => {
          clearTimeout(cut);
          clearInterval(sweep);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
