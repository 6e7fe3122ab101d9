import { z } from "zod";
import { bindPartyKey } from "../../service/cases/bind-party-key.js";
import type { CaseServices } from "../../service/cases/context.js";
import { invitationAgreement, invitationView } from "../../service/cases/invitation-view.js";
import { createInvitation, revokeInvitations } from "../../service/cases/invitations.js";
import { boundKeySchema } from "../answer-schemas.js";
import { type AnyOperation, defineOperation } from "../operation.js";
import { hex64 } from "../schemas.js";
import { sendJson } from "../send-json.js";
import {
  caseIdParam,
  invitationSchema,
  invitationTokenParam,
  invitationViewSchema,
  signerParam,
} from "./case-schemas.js";

const tokenParams = z.object({ token: invitationTokenParam });
const GONE = "INVITATION_EXPIRED, INVITATION_REVOKED: ask the mediator for a new link";

/**
 * Invitations: the mediator makes and revokes single-case links; the party
 * holding one reads its agreement and binds its key. The link is the
 * capability, so the party routes are public (and rate limited), and their
 * answers are never cached.
 */
export function invitationOperations(cases: CaseServices): AnyOperation[] {
  return [
    defineOperation({
      id: "createInvitation",
      method: "post",
      path: "/api/v1/cases/:id/invitations",
      tag: "cases",
      summary: "Invite a party to sign",
      description:
        "A link for one party of this case, expiring; the token is shown once and only its hash is kept. " +
        "With it the party may read the agreement, bind its Ed25519 key once, and sign as itself.",
      caseScoped: true,
      roles: ["mediator"],
      params: z.object({ id: caseIdParam }),
      body: z.object({ signer: z.string().max(64) }).strict(),
      responses: { 201: { description: "the link", json: invitationSchema } },
      errors: { 409: "CASE_SEALED: nothing is left to sign" },
      async handle({ params, body, res }) {
        res.setHeader("Cache-Control", "no-store");
        // Without a configured public URL, a path: whoever asked knows the address it used
        // (the console completes it from its own), and a scheme guessed here could be wrong.
        const base = cases.linksAsPaths ? "" : cases.publicUrl;
        sendJson(res, await createInvitation(cases, params.id, body, base), 201);
      },
    }),
    defineOperation({
      id: "revokeInvitations",
      method: "delete",
      path: "/api/v1/cases/:id/invitations/:signer",
      tag: "cases",
      summary: "Revoke a party's open invitations",
      description: "Every link of this party stops working at once (410 `INVITATION_REVOKED`).",
      caseScoped: true,
      roles: ["mediator"],
      params: z.object({ id: caseIdParam, signer: signerParam }),
      responses: {
        200: {
          description: "how many links were revoked",
          json: z.object({ revoked: z.number().int() }),
        },
      },
      async handle({ params, res }) {
        sendJson(res, { revoked: await revokeInvitations(cases, params.id, params.signer) });
      },
    }),
    defineOperation({
      id: "getInvitation",
      method: "get",
      path: "/api/v1/invitations/:token",
      tag: "cases",
      summary: "What an invited party sees",
      description:
        "Its case, role, the digest of the agreement to sign, who has signed, and whether its key is bound.",
      params: tokenParams,
      responses: { 200: { description: "the invitation", json: invitationViewSchema } },
      errors: { 410: GONE },
      async handle({ params, res }) {
        res.setHeader("Cache-Control", "no-store");
        sendJson(res, await invitationView(cases, params.token));
      },
    }),
    defineOperation({
      id: "getInvitationAgreement",
      method: "get",
      path: "/api/v1/invitations/:token/agreement.pdf",
      tag: "cases",
      summary: "The agreement PDF, for the invited party to read",
      description: "`X-Content-SHA256` carries its digest; check it against `document` before signing.",
      params: tokenParams,
      responses: { 200: { description: "the registered agreement", binary: "application/pdf" } },
      errors: { 409: "AGREEMENT_MISSING: not registered yet", 410: GONE },
      async handle({ params, res }) {
        const { bytes, sha256 } = await invitationAgreement(cases, params.token);
        res.setHeader("Cache-Control", "no-store");
        res.setHeader("Content-Type", "application/pdf");
        res.setHeader("Content-Disposition", 'inline; filename="agreement.pdf"');
        res.setHeader("X-Content-SHA256", sha256);
        res.setHeader("Content-Length", bytes.length);
        res.end(bytes);
      },
    }),
    defineOperation({
      id: "bindInvitationKey",
      method: "put",
      path: "/api/v1/invitations/:token/key",
      tag: "cases",
      summary: "Bind the party's Ed25519 public key",
      description:
        "Once per party: the same key again is a no-op, another key is 409 `KEY_ALREADY_BOUND`; " +
        "a key off the curve, non-canonical or of small order is 400 `INVALID_PUBLIC_KEY`. " +
        "The private key never reaches the server.",
      params: tokenParams,
      body: z.object({ publicKey: hex64.meta({ description: "32-byte Ed25519 key, hex" }) }).strict(),
      codes: { publicKey: "INVALID_PUBLIC_KEY" },
      responses: {
        200: {
          description: "bound",
          json: boundKeySchema,
        },
      },
      errors: { 409: "KEY_ALREADY_BOUND", 410: GONE },
      async handle({ params, body, res }) {
        res.setHeader("Cache-Control", "no-store");
        sendJson(res, await bindPartyKey(cases, params.token, body));
      },
    }),
  ];
}
