import { z } from "zod";
import { AppError, type ErrorCode } from "../core/errors.js";
import { parseCheckpoint } from "../crypto/checkpoint.js";
import { parseNote } from "../crypto/signed-note.js";
import {
  boundKeySchema,
  consistencySchema,
  entriesSchema,
  erasedSchema,
  inclusionSchema,
  keysSchema,
  receiptsSchema,
  verdictSchema,
} from "../http/answer-schemas.js";
import { invitationViewSchema } from "../http/routes/case-schemas.js";
import { errorSchema, receiptSchema } from "../http/schemas.js";
import type { Receipt } from "../ledger/receipt.js";
import { CliExit, EXIT } from "./output.js";

export type RemoteKeys = z.output<typeof keysSchema>;
export type RemoteVerification = z.output<typeof verdictSchema>;
export type InclusionProofJson = z.output<typeof inclusionSchema>;
export type ConsistencyProofJson = z.output<typeof consistencySchema>;
/** What an invited party sees (GET /api/v1/invitations/:token). */
export type RemoteInvitation = z.output<typeof invitationViewSchema>;

type Method = "GET" | "POST" | "PUT" | "DELETE";

/** Items per batch call: well under the server's default limit and its 1 MiB JSON body cap. */
export const REMOTE_BATCH = 1000;
const RETRIES_WHEN_BUSY = 3;
/** How long one call may take, answer included, unless --timeout says otherwise. */
export const DEFAULT_TIMEOUT_SECONDS = 60;

/**
 * Talks to a running service (`--server URL --token T`). Files never leave
 * the machine: callers hash locally and send digests. Every answer is checked
 * against the API's own schemas, so a URL that is not a Notarium service (a
 * proxy's page, another API) gives a clear error instead of garbage. Errors
 * keep the server's code; a missing thing exits 1, everything else the user
 * must fix (bad token, wrong role, wrong URL, unreachable or failing server,
 * bad input) exits 2.
 */
export class RemoteClient {
  readonly baseUrl: string;

  constructor(
    server: string,
    private readonly token: string | undefined,
    private readonly fetchImpl: typeof fetch = fetch,
    private readonly timeoutSeconds = DEFAULT_TIMEOUT_SECONDS,
  ) {
    let url: URL;
    try {
      url = new URL(server);
    } catch {
      throw new CliExit(
        EXIT.usage,
        `notarium: --server must be a URL like http://localhost:8080, not "${server}"`,
      );
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new CliExit(EXIT.usage, `notarium: --server must be an http(s) URL, not "${server}"`);
    }
    this.baseUrl = url.href.replace(/\/+$/, "");
  }

  keys(): Promise<RemoteKeys> {
    return this.json(keysSchema, "GET", "/api/v1/log/keys");
  }

  /** A page of entries for mirroring (court or admin token). */
  entries(from: number, limit = 1000): Promise<z.output<typeof entriesSchema>> {
    return this.json(entriesSchema, "GET", `/api/v1/log/entries?from=${from}&limit=${limit}`);
  }

  /** The newest signed checkpoint, as served; checked for form here, for trust by the caller. */
  async checkpoint(): Promise<string> {
    const path = "/api/v1/log/checkpoint";
    const text = await this.read(path, await this.send("GET", path), (r) => r.text());
    try {
      parseCheckpoint(parseNote(text).text);
    } catch (e) {
      throw this.notOurs(path, `not a signed checkpoint: ${(e as Error).message}`);
    }
    return text;
  }

  verify(sha256: string): Promise<RemoteVerification> {
    return this.json(verdictSchema, "POST", "/api/v1/verify", { sha256 });
  }

  async depositBatch(
    items: readonly { sha256: string; size?: number; title?: string }[],
  ): Promise<Receipt[]> {
    if (!this.token) {
      throw new CliExit(
        EXIT.usage,
        "notarium: depositing on a server needs a mediator or admin token: --token T or NOTARIUM_TOKEN",
      );
    }
    const { receipts } = await this.json(receiptsSchema, "POST", "/api/v1/evidence/batch", { items });
    if (receipts.length !== items.length) {
      throw this.notOurs("/api/v1/evidence/batch", `${receipts.length} receipts for ${items.length} digests`);
    }
    return receipts;
  }

  /** Crypto-shredding of a party's identity data (mediator or admin token). */
  eraseIdentity(caseId: string, signer: string): Promise<{ erased: boolean }> {
    this.requireToken("erasing identity data");
    return this.json(erasedSchema, "DELETE", `/api/v1/cases/${seg(caseId)}/parties/${seg(signer)}/identity`);
  }

  /** A case's evidence package (mediator, court or admin token), as sent: check it with verifyCasePackage. */
  casePackage(caseId: string): Promise<unknown> {
    this.requireToken("reading a case package");
    return this.json(z.unknown(), "GET", `/api/v1/cases/${seg(caseId)}/package`);
  }

  // A party's calls, with its invitation token (in the path, and as the bearer to sign).

  invitation(token: string): Promise<RemoteInvitation> {
    return this.json(invitationViewSchema, "GET", `/api/v1/invitations/${seg(token)}`);
  }

  async invitationAgreement(token: string): Promise<Uint8Array> {
    const path = `/api/v1/invitations/${seg(token)}/agreement.pdf`;
    const res = await this.send("GET", path);
    return new Uint8Array(await this.read(path, res, (r) => r.arrayBuffer()));
  }

