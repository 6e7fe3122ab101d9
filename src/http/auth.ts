import type { Request, RequestHandler } from "express";
import { INVITATION_PREFIX } from "../esign/invitation.js";
import { authorize, type Role } from "../service/tokens.js";
import type { Authenticator } from "./deps.js";
import type { InvitationHolder } from "./operation.js";

const BEARER = /^Bearer +([^\s]+) *$/i;

/** The token of an `Authorization: Bearer <token>` header, if the request carries one. */
export function bearerToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  return header === undefined ? undefined : BEARER.exec(header)?.[1];
}

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
  return (req, res, next) => {
    const token = bearerToken(req);
    if (invitations && token?.startsWith(INVITATION_PREFIX)) {
      invitations(token)
        .then((holder) => {
          res.locals.invitation = holder;
        })
        .then(() => next(), next);
      return;
    }
    // A known token needs no I/O: decided in this turn, without a promise (the deposit path).
    const known = token === undefined ? undefined : tokens.known?.(token);
    if (known !== undefined) {
      res.locals.principal = known;
      authorize(known, roles);
      next();
      return;
    }
    tokens
      .authenticate(token)
      .then((principal) => {
        res.locals.principal = principal;
        authorize(principal, roles);
      })
      .then(() => next(), next);
  };
}
