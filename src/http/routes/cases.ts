import { z } from "zod";
import { AppError, isAppError } from "../../core/errors.js";
import { resetPartyKey } from "../../service/cases/bind-party-key.js";
import type { CaseServices } from "../../service/cases/context.js";
import { createCase, createCaseInput } from "../../service/cases/create-case.js";
import { getCase, getCasePackage } from "../../service/cases/get-case.js";
import { attestIdentity, attestIdentityInput, eraseIdentity } from "../../service/cases/identity.js";
import { openInvitation } from "../../service/cases/invitations.js";
import { registerAgreement } from "../../service/cases/register-agreement.js";
import { recordSignature } from "../../service/cases/submit-signature.js";
import { erasedSchema } from "../answer-schemas.js";
import type { AppDeps } from "../deps.js";
import { type AnyOperation, defineOperation, type InvitationHolder } from "../operation.js";
import { appendedReceiptJson } from "../receipt-json.js";
import { fileBytes, receiptSchema } from "../schemas.js";
import { sendAsciiJson, sendJson } from "../send-json.js";
import {
  agreementReceiptSchema,
  caseIdParam,
  casePackageSchema,
  caseViewSchema,
  createdCaseSchema,
  signatureCodes,
  signatureInput,
  signerParam,
} from "./case-schemas.js";

const caseParams = z.object({ id: caseIdParam });

/**
 * An invitation token used as a bearer credential: an unknown one is not a
 * credential at all (401, like an unknown API token); an expired or revoked
 * one keeps its own code (410) so the party knows to ask for a new link.
 */
async function invitationHolder(cases: CaseServices, token: string): Promise<InvitationHolder> {
  try {
    const { inv } = await openInvitation(cases, token);
    return { caseId: inv.caseId, signer: inv.signer };
  } catch (e) {
    if (isAppError(e) && e.code === "INVITATION_NOT_FOUND")
      throw new AppError("UNAUTHENTICATED", e.message, { cause: e });
    throw e;
  }
}

