// Case fixtures for bench/http.bench.mjs: cases opened in process (not timed), party keys and
// signatures made by node:crypto, so the timed part is only what the service does with them.
import { createPublicKey, generateKeyPairSync, sign, verify } from "node:crypto";
import { fromBase64 } from "../dist/core/bytes.js";
import { verifyCasePackage } from "../dist/esign/case-package.js";
import { singleLogPolicy } from "../dist/ledger/verify-proof.js";
import { createCase } from "../dist/service/cases/create-case.js";
import { getCasePackage } from "../dist/service/cases/get-case.js";
import { registerAgreement } from "../dist/service/cases/register-agreement.js";
import { submitSignature } from "../dist/service/cases/submit-signature.js";

const SPKI_ED25519 = Buffer.from("302a300506032b6570032100", "hex");
const keyObject = (raw) =>
  createPublicKey({ key: Buffer.concat([SPKI_ED25519, raw]), format: "der", type: "spki" });

function partyKey() {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  return {
    publicKey: publicKey.export({ format: "der", type: "spki" }).subarray(12).toString("hex"),
    sign: (text) => sign(null, Buffer.from(text, "utf8"), privateKey).toString("hex"),
  };
}

const payload = (f) =>
  `notarium/agreement-signature/v1\ncase ${f.case}\ndocument ${f.document}\nrole ${f.role}\nsigner ${f.signer}\ntime ${f.time}\n`;

const agreementPdf = (n) => new TextEncoder().encode(`%PDF-1.4\n% bench agreement ${n}\n%%EOF\n`);

/** Opens `count` cases of `parties` parties each (keys known at opening), each with its agreement registered. */
export async function openCases(services, count, parties) {
  const open = async (n) => {
    const keys = Array.from({ length: parties }, partyKey);
    const c = await createCase(
      services,
      {
        caseNumber: `bench-${n}`,
        title: "bench agreement",
        parties: keys.map((k, i) => ({
          id: `p${i}`,
          role: i === 0 ? "applicant" : "respondent",
          name: `party ${i}`,
          publicKey: k.publicKey,
        })),
      },
      "bench",
    );
    const { sha256 } = await registerAgreement(services, c.id, agreementPdf(n));
    return { id: c.id, document: sha256, keys };
  };
  const out = [];
  // 64 at a time: enough to fill blocks, few enough not to queue thousands of synced file writes at once.
  for (let i = 0; i < count; i += 64) {
    out.push(...(await Promise.all(Array.from({ length: Math.min(64, count - i) }, (_, j) => open(i + j)))));
  }
  return out;
}

/** One signature body per party, ordered party by party across cases, so concurrent requests hit different cases. */
export function signatureRequests(cases, time) {
  const requests = [];
  const parties = cases[0]?.keys.length ?? 0;
  for (let p = 0; p < parties; p++) {
    for (const c of cases) {
      const f = {
        case: c.id,
        document: c.document,
        role: p === 0 ? "applicant" : "respondent",
        signer: `p${p}`,
        time,
      };
      const body = JSON.stringify({ signer: f.signer, time, signature: c.keys[p].sign(payload(f)) });
      requests.push({ path: `/api/v1/cases/${c.id}/signatures`, body });
    }
  }
  return requests;
}

/** A fully signed case of `parties` parties, as the JSON package a party would download. */
export async function signedCasePackage(services, parties, time) {
  const [c] = await openCases(services, 1, parties);
  for (const [p, k] of c.keys.entries()) {
    const f = {
      case: c.id,
      document: c.document,
      role: p === 0 ? "applicant" : "respondent",
      signer: `p${p}`,
      time,
    };
    await submitSignature(
      services,
      c.id,
      { signer: f.signer, time, signature: k.sign(payload(f)) },
      { kind: "mediator" },
    );
  }
  return { pkg: JSON.parse(JSON.stringify(await getCasePackage(services, c.id))), document: c.document };
}

/** verifyCasePackage, once; throws unless valid (a fast wrong answer is no figure). */
export function checkPackage(pkg, verifierKey, document) {
  const r = verifyCasePackage(pkg, { policy: singleLogPolicy(verifierKey), agreementSha256: document });
  if (!r.valid) throw new Error(`package invalid: ${JSON.stringify(r.checks.at(-1))}`);
}

/**
 * The native baseline for a package check: the same Ed25519 verifications with node:crypto, one per
 * party signature and one per entry's checkpoint signature, and nothing else (no parsing, no proofs).
 */
export function nativeVerifications(pkg, verifierKey) {
  const jobs = [];
  for (const item of pkg.entries) {
    const body = JSON.parse(item.entry).body;
    if (body.signature) {
      jobs.push([
        Buffer.from(payload(body)),
        keyObject(Buffer.from(body.publicKey, "hex")),
        Buffer.from(body.signature, "hex"),
      ]);
    }
    // tlog-proof: a blank line ends the header, then the signed note; its signature line is "— <name> <b64>".
    const note = item.tlogProof.slice(item.tlogProof.indexOf("\n\n") + 2);
    const [text, sigs] = [note.slice(0, note.indexOf("\n\n") + 1), note.slice(note.indexOf("\n\n") + 2)];
    const sig = fromBase64(sigs.split("\n")[0].split(" ").at(-1)).subarray(4);
    // name+hash+base64: split on the first two "+" only, as base64 has "+" of its own.
    const key = fromBase64(verifierKey.split("+").slice(2).join("+")).subarray(1);
    jobs.push([Buffer.from(text), keyObject(Buffer.from(key)), Buffer.from(sig)]);
  }
  return () => {
    for (const [msg, key, sig] of jobs)
      if (!verify(null, msg, key, sig)) throw new Error("baseline: bad signature");
  };
}
