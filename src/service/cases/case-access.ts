import { AppError } from "../../core/errors.js";
import type { Principal } from "../tokens.js";
import type { CaseServices } from "./context.js";

/**
 * A mediator token acts only on the cases it opened (a case records its
 * mediator's token name, which stays with the mediator when a token is
 * replaced); admin and court tokens reach every case, each within its role.
 * An unknown case passes: the route answers CASE_NOT_FOUND as for anyone.
 */
export async function checkCaseAccess(ctx: CaseServices, caseId: string, who: Principal): Promise<void> {
  if (who.role !== "mediator") return;
  const c = await ctx.cases.getCase(caseId);
  if (c && c.mediator !== who.name)
    throw new AppError(
      "FORBIDDEN",
      `case ${caseId} was opened by another mediator; a mediator token acts only on its own cases (an admin token acts on any)`,
    );
}