/** Cases, agreements, signatures, identities and packages (DESIGN §5, §6), for mediators and courts. */
export function caseOperations(deps: AppDeps, cases: CaseServices): AnyOperation[] {
  const maxDocumentBytes = deps.options.maxDocumentBytes;
  return [
    defineOperation({
      id: "createCase",
      method: "post",
      path: "/api/v1/cases",
      tag: "cases",
      summary: "Open a mediation case",
      description:
        "The parties who must sign (`publicKey` when already known; else bound later through an invitation), " +
        "the signing order (`parallel`, or `sequential` in the order given) and an optional webhook for case events. " +
        "Names stay in the case store, never on the log.",
      roles: ["mediator"],
      body: createCaseInput,
      codes: { publicKey: "INVALID_PUBLIC_KEY", url: "WEBHOOK_INVALID" },
      responses: {
        201: { description: "opened; `webhookSecret` appears here only", json: createdCaseSchema },
      },
      async handle({ body, principal, res }) {
        const created = await createCase(cases, body, principal?.name ?? "unknown", {
          sealPartiesProblem: deps.sealing?.pdf.sealPartiesProblem,
        });
        res.setHeader("Location", `/api/v1/cases/${created.id}`);
        sendJson(res, created, 201);
      },
    }),
    defineOperation({
      id: "getCase",
      method: "get",
      path: "/api/v1/cases/:id",
      tag: "cases",
      summary: "A case: status, parties, signatures, and every entry with its receipt",
      caseScoped: true,
      roles: ["mediator", "court"],
      params: caseParams,
      responses: { 200: { description: "the case", json: caseViewSchema } },
      async handle({ params, res }) {
        res.setHeader("Cache-Control", "no-store");
        sendJson(res, await getCase(cases, params.id));
      },
    }),
    defineOperation({
      id: "registerAgreement",
      method: "put",
      path: "/api/v1/cases/:id/agreement",
      tag: "cases",
      summary: "Register the agreement PDF",
      description:
        `The PDF as the raw body (\`Content-Type: application/pdf\`) or a multipart \`file\` part, at most ${maxDocumentBytes} bytes. ` +
        "Stored, and recorded as `agreement.registered` with its SHA-256 and the parties who must sign. " +
        "It may be replaced until the first party signs (then 409 `AGREEMENT_LOCKED`).",
      caseScoped: true,
      roles: ["mediator"],
      params: caseParams,
      body: fileBytes,
      file: { types: ["application/pdf"], maxBytes: maxDocumentBytes },
      responses: { 201: { description: "registered; the receipt", json: agreementReceiptSchema } },
      errors: { 409: "AGREEMENT_LOCKED: a party has signed already" },
      async handle({ params, body, res }) {
        // With the PDF layer at hand, refuse encrypted, corrupt or unsealable files before anything is stored.
        const pdf = deps.sealing?.pdf;
        const receipt = await registerAgreement(
          cases,
          params.id,
          body,
          pdf ? (b) => pdf.check(b) : undefined,
        );
        res.setHeader("Location", `/api/v1/evidence/${receipt.evidenceId}`);
        sendJson(res, receipt, 201);
      },
    }),
    defineOperation({
      id: "submitSignature",
      method: "post",
      path: "/api/v1/cases/:id/signatures",
      tag: "cases",
      summary: "Record a party's signature of the agreement",
      description:
        "An Ed25519 signature over the DESIGN §6 payload (case, document, role, signer, time), checked against " +
        "the key bound to the signer, the registered document, the signer's role, a time tolerance around now and, " +
        "in sequential cases, the signing order; then recorded as `agreement.signed`. " +
        "With an invitation token a party signs only as itself, in its own case. Nothing is recorded when refused.",
      caseScoped: true,
      roles: ["mediator"],
      invitations: (token) => invitationHolder(cases, token),
      params: caseParams,
      body: signatureInput,
      codes: signatureCodes,
      responses: { 201: { description: "recorded; the receipt", json: receiptSchema } },
      errors: {
        403: "FORBIDDEN (wrong role), or SIGNER_MISMATCH / CASE_MISMATCH (an invitation used for another party or case)",
        409: "KEY_NOT_BOUND, ALREADY_SIGNED, NOT_YOUR_TURN, AGREEMENT_MISSING",
        410: "INVITATION_EXPIRED, INVITATION_REVOKED",
        422: "SIGNATURE_INVALID, DOCUMENT_MISMATCH, ROLE_MISMATCH, TIME_OUT_OF_TOLERANCE",
      },
      async handle({ params, body, invitation, res }) {
        const actor = invitation ? { kind: "party" as const, ...invitation } : { kind: "mediator" as const };
        const appended = await recordSignature(cases, params.id, body, actor);
        res.setHeader("Location", `/api/v1/evidence/${appended.evidenceId}`);
        sendAsciiJson(res, appendedReceiptJson(appended), 201);
      },
    }),
    defineOperation({
      id: "attestIdentity",
      method: "post",
      path: "/api/v1/cases/:id/identities",
      tag: "cases",
      summary: "Attest how a party's identity was verified",
      description:
        "The identity data and a random salt go to a separate, erasable store; the log gets `identity.attested` " +
        "with only the salted commitment SHA-256(salt ‖ JCS(identity)), the method, who attested (this token's name) and when.",
      caseScoped: true,
      roles: ["mediator"],
      params: caseParams,
      body: attestIdentityInput,
      responses: {
        201: {
          description: "recorded; the receipt and the commitment",
          json: receiptSchema.extend({ commitment: z.string() }),
        },
      },
      errors: { 409: "IDENTITY_ALREADY_ATTESTED: erase the first attestation before attesting again" },
      async handle({ params, body, principal, res }) {
        sendJson(res, await attestIdentity(cases, params.id, body, principal?.name ?? "unknown"), 201);
      },
    }),
    defineOperation({
      id: "eraseIdentity",
      method: "delete",
      path: "/api/v1/cases/:id/parties/:signer/identity",
      tag: "cases",
      summary: "Erase a party's identity data (crypto-shredding)",
      description:
        "Deletes the identity data and the salt; the log's commitment stays, unopenable, and every proof stays valid. " +
        "Idempotent: `erased` is false when there was nothing (left) to erase.",
      caseScoped: true,
      roles: ["mediator"],
      params: z.object({ id: caseIdParam, signer: signerParam }),
      responses: { 200: { description: "done", json: erasedSchema } },
      async handle({ params, res }) {
        sendJson(res, await eraseIdentity(cases, params.id, params.signer));
      },
    }),
    defineOperation({
      id: "resetPartyKey",
      method: "delete",
      path: "/api/v1/cases/:id/parties/:signer/key",
      tag: "cases",
      summary: "Unbind a party's key before it signs",
      description:
        "For a party whose key was lost or whose passphrase was forgotten: the party's open links are revoked, the reset " +
        "goes to the case's webhook (`party.key_reset`), and the party binds a new key through a new link. " +
        "Refused once the party has signed (409 `ALREADY_SIGNED`) or the case is sealed " +
        "(409 `CASE_SEALED`). `reset` is false when no key was bound.",
      roles: ["mediator"],
      caseScoped: true,
      params: z.object({ id: caseIdParam, signer: signerParam }),
      responses: { 200: { description: "done", json: z.object({ reset: z.boolean() }) } },
      errors: { 409: "ALREADY_SIGNED, CASE_SEALED" },
      async handle({ params, res }) {
        sendJson(res, await resetPartyKey(cases, params.id, params.signer));
      },
    }),
    defineOperation({
      id: "getCasePackage",
      method: "get",
      path: "/api/v1/cases/:id/package",
      tag: "cases",
      summary: "The case's evidence package, for offline checking",
      description:
        "Every entry of the case with its own c2sp.org/tlog-proof, and the log's policy: " +
        "`notarium verify --package FILE --key VKEY` checks it with no network.",
      caseScoped: true,
      roles: ["mediator", "court"],
      params: caseParams,
      responses: { 200: { description: "the package", json: casePackageSchema } },
      async handle({ params, res }) {
        const pkg = await getCasePackage(cases, params.id);
        // From the stored case ID (plain characters), never from the raw path.
        res.setHeader("Content-Disposition", `attachment; filename="${pkg.case}.package.json"`);
        sendJson(res, pkg);
      },
    }),
  ];
}
