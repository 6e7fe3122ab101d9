import { generateKeyPairSync, sign } from "node:crypto";
import { fixedClock } from "../../src/core/clock.js";
import { type CaseEvent, caseServices } from "../../src/service/cases/context.js";
import { MemoryStateStore } from "../../src/storage/memory-state-store.js";
import { openTestLedger, seededBytes } from "./ledger.js";

/** A party key made by node:crypto, independent of the code under test. */
export function nodeKeyPair() {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const raw = publicKey.export({ format: "der", type: "spki" }).subarray(12);
  return {
    publicKey: raw.toString("hex"),
    sign: (text: string) => sign(null, Buffer.from(text, "utf8"), privateKey).toString("hex"),
  };
}

export function payload(f: {
  case: string;
  document: string;
  role: string;
  signer: string;
  time: string;
}): string {
  return `notarium/agreement-signature/v1\ncase ${f.case}\ndocument ${f.document}\nrole ${f.role}\nsigner ${f.signer}\ntime ${f.time}\n`;
}

export const PDF = new TextEncoder().encode(
  "%PDF-1.4\n% test agreement\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n",
);

export async function openCaseServices() {
  const t = await openTestLedger();
  const state = new MemoryStateStore();
  const events: CaseEvent[] = [];
  const clock = fixedClock("2026-11-26T10:00:00.000Z");
  const ctx = caseServices({
    ledger: t.ledger,
    cases: state,
    identities: state,
    blobs: state,
    clock,
    randomBytes: seededBytes(7),
    publicUrl: "http://localhost:8080",
    onEvent: (e) => events.push(e),
  });
  return { ...t, ctx, state, events, clock };
}
