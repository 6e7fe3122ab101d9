import { readFile } from "node:fs/promises";
import type { Logger } from "pino";
import type { Clock, RandomBytes } from "../core/clock.js";
import { ValidationError } from "../core/errors.js";
import { parsePolicy, type TlogPolicy } from "../crypto/tlog-policy.js";
import type { Ledger } from "../ledger/ledger.js";
import { Witnessing as WitnessingImpl } from "../service/witnessing.js";
import type { Config } from "./config.js";

export type Witnessing = WitnessingImpl & { policy?: TlogPolicy };

/** The seal's centre name unless configured (NOTARIUM_CENTRE_NAME). */
export const DEFAULT_CENTRE_NAME = "示例人民调解委员会";

/**
 * PDF sealing: the service's ECDSA P-256 certificate and key in keys/
 * (made on first start, key mode 0600) and the PDF tools over them. Loaded
 * lazily: pdf-lib and the CJK font are only needed by `serve`.
 */
export async function openSealing(config: Config, deps: { clock: Clock; randomBytes: RandomBytes }) {
  const [{ loadOrCreatePdfCertificate }, { createPdfTools, sealTextRefusal }, { SEAL_LIMITS }] =
    await Promise.all([
      import("../pdf/certificate-files.js"),
      import("./pdf-tools.js"),
      import("../pdf/seal-spec.js"),
    ]);
  const centreName = config.centreName ?? DEFAULT_CENTRE_NAME;
  // Checked at start-up: a name the seal cannot show would otherwise fail every seal.
  const refusal = sealTextRefusal(centreName, SEAL_LIMITS.centreName);
  if (refusal) throw new ValidationError("CONFIG_INVALID", `NOTARIUM_CENTRE_NAME: ${refusal.message}`);
  const cert = await loadOrCreatePdfCertificate(config.keysDir, {
    commonName: centreName,
    clock: deps.clock,
    randomBytes: deps.randomBytes,
  });
  return {
    pdf: createPdfTools({ signer: cert.signer, certificatePem: cert.certificatePem, clock: deps.clock }),
    centreName,
  };
}

/**
 * What is wrong with a witness's submission URL, if anything. The policy is
 * published (GET /api/v1/log/keys), so credentials in it would be shown to all.
 */
function witnessUrlProblem(url: string): string | undefined {
  // The URL itself is never repeated: it may hold the very password this refuses to publish.
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return "its URL is not a URL (give it like https://witness.example/court)";
  }
  if (u.protocol !== "http:" && u.protocol !== "https:")
    return `its URL must be http(s), not ${u.protocol.slice(0, 20)}`;
  if (u.username || u.password)
    return "its URL must not hold a user or password (the policy is public at /api/v1/log/keys)";
  return undefined;
}

/**
 * Court witnesses from NOTARIUM_WITNESS_POLICY (a c2sp.org/tlog-policy file);
 * without one the log publishes its own signature only. Unreachable or
 * refusing witnesses are logged (a conflict as an error: a possible split view).
 */
export async function openWitnessing(
  config: Config,
  ledger: Ledger,
  deps: { clock: Clock },
  logger: Logger,
): Promise<Witnessing> {
  if (!config.witnessPolicyFile) return WitnessingImpl.open(ledger, undefined);
  let policy: TlogPolicy;
  try {
    policy = parsePolicy(await readFile(config.witnessPolicyFile, "utf8"));
  } catch (cause) {
    throw new ValidationError(
      "CONFIG_INVALID",
      `NOTARIUM_WITNESS_POLICY ${config.witnessPolicyFile}: ${(cause as Error).message}`,
      { cause },
    );
  }
  for (const w of policy.witnesses) {
    const problem = w.url === undefined ? undefined : witnessUrlProblem(w.url);
    if (problem)
      throw new ValidationError(
        "CONFIG_INVALID",
        `NOTARIUM_WITNESS_POLICY ${config.witnessPolicyFile}: witness ${w.name}: ${problem}`,
      );
  }
  if (!policy.logs.some((l) => l.vkey === ledger.key.verifierKey)) {
    throw new ValidationError(
      "CONFIG_INVALID",
      `NOTARIUM_WITNESS_POLICY must list this log: log ${ledger.key.verifierKey}`,
    );
  }
  const { WitnessCoordinator } = await import("../witness/log-client.js");
  const coordinator = new WitnessCoordinator({
    policy,
    proveConsistency: (from, to) => ledger.proveConsistency(from, to),
    fetch: (url, init) => fetch(url, init as RequestInit),
    clock: deps.clock,
  });
  const w = (await WitnessingImpl.open(ledger, coordinator, (r) => {
    for (const x of r.results) {
      if (x.conflict)
        logger.error(
          { witness: x.witness, url: x.url, blockHeight: r.blockHeight, detail: x.detail },
          "witness holds a conflicting view of this log (possible split view)",
        );
      else if (x.outcome === "unreachable" || x.outcome === "refused" || x.outcome === "invalid") {
        logger.warn(
          { witness: x.witness, url: x.url, outcome: x.outcome, status: x.httpStatus, detail: x.detail },
          "witness did not cosign",
        );
      }
    }
  })) as Witnessing;
  w.policy = policy;
  return w;
}
