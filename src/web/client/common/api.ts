/**
 * Calls to the Notarium API from the pages. Errors come back as
 * `{"error":{"code","message"}}` (DESIGN §5); the pages match on `code`.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export interface CallOptions {
  method?: string;
  token?: string;
  json?: unknown;
  body?: BodyInit;
  contentType?: string;
}

async function send(path: string, o: CallOptions): Promise<Response> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  let body = o.body;
  if (o.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(o.json);
  } else if (o.contentType) headers["content-type"] = o.contentType;
  let res: Response;
  try {
    res = await fetch(path, { method: o.method ?? "GET", headers, body, cache: "no-store" });
  } catch (cause) {
    throw new ApiError(0, "NETWORK", `the service cannot be reached (${(cause as Error).message})`);
  }
  if (res.ok) return res;
  let code = `HTTP_${res.status}`;
  let message = res.statusText;
  try {
    const e = (await res.json()) as { error?: { code?: string; message?: string } };
    code = e.error?.code ?? code;
    message = e.error?.message ?? message;
  } catch {
    // not a JSON error answer (a proxy's page, say): keep the status
  }
  throw new ApiError(res.status, code, message);
}

export async function apiJson<T>(path: string, o: CallOptions = {}): Promise<T> {
  return (await send(path, o)).json() as Promise<T>;
}

export async function apiBytes(path: string, o: CallOptions = {}): Promise<Uint8Array> {
  return new Uint8Array(await (await send(path, o)).arrayBuffer());
}

export async function apiText(path: string, o: CallOptions = {}): Promise<string> {
  return (await send(path, o)).text();
}
