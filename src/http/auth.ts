import type { RequestHandler } from "express";
import { INVITATION_PREFIX } from "../esign/invitation.js";
import { authorize, type Role } from "../service/tokens.js";
import type { Authenticator } from "./deps.js";
import type { InvitationHolder } from "./operation.js";

const BEARER = /^Bearer +([^\s]+) *$/i;

/**
 * Requires `Authorization: Bearer <token>` with one of `roles` (admin always
 * passes): 401 without a valid token, 403 with the wrong role. The principal
 * (ID, name, role; never the token) is left in res.locals for handlers and logs.
 * Where `invitations` is given, a party's invitation token (`inv_…`) passes
 * too; its holder (case and party) is left in res.locals.invitation, and what
 * it may do is the handler's to decide.
 */
export function requireRole(
  tokens: Authenticator,
  roles: readonly Role[],
  invitations?: (token: string) => Promise<InvitationHolder>,
): RequestHandler {
  return async (req, res, next) => {
    const token = BEARER.exec(req.headers.authorization ?? "")?.[1];
    if (invitations && token?.startsWith(INVITATION_PREFIX)) {
      res.locals.invitation = await invitations(token);
      next();
      return;
    }
    const principal = await tokens.authenticate(token);
    res.locals.principal = principal;
    authorize(principal, roles);
    next();
  };
}
