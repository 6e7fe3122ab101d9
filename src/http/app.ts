import express, { type Express } from "express";
import { webPages } from "../web/serve-pages.js";
import type { AppDeps } from "./deps.js";
import { errorHandler, notFound } from "./error-handler.js";
import { observeRequests } from "./metrics.js";
import { mountOperations } from "./mount.js";
import type { AnyOperation } from "./operation.js";
import { publicRateLimit } from "./rate-limit.js";
import { requestLog } from "./request-log.js";
import { caseOperations } from "./routes/cases.js";
import { docsOperations } from "./routes/docs.js";
import { evidenceOperations } from "./routes/evidence.js";
import { healthOperations } from "./routes/health.js";
import { invitationOperations } from "./routes/invitations.js";
import { logOperations } from "./routes/log.js";
import { proofOperations } from "./routes/proofs.js";
import { sealingOperations } from "./routes/sealing.js";
import { verifyOperations } from "./routes/verify.js";
import { cors, securityHeaders } from "./security.js";

/** Every operation of the API (DESIGN §5), in the order the reference lists them. */
export function apiOperations(deps: AppDeps): AnyOperation[] {
  const api = [
    ...evidenceOperations(deps),
    ...verifyOperations(deps),
    ...(deps.cases ? [...caseOperations(deps, deps.cases), ...invitationOperations(deps.cases)] : []),
    ...(deps.sealing ? sealingOperations(deps, deps.cases, deps.sealing) : []),
    ...logOperations(deps),
    ...proofOperations(deps),
    ...healthOperations(deps),
  ];
  return [...api, ...docsOperations(deps, api)];
}

/** The express app, built only from injected dependencies (no globals, no environment). */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable("x-powered-by");
  // Answers are not re-validated by ETag (immutable ones say so in Cache-Control); skip hashing every body.
  app.set("etag", false);
  app.set("trust proxy", deps.options.trustProxy);
  app.set("query parser", "simple");
  app.use(requestLog(deps.logger, deps.randomBytes));
  app.use(observeRequests(deps.metrics));
  app.use(securityHeaders({ https: deps.options.https }));
  app.use(cors(deps.options.corsOrigins));
  app.use((_req, res, next) => {
    // While draining, finish this answer and then close the connection.
    if (deps.lifecycle.draining) res.setHeader("Connection", "close");
    next();
  });
  mountOperations(app, apiOperations(deps), deps, publicRateLimit(deps.options, deps.tokens));
  app.use(webPages());
  app.use(notFound);
  app.use(errorHandler(deps.logger));
  return app;
}
