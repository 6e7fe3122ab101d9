import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { pino } from "pino";
import { type Browser, chromium, type Page, type Request } from "playwright-core";
import chromiumLaunch from "../../scripts/chromium.json" with { type: "json" };
import { openCaseStack } from "../../src/cli/open-cases.js";
import { createPdfTools } from "../../src/cli/pdf-tools.js";
import { secureRandomBytes, systemClock } from "../../src/core/clock.js";
import { startHttpService } from "../../src/http/http-service.js";
import { DEFAULT_HTTP_OPTIONS } from "../../src/http/options.js";
import { Ledger } from "../../src/ledger/ledger.js";
import { singleLogPolicy } from "../../src/ledger/verify-proof.js";
import { createPdfCertificate, pdfSignerFromPem } from "../../src/pdf/pdf-certificate.js";
import type { CaseServices } from "../../src/service/cases/context.js";
import type { PdfTools } from "../../src/service/cases/pdf-tools.js";
import { createToken, TokenAuthenticator } from "../../src/service/tokens.js";
import { LevelLedgerStore } from "../../src/storage/level-store.js";
import { TokenFile } from "../../src/storage/token-file.js";
import { testLogKey } from "../helpers/ledger.js";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const SCREENSHOTS = join(ROOT, "docs/screenshots");
export const AGREEMENT = new Uint8Array(readFileSync(join(ROOT, "fixtures/pdf/agreement-zh.pdf")));
/** Debian's Chromium and its flags, shared with bench/web.bench.mjs. */
export const CHROMIUM = chromiumLaunch.executablePath;
export const CENTRE = "示例人民调解委员会";

export interface WebService {
  url: string;
  cases: CaseServices;
  ledger: Ledger;
  policy: ReturnType<typeof singleLogPolicy>;
  pdf: PdfTools;
  tokens: { admin: string; mediator: string; court: string };
  close(): Promise<void>;
}

/**
 * The real service (LevelDB and case stores in a temp dir, one token per
 * role) on 127.0.0.1:0, serving the built pages. Until src/http/app.ts mounts
 * webPages() and the seal route, they are put in front of the app here; once
 * the service answers them itself, the service is used as it is.
 */
export async function startWebService(): Promise<WebService> {
  const dir = mkdtempSync(join(tmpdir(), "notarium-e2e-"));
  const store = new LevelLedgerStore(join(dir, "ledger"));
  await store.open();
  const key = testLogKey();
  const ledger = await Ledger.open({ store, key, clock: systemClock });
  const tokenFile = new TokenFile(join(dir, "tokens.json"));
  const make = async (role: string) =>
    (
      await createToken(
        tokenFile,
        { name: role, role },
        { clock: systemClock, randomBytes: secureRandomBytes },
      )
    ).token;
  const tokens = { admin: await make("admin"), mediator: await make("mediator"), court: await make("court") };
  const logger = pino({ level: "silent" });
  const cases = await openCaseStack(dir, {
    ledger,
    clock: systemClock,
    randomBytes: secureRandomBytes,
    publicUrl: "",
    logger,
  });
  const cert = await createPdfCertificate({
    commonName: `${CENTRE} (TEST ONLY)`,
    clock: systemClock,
    randomBytes: secureRandomBytes,
  });
  const pdf = createPdfTools({
    signer: await pdfSignerFromPem(cert.certificatePem, cert.privateKeyPem),
    certificatePem: cert.certificatePem,
    clock: systemClock,
  });
  const authenticator = new TokenAuthenticator(tokenFile, { clock: systemClock, recheckMs: 0 });
  const service = await startHttpService(
    {
      ledger,
      tokens: authenticator,
      logger,
      clock: systemClock,
      randomBytes: secureRandomBytes,
      options: { ...DEFAULT_HTTP_OPTIONS, rateLimit: false as const },
      processMetrics: false,
      cases: cases.services,
      sealing: { pdf, centreName: CENTRE },
    },
    { port: 0, host: "127.0.0.1" },
  );
  const url = service.url;
  cases.services.publicUrl = url;
  return {
    url,
    cases: cases.services,
    ledger,
    policy: singleLogPolicy(key.verifierKey),
    pdf,
    tokens,
    async close() {
      await service.stop();
      await cases.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Debian's Chromium, headless; a missing browser fails the suite with what to install (never a skip). */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `browser tests need Debian's Chromium at ${CHROMIUM}: run \`apt-get update && apt-get install -y chromium fonts-noto-cjk\` (never \`npx playwright install\`)`,
    );
  }
  // playwright-core gives every launch a fresh temporary --user-data-dir of its own.
  return chromium.launch({
    executablePath: CHROMIUM,
    // The browser's own words (file pickers) in Chinese too, as a party would see them.
    args: [...chromiumLaunch.args, "--lang=zh-CN"],
  });
}

/** Collects what a page sends and what goes wrong in it (script errors, CSP violations). */
export function watchPage(page: Page): { requests: Request[]; problems: string[] } {
  const requests: Request[] = [];
  const problems: string[] = [];
  page.on("request", (r) => requests.push(r));
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && !/status of 4\d\d/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  return { requests, problems };
}

/**
 * Takes the screenshot in every run (so a broken page fails here), but writes it into
 * docs/screenshots only with NOTARIUM_SCREENSHOTS=1: a test run leaves the tree clean.
 */
export async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  const png = await page.screenshot({ fullPage });
  if (process.env.NOTARIUM_SCREENSHOTS !== "1") return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  writeFileSync(join(SCREENSHOTS, `${name}.png`), png);
}

/** Waits for the verify page's verdict and returns it. */
export async function verdict(page: Page): Promise<string | null> {
  const result = page.getByTestId("verify-result");
  await result.and(page.locator("[data-result]")).waitFor({ timeout: 20_000 });
  return result.getAttribute("data-result");
}
