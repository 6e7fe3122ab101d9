import { concatBytes } from "../core/bytes.js";
import { type AddCheckpointRequest, formatAddCheckpointRequest } from "./add-checkpoint-request.js";
import { TLOG_SIZE_CONTENT_TYPE } from "./refusal-status.js";

/**
 * One `add-checkpoint` call from the log's side (c2sp.org/tlog-witness v1.0.0
 * §add-checkpoint), sorted into what the client acts on. Network failures and
 * aborts are thrown; everything the witness answers is returned.
 */
export type SubmitAnswer =
  /** 200: the body is the witness's cosignature lines (not yet verified). */
  | { kind: "cosigned"; body: string }
  /** 409 with a `text/x.tlog.size` body: the witness's stored size. */
  | { kind: "size-conflict"; size: number }
  /** 409 that says `text/x.tlog.size` but whose body is not a size: a broken answer, not a view. */
  | { kind: "unreadable-size"; body: string }
  /** Anything else, with the status and the start of the body for logs. */
  | { kind: "refused"; status: number; body: string };

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** The response bodies we read are small: cosignature lines, a size, or an error message. */
export const MAX_RESPONSE_BYTES = 64 * 1024;

const SIZE_BODY = /^(0|[1-9][0-9]*)\n$/;

/** `<submission prefix>/add-checkpoint`; the policy URL is the submission prefix (tlog-policy §Defining a witness). */
export function addCheckpointUrl(prefix: string): string {
  return `${prefix.replace(/\/+$/, "")}/add-checkpoint`;
}

export async function submitCheckpoint(
  fetchFn: FetchLike,
  prefix: string,
  req: AddCheckpointRequest,
  signal: AbortSignal,
): Promise<SubmitAnswer> {
  const res = await fetchFn(addCheckpointUrl(prefix), {
    method: "POST",
    headers: { "content-type": "text/plain; charset=utf-8" },
    body: formatAddCheckpointRequest(req),
    signal,
    // A witness answers itself: a redirect could point the service at its own network.
    redirect: "manual",
  });
  if (res.status >= 300 && res.status < 400) {
    await res.body?.cancel();
    return {
      kind: "refused",
      status: res.status,
      body: "redirects are not followed; give the witness's own URL",
    };
  }
  const body = await readCapped(res, MAX_RESPONSE_BYTES);
  if (res.status === 200) return { kind: "cosigned", body };
  if (res.status === 409) {
    const type = (res.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
    const m = SIZE_BODY.exec(body);
    if (type === TLOG_SIZE_CONTENT_TYPE) {
      return m && Number.isSafeInteger(Number(m[1]))
        ? { kind: "size-conflict", size: Number(m[1]) }
        : { kind: "unreadable-size", body: body.slice(0, 200) };
    }
  }
  return { kind: "refused", status: res.status, body: body.slice(0, 200) };
}

/** Reads at most `max` bytes of a response body as UTF-8 and drops the rest. */
async function readCapped(res: Response, max: number): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > max) {
      await reader.cancel();
      throw new Error(`response exceeds ${max} bytes`);
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(concatBytes(...chunks));
}
