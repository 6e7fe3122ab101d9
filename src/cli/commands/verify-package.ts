import { ValidationError } from "../../core/errors.js";
import { verifyCasePackage } from "../../esign/case-package.js";
import { hashFile } from "../hash-file.js";
import type { CliContext } from "../main.js";
import { CliExit, EXIT, printJson } from "../output.js";
import { policyFor, printChecks, readText } from "../trust-policy.js";

/**
 * `notarium verify --package FILE`: checks a case package with no network
 * (unless the trust policy itself is fetched from --server). The package's
 * own `policy` is never trusted: a forger would put their own key in it.
 */
export async function verifyPackageFile(
  ctx: CliContext,
  opts: { package: string; agreement?: string; policy?: string; key?: string; json?: boolean },
): Promise<void> {
  let pkg: unknown;
  try {
    pkg = JSON.parse(await readText(opts.package, "case package"));
  } catch (cause) {
    if (cause instanceof ValidationError) throw cause;
    throw new ValidationError("PACKAGE_INVALID", `${opts.package} is not JSON; is it a case package?`, {
      cause,
    });
  }
  const policy = await policyFor(opts, ctx, ctx.remote());
  const agreement = opts.agreement ? await hashFile(opts.agreement) : undefined;
  const r = verifyCasePackage(pkg, { policy, agreementSha256: agreement?.sha256 });
  if (opts.json)
    printJson({ package: opts.package, ...(agreement ? { agreement: agreement.path } : {}), ...r });
  else printChecks(r.valid, r.checks, `case ${r.case || "?"} (${opts.package})`);
  if (!r.valid) throw new CliExit(EXIT.checkFailed, "");
}
