import { createHash, randomBytes } from "node:crypto";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "../http/helpers.js";
import { sealedCase } from "./cases.js";
import {
  launchBrowser,
  screenshot,
  startWebService,
  verdict,
  type WebService,
  watchPage,
} from "./helpers.js";

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

let s: WebService;
let browser: Browser;
let recorded: Uint8Array;
let recordedId: string;
let sealed: Uint8Array;
let registration: string;

beforeAll(async () => {
  [s, browser] = await Promise.all([startWebService(), launchBrowser()]);
  recorded = new Uint8Array(randomBytes(3 * 1024 * 1024 + 17));
  const r = await call(s.url, "POST", "/api/v1/evidence", {
    token: s.tokens.mediator,
    json: { sha256: sha256(recorded), title: "现场录像 2026-11-26" },
  });
  expect(r.status).toBe(201);
  recordedId = r.json.evidenceId;
  ({ pdf: sealed, registration } = await sealedCase(s));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await s?.close();
});

/** Opens the verify page, drops `bytes` in as a picked file and returns the verdict and what was sent. */
async function verifyInPage(name: string, bytes: Uint8Array, mimeType: string, path = "/") {
  const page = await browser.newPage({ locale: "zh-CN" });
  const watch = watchPage(page);
  await page.goto(`${s.url}${path}`);
  await page.locator("#file").setInputFiles({ name, mimeType, buffer: Buffer.from(bytes) });
  const result = await verdict(page);
  return { page, result, ...watch };
}

/** Nothing but small JSON digests leaves the page: never the file's bytes. */
function expectOnlyDigestsSent(requests: import("playwright-core").Request[], bytes: Uint8Array): void {
  const bodies = requests.filter((r) => r.postDataBuffer() !== null);
  expect(bodies.length).toBeGreaterThan(0);
  const sample = Buffer.from(bytes.subarray(0, 64)).toString("latin1");
  for (const r of bodies) {
    const body = r.postDataBuffer() as Buffer;
    expect(r.url()).toBe(`${s.url}/api/v1/verify`);
    expect(body.length).toBeLessThan(200);
    expect(Object.keys(JSON.parse(body.toString("utf8")))).toEqual(["sha256"]);
    expect(body.toString("latin1").includes(sample)).toBe(false);
  }
  for (const r of requests) expect(new URL(r.url()).origin).toBe(s.url);
}

async function checks(page: Page): Promise<Record<string, string | null>> {
  const items = page.locator("[data-check]");
  const out: Record<string, string | null> = {};
  for (const el of await items.all())
    out[(await el.getAttribute("data-check")) as string] = await el.getAttribute("data-ok");
  return out;
}

