import type { RequestHandler } from "express";
import { authorize, type Role } from "../service/tokens.js";
import type { Authenticator } from "./deps.js";

const BEARER = /^Bearer +([^\s]+) *$/i;

/**
 * Requires `Authorization: Bearer <token>` with one of `roles` (admin always
 * passes): 401 without a valid token, 403 with the wrong role. The principal
 * (ID, name, role; never the token) is left in res.locals for handlers and logs.
 */
export function requireRole(tokens: Authenticator, roles: readonly Role[]): RequestHandler {
  return async (req, res, next) => {
    const m = BEARER.exec(req.headers.authorization ?? "");
    const principal = await tokens.authenticate(m?.[1]);
    res.locals.principal = principal;
    authorize(principal, roles);
    next();
  };
}
