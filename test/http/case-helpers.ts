import { createHash } from "node:crypto";
import { type nodeKeyPair, payload } from "../helpers/cases.js";
import { call, type TestService } from "./helpers.js";

export type NodeKey = ReturnType<typeof nodeKeyPair>;

/** Now, as a signer asserts it: RFC 3339 UTC, whole seconds. */
export const nowUtc = (offsetMs = 0) => `${new Date(Date.now() + offsetMs).toISOString().slice(0, 19)}Z`;

/** A small PDF (enough for the registration checks); `text` makes each one distinct. */
export const pdf = (text: string) =>
  new TextEncoder().encode(`%PDF-1.4\n% ${text}\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n`);

export const sha256Hex = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

/** Opens a case as the mediator and registers `agreement` (null: none) as the raw body; returns its ID and document digest. */
export async function openCase(
  s: TestService,
  parties: { id: string; role: string; name?: string; publicKey?: string }[],
  o: { agreement?: Uint8Array | null; signingOrder?: "parallel" | "sequential"; webhook?: string } = {},
) {
  const r = await call(s.url, "POST", "/api/v1/cases", {
    token: s.tokens.mediator,
    json: {
      caseNumber: "(2026)沪调字第123号",
      title: "货款纠纷调解协议",
      parties: parties.map((p) => ({ name: `name of ${p.id}`, ...p })),
      ...(o.signingOrder ? { signingOrder: o.signingOrder } : {}),
      ...(o.webhook ? { webhook: { url: o.webhook } } : {}),
    },
  });
  if (r.status !== 201) throw new Error(`create case: ${r.status} ${r.text}`);
  const id = r.json.id as string;
  let document: string | undefined;
  if (o.agreement !== null) {
    const bytes = o.agreement ?? pdf(id);
    const a = await uploadAgreement(s, id, bytes);
    if (a.status !== 201) throw new Error(`agreement: ${a.status} ${a.text}`);
    document = sha256Hex(bytes);
  }
  return { id, document: document as string, created: r.json };
}

export const uploadAgreement = (s: TestService, id: string, bytes: Uint8Array, type = "application/pdf") =>
  call(s.url, "PUT", `/api/v1/cases/${id}/agreement`, {
    token: s.tokens.mediator,
    body: bytes as Uint8Array<ArrayBuffer>, // fetch wants ArrayBuffer-backed views; ours are
    headers: { "content-type": type },
  });

export async function invite(s: TestService, caseId: string, signer: string) {
  const r = await call(s.url, "POST", `/api/v1/cases/${caseId}/invitations`, {
    token: s.tokens.mediator,
    json: { signer },
  });
  if (r.status !== 201) throw new Error(`invite: ${r.status} ${r.text}`);
  return r.json as { token: string; url: string; signer: string; expiresAt: string };
}

/** A signature body made with a node:crypto key over the DESIGN §6 payload; `over` changes what is signed. */
export function signed(
  key: NodeKey,
  f: { case: string; document: string; role: string; signer: string },
  over: Partial<Record<"case" | "document" | "role" | "signer" | "time", string>> = {},
) {
  const time = over.time ?? nowUtc();
  return { signer: f.signer, time, signature: key.sign(payload({ ...f, time, ...over })) };
}

export const postSignature = (s: TestService, caseId: string, body: unknown, token: string) =>
  call(s.url, "POST", `/api/v1/cases/${caseId}/signatures`, { token, json: body });

/** Polls until `ok()` holds (or fails the test after `ms`). */
export async function waitFor(ok: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 10));
  }
}
