import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { openCaseStack } from "../../src/cli/open-cases.js";
import { type Clock, secureRandomBytes, systemClock } from "../../src/core/clock.js";
import type { TlogPolicy } from "../../src/crypto/tlog-policy.js";
import { startHttpService } from "../../src/http/http-service.js";
import { DEFAULT_HTTP_OPTIONS, type HttpOptions } from "../../src/http/options.js";
import { Ledger } from "../../src/ledger/ledger.js";
import { singleLogPolicy } from "../../src/ledger/verify-proof.js";
import type { CaseServices } from "../../src/service/cases/context.js";
import { createToken, TokenAuthenticator } from "../../src/service/tokens.js";
import { Witnessing } from "../../src/service/witnessing.js";
import { LevelLedgerStore } from "../../src/storage/level-store.js";
import { TokenFile } from "../../src/storage/token-file.js";
import { WitnessCoordinator } from "../../src/witness/log-client.js";
import { testLogKey } from "../helpers/ledger.js";

export interface TestService {
  url: string;
  /** The data directory (ledger, state, blobs, tokens). */
  dir: string;
  /** The case services behind the case routes (their clock is `opts.cases.clock`). */
  cases: CaseServices;
  ledger: Ledger;
  store: LevelLedgerStore;
  key: ReturnType<typeof testLogKey>;
  policy: ReturnType<typeof singleLogPolicy>;
  tokenFile: TokenFile;
  tokens: { admin: string; mediator: string; court: string };
  stop(): Promise<void>;
  /** Stops the service and closes every store; the data directory is removed unless keepData. */
  close(opts?: { keepData?: boolean }): Promise<void>;
}

export interface CaseOptions {
  /** The case services' clock (invitation expiry, signature time tolerance, webhook timestamps). */
  clock?: Clock;
  invitationTtlMs?: number;
  signatureToleranceMs?: number;
  /** Webhook retry delays; short by default so retries show up within a test. */
  webhookBackoffMs?: (attempt: number) => number;
  /** On by default here: the tests' receivers listen on 127.0.0.1, which a real service refuses. */
  allowPrivateWebhooks?: boolean;
}

/** A real service on 127.0.0.1:0 over LevelDB in a temp dir, with one token per role, serving cases too. */
export async function startTestService(
  opts: {
    options?: Partial<HttpOptions>;
    maxQueue?: number;
    maxBatch?: number;
    logger?: pino.Logger;
    cases?: CaseOptions;
    /** Serve sealing, certificates and docking with a TEST-ONLY PDF certificate. */
    sealing?: boolean;
    /** Court witnesses (in-process witness servers) and the quorum policy naming them, as serve wires them. */
    witnesses?: { policy: TlogPolicy };
  } = {},
): Promise<TestService> {
  const dir = mkdtempSync(join(tmpdir(), "notarium-http-"));
  const store = new LevelLedgerStore(join(dir, "ledger"));
  await store.open();
  const key = testLogKey();
  let witnessing: Witnessing | undefined;
  const ledger = await Ledger.open({
    store,
    key,
    clock: systemClock,
    maxBatch: opts.maxBatch,
    maxQueue: opts.maxQueue,
    onBlock: (cp) => witnessing?.onBlock(cp),
  });
  if (opts.witnesses) {
    const coordinator = new WitnessCoordinator({
      policy: opts.witnesses.policy,
      proveConsistency: (from, to) => ledger.proveConsistency(from, to),
      fetch: (url, init) => fetch(url, init as RequestInit),
      clock: systemClock,
    });
    witnessing = await Witnessing.open(ledger, coordinator);
  }
  const tokenFile = new TokenFile(join(dir, "tokens.json"));
  const deps = { clock: systemClock, randomBytes: secureRandomBytes };
  const make = async (role: string) => (await createToken(tokenFile, { name: role, role }, deps)).token;
  const tokens = { admin: await make("admin"), mediator: await make("mediator"), court: await make("court") };
  const logger = opts.logger ?? pino({ level: "silent" });
  const cases = await openCaseStack(dir, {
    ledger,
    clock: opts.cases?.clock ?? systemClock,
    randomBytes: secureRandomBytes,
    publicUrl: "",
    logger,
    webhookBackoffMs: opts.cases?.webhookBackoffMs ?? ((n) => 20 * 2 ** n),
    allowPrivateWebhooks: opts.cases?.allowPrivateWebhooks ?? true,
    signatureToleranceMs: opts.cases?.signatureToleranceMs,
    invitationTtlMs: opts.cases?.invitationTtlMs,
  });
  const service = await startHttpService(
    {
      ledger,
      // Tests re-read the token file on every request unless they ask for the service's window.
      tokens: new TokenAuthenticator(tokenFile, {
        clock: systemClock,
        recheckMs: opts.options?.tokenRecheckMs ?? 0,
      }),
      logger,
      clock: systemClock,
      randomBytes: secureRandomBytes,
      options: { ...DEFAULT_HTTP_OPTIONS, rateLimit: false, ...opts.options },
      processMetrics: false,
      cases: cases.services,
      ...(opts.sealing ? { sealing: await testSealing() } : {}),
      ...(witnessing ? { witnessing, policy: opts.witnesses?.policy } : {}),
    },
    { port: 0, host: "127.0.0.1" },
  );
  cases.services.publicUrl = service.url;
  let closed = false;
  return {
    url: service.url,
    dir,
    cases: cases.services,
    ledger,
    store,
    key,
    policy: singleLogPolicy(key.verifierKey),
    tokenFile,
    tokens,
    stop: () => service.stop(),
    async close(o = {}) {
      if (closed) return;
      closed = true;
      await service.stop();
      await witnessing?.close();
      await cases.close();
      await store.close();
      if (!o.keepData) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: test answers are asserted field by field
  json: any;
}

/** fetch with a bearer token and a JSON body; the answer is read whole. */
export async function call(
  base: string,
  method: string,
  path: string,
  o: { token?: string; json?: unknown; body?: BodyInit; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...o.headers };
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  let body = o.body;
  if (o.json !== undefined) {
    headers["content-type"] ??= "application/json";
    body = typeof o.json === "string" ? o.json : JSON.stringify(o.json);
  }
  const res = await fetch(`${base}${path}`, { method, headers, body });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** The error code of an error answer. */
export const codeOf = (a: Answer): string | undefined => a.json?.error?.code;

export const hex = (n: number) => n.toString(16).padStart(64, "0");

/**
 * A raw request that resolves on the answer even if the server stops reading
 * the body part-way (413 on a big upload), which fetch reports as an error.
 */
export function rawRequest(
  url: string,
  o: {
    method?: string;
    path: string;
    headers: Record<string, string | number>;
    chunks: Iterable<Uint8Array>;
    abortAfter?: number;
  },
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string } | "aborted"> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: u.hostname, port: u.port, method: o.method ?? "POST", path: o.path, headers: o.headers },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => {
          body += d;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on("error", reject);
      },
    );
    req.on("error", (e) => (o.abortAfter !== undefined ? resolve("aborted") : reject(e)));
    let sent = 0;
    const write = async () => {
      for (const c of o.chunks) {
        if (o.abortAfter !== undefined && sent >= o.abortAfter) {
          // Let the bytes reach the server before cutting the connection mid-body.
          await new Promise((r) => setTimeout(r, 50));
          req.destroy();
          return;
        }
        sent += c.length;
        if (!req.write(c)) await new Promise((r) => req.once("drain", r));
        if (req.destroyed) return;
      }
      req.end();
    };
    write().catch(() => undefined);
  });
}

