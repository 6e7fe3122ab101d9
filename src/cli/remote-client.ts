import { AppError, type ErrorCode } from "../core/errors.js";
import type { Receipt } from "../ledger/receipt.js";
import type { Check } from "../ledger/verify-proof.js";
import { CliExit, EXIT } from "./output.js";

export interface RemoteKeys {
  origin: string;
  verifierKey: string;
  publicKey: string;
  witnesses: { name: string; vkey: string; url?: string }[];
  policy: string;
  pdfCertificate: string | null;
}

export interface RemoteVerification {
  valid: boolean;
  sha256: string;
  matches: Receipt[];
  checks: Check[];
}

export interface InclusionProofJson {
  index: number;
  size: number;
  root: string;
  proof: string[];
}

export interface ConsistencyProofJson {
  from: number;
  to: number;
  oldRoot: string;
  newRoot: string;
  proof: string[];
}

/** What an invited party sees (GET /api/v1/invitations/:token). */
export interface RemoteInvitation {
  caseId: string;
  caseNumber: string;
  title: string;
  signer: string;
  role: string;
  publicKey?: string;
  document?: string;
  signed: boolean;
  nextSigner?: string;
}

type Method = "GET" | "POST" | "PUT" | "DELETE";

/** Items per batch call: well under the server's default limit and its 1 MiB JSON body cap. */
export const REMOTE_BATCH = 1000;
const RETRIES_WHEN_BUSY = 3;

/**
 * Talks to a running service (`--server URL --token T`). Files never leave
 * the machine: callers hash locally and send digests. Errors keep the
 * server's code; a missing thing exits 1, everything else the user must fix
 * (bad token, wrong role, unreachable server, bad input) exits 2.
 */
export class RemoteClient {
  readonly baseUrl: string;

  constructor(
    server: string,
    private readonly token: string | undefined,
    private readonly fetchImpl: typeof fetch = fetch,
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
    return this.json("GET", "/api/v1/log/keys");
  }

  /** A page of entries for mirroring (court or admin token). */
  entries(
    from: number,
    limit = 1000,
  ): Promise<{
    size: number;
    entries: { index: number; txHash: string; entry: string }[];
    next: number | null;
  }> {
    return this.json("GET", `/api/v1/log/entries?from=${from}&limit=${limit}`);
  }

  checkpoint(): Promise<string> {
    return this.text("/api/v1/log/checkpoint");
  }

  verify(sha256: string): Promise<RemoteVerification> {
    return this.json("POST", "/api/v1/verify", { sha256 });
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
    return (await this.json<{ receipts: Receipt[] }>("POST", "/api/v1/evidence/batch", { items })).receipts;
  }

  /** Crypto-shredding of a party's identity data (mediator or admin token). */
  eraseIdentity(caseId: string, signer: string): Promise<{ erased: boolean }> {
    this.requireToken("erasing identity data");
    return this.json("DELETE", `/api/v1/cases/${seg(caseId)}/parties/${seg(signer)}/identity`);
  }

  /** A case's evidence package (mediator, court or admin token), as sent: check it with verifyCasePackage. */
  casePackage(caseId: string): Promise<unknown> {
    this.requireToken("reading a case package");
    return this.json("GET", `/api/v1/cases/${seg(caseId)}/package`);
  }

  // A party's calls, with its invitation token (in the path, and as the bearer to sign).

  invitation(token: string): Promise<RemoteInvitation> {
    return this.json("GET", `/api/v1/invitations/${seg(token)}`);
  }

  async invitationAgreement(token: string): Promise<Uint8Array> {
    const res = await this.send("GET", `/api/v1/invitations/${seg(token)}/agreement.pdf`);
    return new Uint8Array(await res.arrayBuffer());
  }

  bindKey(token: string, publicKey: string): Promise<{ caseId: string; signer: string; publicKey: string }> {
    return this.json("PUT", `/api/v1/invitations/${seg(token)}/key`, { publicKey });
  }

  submitSignature(
    caseId: string,
    body: { signer: string; time: string; signature: string; document?: string; role?: string },
  ): Promise<Receipt> {
    return this.json("POST", `/api/v1/cases/${seg(caseId)}/signatures`, body);
  }

  proveInclusion(index: number, size?: number): Promise<InclusionProofJson> {
    return this.json(
      "GET",
      `/api/v1/log/proof/inclusion?index=${index}${size === undefined ? "" : `&size=${size}`}`,
    );
  }

  proveConsistency(from: number, to: number): Promise<ConsistencyProofJson> {
    return this.json("GET", `/api/v1/log/proof/consistency?from=${from}&to=${to}`);
  }

  private requireToken(what: string): void {
    if (!this.token)
      throw new CliExit(
        EXIT.usage,
        `notarium: ${what} on a server needs a token: --token T or NOTARIUM_TOKEN`,
      );
  }

  private async json<T>(method: Method, path: string, body?: unknown): Promise<T> {
    const res = await this.send(method, path, body);
    return (await res.json()) as T;
  }

  private async text(path: string): Promise<string> {
    return (await this.send("GET", path)).text();
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
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      } catch (cause) {
        const why = (cause as { cause?: { message?: string } })?.cause?.message ?? (cause as Error).message;
        throw new CliExit(
          EXIT.usage,
          `notarium: cannot reach ${this.baseUrl} (${why}); is the service running? check --server`,
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
      throw await this.failure(res);
    }
  }

  private async failure(res: Response): Promise<Error> {
    let code = `HTTP_${res.status}`;
    let message = res.statusText;
    try {
      const e = ((await res.json()) as { error?: { code?: unknown; message?: unknown } }).error;
      if (typeof e?.code === "string") code = e.code;
      if (typeof e?.message === "string") message = e.message;
    } catch {
      // not our error shape (a proxy in between?): keep the status line
    }
    if (res.status === 404) return new AppError(code as ErrorCode, `${this.baseUrl}: ${message}`);
    return new CliExit(EXIT.usage, `notarium: ${this.baseUrl} refused: ${message} [${code}]`);
  }
}

/** A path segment from user input, percent-encoded so it cannot change the route. */
const seg = (s: string) => encodeURIComponent(s);