describe("the verify page", () => {
  it("hashes a recorded file in the browser, sends only its digest and re-verifies the receipt", async () => {
    const { page, result, requests, problems } = await verifyInPage("录像.mp4", recorded, "video/mp4");
    expect(result).toBe("valid");
    await expect(page.getByTestId("verify-result").textContent()).resolves.toContain(recordedId);
    expect(await checks(page)).toEqual({
      recorded: "true",
      "proof-format": "true",
      entry: "true",
      digest: "true",
      checkpoint: "true",
      inclusion: "true",
    });
    expect(await page.locator(`[data-evidence-id="${recordedId}"] a[href$="/proof"]`).count()).toBe(1);
    expect(await page.locator(`a[href="/api/v1/evidence/${recordedId}/certificate.pdf"]`).count()).toBe(1);
    expectOnlyDigestsSent(requests, recorded);
    expect(requests.some((r) => r.url().includes("check-sealed"))).toBe(false); // pdf-lib is not loaded for this
    expect(problems).toEqual([]);
    await screenshot(page, "verify-valid");
    await page.close();
  });

  it("says an unknown file is not recorded", async () => {
    const unknown = new Uint8Array(randomBytes(4096));
    const { page, result, requests, problems } = await verifyInPage(
      "合同.docx",
      unknown,
      "application/octet-stream",
    );
    expect(result).toBe("invalid");
    expect(await checks(page)).toMatchObject({ "not-recorded": "false" });
    await expect(page.getByTestId("verify-result").textContent()).resolves.toContain(
      "未找到此文件的存证记录",
    );
    expectOnlyDigestsSent(requests, unknown);
    expect(problems).toEqual([]);
    await screenshot(page, "verify-unknown");
    await page.close();
  });

  it("verifies a sealed agreement completely in the browser", async () => {
    const { page, result, requests, problems } = await verifyInPage(
      "调解协议-已封存.pdf",
      sealed,
      "application/pdf",
    );
    expect(result).toBe("valid");
    const c = await checks(page);
    for (const name of [
      "byte-range",
      "cms-signature",
      "original-prefix",
      "embedded-proof",
      "proofs",
      "signatures",
      "seal-recorded",
    ])
      expect(c[name], name).toBe("true");
    const text = (await page.getByTestId("verify-result").textContent()) as string;
    expect(text).toContain("zhangsan");
    expect(text).toContain("lisi");
    expect(text).toContain("申请人");
    expect(requests.some((r) => r.url().includes("/assets/chunks/check-sealed"))).toBe(true); // loaded lazily, now
    expectOnlyDigestsSent(requests, sealed);
    expect(problems).toEqual([]);
    await screenshot(page, "verify-sealed-valid");
    await page.close();
  });

  it("says it could not check, not that the file failed, when the service cannot be reached", async () => {
    const page = await browser.newPage();
    await page.goto(s.url);
    // An empty file (a failed download, say) has nothing to check, and is told so.
    await page
      .locator("#file")
      .setInputFiles({ name: "空.pdf", mimeType: "application/pdf", buffer: Buffer.alloc(0) });
    expect(await verdict(page)).toBe("error");
    await expect(page.getByTestId("verify-result").textContent()).resolves.toContain("是空的（0 字节）");
    await page.route("**/api/v1/**", (route) => route.abort("connectionrefused"));
    await page
      .locator("#file")
      .setInputFiles({ name: "a.bin", mimeType: "application/octet-stream", buffer: Buffer.from(recorded) });
    await page.getByTestId("verify-result").filter({ hasText: "无法连接服务" }).waitFor();
    expect(await verdict(page)).toBe("error");
    const text = await page.getByTestId("verify-result").textContent();
    expect(text).toContain("未能完成核验");
    expect(text).not.toContain("核验未通过");
    await page.close();
  });

  it("refuses a sealed agreement with one byte of the original changed, and one with bytes appended", async () => {
    const flipped = sealed.slice();
    flipped[300] = (flipped[300] as number) ^ 0x01;
    const one = await verifyInPage("调解协议-篡改.pdf", flipped, "application/pdf");
    expect(one.result).toBe("invalid");
    const c = await checks(one.page);
    expect(c["original-prefix"]).toBe("false");
    expect(c["seal-recorded"]).toBe("false");
    expectOnlyDigestsSent(one.requests, flipped);
    expect(one.problems).toEqual([]);
    await screenshot(one.page, "verify-sealed-tampered");
    await one.page.close();

    const extended = new Uint8Array([...sealed, ...new TextEncoder().encode("\n% appended\n")]);
    const two = await verifyInPage("调解协议-追加.pdf", extended, "application/pdf");
    expect(two.result).toBe("invalid");
    expect((await checks(two.page))["byte-range"]).toBe("false");
    await two.page.close();
  });

  it("opens pre-filled from a sealed page's QR code link and verifies that evidence's receipt", async () => {
    const page = await browser.newPage();
    const { problems } = watchPage(page);
    await page.goto(`${s.url}/?evidence=${recordedId}`);
    expect(await verdict(page)).toBe("valid");
    expect(await checks(page)).toMatchObject({ checkpoint: "true", inclusion: "true" });
    // Then the file itself, compared with that evidence.
    await page
      .locator("#file")
      .setInputFiles({ name: "a.bin", mimeType: "video/mp4", buffer: Buffer.from(recorded) });
    await page.waitForSelector('[data-check="matches-evidence"][data-ok="true"]');
    expect(await verdict(page)).toBe("valid");
    // The QR code on a sealed page names the agreement's registration; the sealed file matches it.
    await page.goto(`${s.url}/?evidence=${registration}`);
    expect(await verdict(page)).toBe("valid");
    await page
      .locator("#file")
      .setInputFiles({ name: "s.pdf", mimeType: "application/pdf", buffer: Buffer.from(sealed) });
    await page.waitForSelector('[data-check="matches-evidence"][data-ok="true"]');
    expect(await verdict(page)).toBe("valid");
    await page.goto(`${s.url}/?evidence=NTR-0000000000000000`);
    expect(await verdict(page)).toBe("invalid");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("switches to English and keeps the choice, and fits a phone screen", async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    await page.goto(`${s.url}/`);
    await expect(page.locator("h1").textContent()).resolves.toBe("核验文件是否经过存证");
    await screenshot(page, "verify-phone-zh");
    await page.getByRole("button", { name: "Switch to English" }).click();
    await expect(page.locator("h1").textContent()).resolves.toBe("Check whether a file was notarized");
    await page.reload();
    await expect(page.locator("html").getAttribute("lang")).resolves.toBe("en");
    await expect(page.locator("h1").textContent()).resolves.toBe("Check whether a file was notarized");
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    await page
      .locator("#file")
      .setInputFiles({ name: "recording.mp4", mimeType: "video/mp4", buffer: Buffer.from(recorded) });
    expect(await verdict(page)).toBe("valid");
    await screenshot(page, "verify-phone-en");
    await context.close();
  });

  it("loads well under 300 KB of JavaScript first, with a CSP that allows only this origin", async () => {
    const page = await browser.newPage();
    const res = await page.goto(`${s.url}/`);
    const csp = res?.headers()["content-security-policy"] ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
    await page.waitForLoadState("networkidle");
    const js = await page.evaluate(() =>
      performance
        .getEntriesByType("resource")
        .filter((e) => (e as PerformanceResourceTiming).name.endsWith(".js"))
        .map((e) => ({ name: e.name, bytes: (e as PerformanceResourceTiming).decodedBodySize })),
    );
    const total = js.reduce((n, e) => n + e.bytes, 0);
    expect(total).toBeGreaterThan(10_000);
    expect(total).toBeLessThan(300 * 1024);
    await page.close();
  });
});