/**
 * A raw kept-alive connection to a service, for requests written byte by byte
 * (pipelined, or a body sent after its headers): `statuses(n)` waits for the
 * first n answers and gives their status codes.
 */
export async function rawConnection(url: string) {
  const socket = connect(Number(new URL(url).port), "127.0.0.1");
  await once(socket, "connect");
  let received = "";
  socket.setEncoding("latin1");
  socket.on("data", (d: string) => {
    received += d;
  });
  // A status line follows the previous answer's body directly (JSON ends without a newline).
  const lines = () => received.match(/HTTP\/1\.1 \d{3} /g) ?? [];
  return {
    write: (text: string) => socket.write(text),
    async statuses(n: number): Promise<string[]> {
      while (lines().length < n) await new Promise((r) => setTimeout(r, 5));
      return lines().map((l) => l.slice(9, 12));
    },
    close: () => socket.destroy(),
  };
}

/** A multipart/form-data body in pieces: text fields, then `file` (when given) split into chunks. */
export function multipart(
  fields: Record<string, string>,
  file: Uint8Array | undefined,
  o: { boundary?: string; fileField?: string; chunk?: number; omitEnd?: boolean } = {},
): { contentType: string; chunks: Uint8Array[]; length: number } {
  const boundary = o.boundary ?? "----notarium-test-boundary-7d2k1m";
  const enc = new TextEncoder();
  const chunks: Uint8Array[] = [];
  for (const [k, v] of Object.entries(fields)) {
    chunks.push(enc.encode(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  if (file) {
    chunks.push(
      enc.encode(
        `--${boundary}\r\nContent-Disposition: form-data; name="${o.fileField ?? "file"}"; filename="evidence.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
    );
    const step = o.chunk ?? 256 * 1024;
    for (let i = 0; i < file.length; i += step) chunks.push(file.subarray(i, i + step));
    chunks.push(enc.encode("\r\n"));
  }
  if (!o.omitEnd) chunks.push(enc.encode(`--${boundary}--\r\n`));
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    chunks,
    length: chunks.reduce((n, c) => n + c.length, 0),
  };
}

/** PDF sealing with a TEST-ONLY certificate from a public seed. */
async function testSealing() {
  const { createPdfCertificate, pdfSignerFromPem } = await import("../../src/pdf/index.js");
  const { createPdfTools } = await import("../../src/cli/pdf-tools.js");
  const { seededBytes } = await import("../helpers/ledger.js");
  const cert = createPdfCertificate({
    commonName: "示例人民调解委员会 (TEST ONLY)",
    clock: systemClock,
    randomBytes: seededBytes(9),
  });
  return {
    pdf: createPdfTools({
      signer: pdfSignerFromPem(cert.certificatePem, cert.privateKeyPem),
      certificatePem: cert.certificatePem,
      clock: systemClock,
    }),
    centreName: "示例人民调解委员会",
  };
}
