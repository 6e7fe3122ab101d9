import { join } from "node:path";
import type { Command } from "commander";
import type { HttpService } from "../../http/http-service.js";
import { createToken, TokenAuthenticator } from "../../service/tokens.js";
import { writeFileAtomic } from "../../storage/token-file.js";
import { keepFreedHeapMapped } from "../heap-tuning.js";
import type { CliContext } from "../main.js";
import { type CaseStack, openCaseStack } from "../open-cases.js";
import { DEFAULT_CENTRE_NAME, openSealing, openWitnessing, type Witnessing } from "../open-extras.js";
import { openLocalLedger } from "../open-local.js";
import { stopSignal } from "../stop-signal.js";
import { tokenFileOf } from "./token.js";

export const ADMIN_TOKEN_FILE = "admin.token";

/**
 * `notarium serve` (what `npm start` runs): opens the ledger and keys,
 * creates the admin token on first start (printed once, kept in
 * keys/admin.token, mode 0600), opens the case state (data/state, data/blobs)
 * and webhook delivery, serves the API until SIGTERM or SIGINT, then drains:
 * no new connections, in-flight deposits answered, the ledger's queue flushed
 * into a last block, webhook retries dropped, the stores closed.
 */
export function registerServe(program: Command, ctx: CliContext): void {
  program
    .command("serve")
    .description(
      "start the Notarium service (what npm start runs); PORT, HOST and NOTARIUM_* variables configure it",
    )
    .action(async () => {
      // Loaded here, not at the top: every other command starts faster without express and friends.
      const [{ pino }, { startHttpService }, { parseHttpOptions }] = await Promise.all([
        import("pino"),
        import("../../http/http-service.js"),
        import("../../http/options.js"),
      ]);
      void keepFreedHeapMapped(); // on the thread pool, while the stores open
      const config = ctx.config();
      const options = parseHttpOptions(ctx.env, {
        maxUploadBytes: config.maxUploadBytes,
        https: config.publicUrl?.startsWith("https:") ?? false,
      });
      const logger = pino({ level: config.logLevel, base: { service: "notarium" } });
      // Witness rounds start after each block; the hook is bound once witnessing exists.
      let witnessing: Witnessing | undefined;
      const local = await openLocalLedger(config, {
        ...ctx,
        create: true,
        onBlock: (cp) => witnessing?.onBlock(cp),
      });
      let admin: string | undefined;
      let service: HttpService;
      let cases: CaseStack | undefined;
      try {
        const tokens = tokenFileOf(config.dataDir);
        cases = await openCaseStack(config.dataDir, {
          ledger: local.ledger,
          clock: ctx.clock,
          randomBytes: ctx.randomBytes,
          publicUrl: config.publicUrl ?? "",
          logger,
          allowPrivateWebhooks: config.webhookAllowPrivate,
        });
        witnessing = await openWitnessing(config, local.ledger, ctx, logger);
        const sealing = await openSealing(config, ctx);
        service = await startHttpService(
          {
            ledger: local.ledger,
            tokens: new TokenAuthenticator(tokens, { clock: ctx.clock, recheckMs: options.tokenRecheckMs }),
            logger,
            clock: ctx.clock,
            randomBytes: ctx.randomBytes,
            options,
            cases: cases.services,
            sealing,
            witnessing,
            ...(witnessing.policy ? { policy: witnessing.policy } : {}),
          },
          { port: config.port, host: config.host },
        );
        // Invitation links need the served URL, known only once listening (PORT=0 picks the port).
        if (!config.publicUrl) {
          cases.services.publicUrl = service.url;
          cases.services.linksAsPaths = true;
        }
        // Made only once the service is up, so a start that fails on its configuration (a bad
        // witness policy, a port in use) does not use up the one time the token is shown.
        // (No token records at all, not merely no file: a start that failed below leaves an empty list.)
        if ((await tokens.read()).records.length === 0) {
          let made: Awaited<ReturnType<typeof createToken>> | undefined;
          try {
            made = await createToken(tokens, { name: "admin", role: "admin" }, ctx);
            await writeFileAtomic(join(config.keysDir, ADMIN_TOKEN_FILE), `${made.token}\n`, 0o600);
            admin = made.token;
          } catch (e) {
            // A token nobody was shown is no use: forgotten, so that the next start makes one.
            const id = made?.record.id;
            if (id)
              await tokens.update((records) => records.filter((r) => r.id !== id)).catch(() => undefined);
            await service.stop();
            throw e;
          }
        }
      } catch (e) {
        await witnessing?.close();
        await cases?.close();
        await local.close();
        throw e;
      }
      // Listening for the signals before saying we serve: a SIGTERM sent on seeing that line drains.
      const stopped = stopSignal(logger, "shutting down: draining in-flight requests and the append queue");
      const url = config.publicUrl ?? service.url;
      const out = [
        `Notarium is serving ${url}  (log ${local.key.origin}, ${local.ledger.size} entries)`,
        `  API reference  ${url}/api/docs`,
        ...(config.publicUrl
          ? []
          : [
              `  invitation links are paths the console completes with its own address; sealed PDFs and certificates carry ${url}:`,
              "  set NOTARIUM_PUBLIC_URL to the address parties and courts use",
            ]),
        ...(config.centreName
          ? []
          : [
              `  seals and the PDF certificate name the example centre ${DEFAULT_CENTRE_NAME}: set NOTARIUM_CENTRE_NAME`,
            ]),
        ...(local.keyCreated
          ? [`  created a new log key in ${config.keysDir}/ (back it up: a new key means a new log)`]
          : []),
        ...(admin
          ? [
              `  first start: created the admin token (shown only this once; also in ${join(config.keysDir, ADMIN_TOKEN_FILE)}, mode 0600):`,
              `  ${admin}`,
            ]
          : []),
      ];
      process.stdout.write(`${out.join("\n")}\n`);

      await stopped;
      await service.stop();
      await witnessing.close();
      await cases.close();
      await local.close();
      logger.info({ size: local.ledger.size, blockHeight: local.ledger.latest().blockHeight }, "stopped");
    });
}
