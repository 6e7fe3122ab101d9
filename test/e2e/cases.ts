import { nodeKeyPair, payload } from "../helpers/cases.js";
import { call } from "../http/helpers.js";
import { AGREEMENT, type WebService } from "./helpers.js";

export const nowUtc = () => `${new Date().toISOString().slice(0, 19)}Z`;

export type Party = { id: string; role: string; name: string };
export const PARTIES: Party[] = [
  { id: "zhangsan", role: "applicant", name: "张三" },
  { id: "lisi", role: "respondent", name: "李四" },
];

async function ok(p: Promise<{ status: number; text: string; json: unknown }>, want: number) {
  const r = await p;
  if (r.status !== want) throw new Error(`expected ${want}, got ${r.status}: ${r.text}`);
  return r.json as Record<string, unknown>;
}

/** Opens a case through the API as the mediator and registers the Chinese sample agreement. */
export async function openCase(s: WebService, parties = PARTIES, agreement: Uint8Array = AGREEMENT) {
  const c = await ok(
    call(s.url, "POST", "/api/v1/cases", {
      token: s.tokens.mediator,
      json: { caseNumber: "示调字〔2026〕第0417号", title: "人民调解协议书", parties },
    }),
    201,
  );
  const reg = await ok(
    call(s.url, "PUT", `/api/v1/cases/${c.id}/agreement`, {
      token: s.tokens.mediator,
      body: agreement as Uint8Array<ArrayBuffer>,
      headers: { "content-type": "application/pdf" },
    }),
    201,
  );
  return { id: c.id as string, document: reg.sha256 as string, evidenceId: reg.evidenceId as string };
}

export async function invite(s: WebService, caseId: string, signer: string) {
  return (await ok(
    call(s.url, "POST", `/api/v1/cases/${caseId}/invitations`, {
      token: s.tokens.mediator,
      json: { signer },
    }),
    201,
  )) as { token: string; url: string };
}

/** A party signing through its invitation with a node:crypto key: binds the key, then posts the signature. */
export async function signViaApi(s: WebService, c: { id: string; document: string }, party: Party) {
  const key = nodeKeyPair();
  const inv = await invite(s, c.id, party.id);
  await ok(
    call(s.url, "PUT", `/api/v1/invitations/${inv.token}/key`, { json: { publicKey: key.publicKey } }),
    200,
  );
  const time = nowUtc();
  const signature = key.sign(
    payload({ case: c.id, document: c.document, role: party.role, signer: party.id, time }),
  );
  return ok(
    call(s.url, "POST", `/api/v1/cases/${c.id}/signatures`, {
      token: inv.token,
      json: { signer: party.id, time, signature },
    }),
    201,
  );
}

/** A fully signed and sealed case, through the API: the sealed PDF's bytes. */
export async function sealedCase(
  s: WebService,
): Promise<{ id: string; pdf: Uint8Array; registration: string }> {
  const c = await openCase(s);
  for (const p of PARTIES) await signViaApi(s, c, p);
  const res = await fetch(`${s.url}/api/v1/cases/${c.id}/seal`, {
    method: "POST",
    headers: { authorization: `Bearer ${s.tokens.mediator}` },
  });
  if (res.status !== 200) throw new Error(`seal: ${res.status} ${await res.text()}`);
  return { id: c.id, pdf: new Uint8Array(await res.arrayBuffer()), registration: c.evidenceId };
}