  bindKey(token: string, publicKey: string): Promise<{ caseId: string; signer: string; publicKey: string }> {
    return this.json(boundKeySchema, "PUT", `/api/v1/invitations/${seg(token)}/key`, { publicKey });
  }

  submitSignature(
    caseId: string,
    body: { signer: string; time: string; signature: string; document?: string; role?: string },
  ): Promise<Receipt> {
    return this.json(receiptSchema, "POST", `/api/v1/cases/${seg(caseId)}/signatures`, body);
  }

  proveInclusion(index: number, size?: number): Promise<InclusionProofJson> {
    return this.json(
      inclusionSchema,
      "GET",
      `/api/v1/log/proof/inclusion?index=${index}${size === undefined ? "" : `&size=${size}`}`,
    );
  }

  proveConsistency(from: number, to: number): Promise<ConsistencyProofJson> {
    return this.json(consistencySchema, "GET", `/api/v1/log/proof/consistency?from=${from}&to=${to}`);
  }

  private requireToken(what: string): void {
    if (!this.token)
      throw new CliExit(
        EXIT.usage,
        `notarium: ${what} on a server needs a token: --token T or NOTARIUM_TOKEN`,
      );
  }

  /** An answer's JSON, checked against the API's schema for it. */
  private async json<S extends z.ZodType>(
    schema: S,
    method: Method,
    path: string,
    body?: unknown,
  ): Promise<z.output<S>> {
    const res = await this.send(method, path, body);
    const text = await this.read(path, res, (r) => r.text());
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw this.notOurs(path, `not JSON but ${JSON.stringify(text.slice(0, 60))}`);
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? issue.path.join(".") : "the answer";
      throw this.notOurs(path, `${where}: ${issue?.message ?? "unexpected shape"}`);
    }
    return parsed.data;
  }

  /** Reads an answer's body; a connection that breaks off or times out on the way is the server's fault. */
  private async read<T>(path: string, res: Response, how: (r: Response) => Promise<T>): Promise<T> {
    try {
      return await how(res);
    } catch (e) {
      throw new CliExit(
        EXIT.usage,
        `notarium: the answer from ${this.baseUrl}${path} broke off: ${this.why(e)}`,
      );
    }
  }

  private notOurs(path: string, what: string): CliExit {
    return new CliExit(
      EXIT.usage,
      `notarium: ${this.baseUrl}${path} did not answer as a Notarium service does (${what}); check --server`,
    );
  }

  private why(e: unknown): string {
    const err = e as { name?: string; message?: string; cause?: { message?: string } };
    if (err?.name === "TimeoutError") return `no answer within ${this.timeoutSeconds} s (--timeout)`;
    return err?.cause?.message ?? err?.message ?? String(e);
  }

  private async send(method: Method, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { accept: "application/json, text/plain" };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await this.fetchImpl(`${this.baseUrl}${path}`, {
          method,
          headers,
          signal: AbortSignal.timeout(Math.max(1, Math.round(this.timeoutSeconds * 1000))),
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      } catch (e) {
        if ((e as Error)?.name === "TimeoutError" && method !== "GET")
          throw new CliExit(
            EXIT.usage,
            `notarium: ${this.baseUrl} gave ${this.why(e)}; it may still have done it: check (notarium verify FILE --server …) before sending it again`,
          );
        throw new CliExit(
          EXIT.usage,
          `notarium: cannot reach ${this.baseUrl} (${this.why(e)}); is the service running? check --server`,
        );
      }
      if (res.ok) return res;
      // The ledger's queue is full: back off as told, a few times, then give up.
      if (res.status === 503 && attempt < RETRIES_WHEN_BUSY) {
        const wait = Math.min(30, Number(res.headers.get("retry-after")) || 1);
        await res.body?.cancel();
        await new Promise((r) => setTimeout(r, wait * 1000));
        continue;
      }
      throw await this.failure(path, res);
    }
  }

  /**
   * A refusal. Only the service's own "not found" for a thing (an unknown
   * evidence ID, entry, case) is exit 1; a 404 that is not in the API's error
   * shape, or for a route the service does not have, means a wrong --server.
   */
  private async failure(path: string, res: Response): Promise<Error> {
    const status = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ""}`;
    const parsed = errorSchema.safeParse(await res.json().catch(() => undefined));
    if (!parsed.success) {
      return new CliExit(
        EXIT.usage,
        `notarium: ${this.baseUrl}${path} answered ${status}, not a Notarium error; is --server the service's URL?`,
      );
    }
    const { code, message } = parsed.data.error;
    if (code === "ROUTE_NOT_FOUND") {
      return new CliExit(
        EXIT.usage,
        `notarium: ${this.baseUrl} has no ${path.replace(/\?.*/, "")}: ${message}; give --server as the service's base URL`,
      );
    }
    if (res.status === 404) return new AppError(code as ErrorCode, `${this.baseUrl}: ${message}`);
    if (res.status >= 500) {
      const id = res.headers.get("x-request-id");
      return new CliExit(
        EXIT.usage,
        `notarium: ${this.baseUrl} failed (${status}): ${message} [${code}]${id ? `; request ID ${id} for its operator` : ""}`,
      );
    }
    return new CliExit(EXIT.usage, `notarium: ${this.baseUrl} refused: ${message} [${code}]`);
  }
}

/** A path segment from user input, percent-encoded so it cannot change the route. */
const seg = (s: string) => encodeURIComponent(s);
