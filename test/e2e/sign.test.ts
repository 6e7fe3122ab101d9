import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPartyKeyFile } from "../../src/esign/party-key.js";
import { call } from "../http/helpers.js";
import { invite, openCase, PARTIES } from "./cases.js";
import { launchBrowser, screenshot, startWebService, type WebService, watchPage } from "./helpers.js";

let s: WebService;
let browser: Browser;

beforeAll(async () => {
  [s, browser] = await Promise.all([startWebService(), launchBrowser()]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await s?.close();
});

const caseView = async (id: string) =>
  (await call(s.url, "GET", `/api/v1/cases/${id}`, { token: s.tokens.mediator })).json;

describe("signing through an invitation", () => {
  it("makes the key in the browser, keeps it encrypted, binds it, signs and shows the verified receipt", async () => {
    const c = await openCase(s);
    const inv = await invite(s, c.id, "zhangsan");
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    const page = await context.newPage();
    const { requests, problems } = watchPage(page);
    await page.goto(inv.url);
    await page.waitForSelector("#doc-check.proof-state.ok");
    await expect(page.locator("#case-title").textContent()).resolves.toBe("人民调解协议书");
    await expect(page.locator('[data-party="lisi"]').textContent()).resolves.toContain("李四");
    await page.getByLabel("口令", { exact: true }).fill("correct horse battery");
    await page.getByLabel("再次输入口令").fill("correct horse battery");
    await page.waitForSelector(".pdf-page canvas"); // the agreement, drawn in the page
    await screenshot(page, "sign-invitation");
    await page.getByTestId("sign-button").click();
    const result = page.getByTestId("sign-result");
    await result.and(page.locator("[data-result]")).waitFor({ timeout: 20_000 });
    expect(await result.getAttribute("data-result")).toBe("signed");
    await expect(result.textContent()).resolves.toContain("证明已在浏览器中验证");

    const view = await caseView(c.id);
    const party = view.parties.find((p: { id: string }) => p.id === "zhangsan");
    expect(party.signed).toBe(true);
    expect(party.publicKey).toMatch(/^[0-9a-f]{64}$/);

    // Only the public key and the signature left the browser, with the invitation as the credential.
    const sent = requests.filter((r) => r.postDataBuffer() !== null);
    expect(sent.map((r) => `${r.method()} ${new URL(r.url()).pathname}`)).toEqual([
      `PUT /api/v1/invitations/${inv.token}/key`,
      `POST /api/v1/cases/${c.id}/signatures`,
    ]);
    expect(JSON.parse(sent[0]?.postData() as string)).toEqual({ publicKey: party.publicKey });
    const sig = JSON.parse(sent[1]?.postData() as string);
    expect(Object.keys(sig).sort()).toEqual(["document", "role", "signature", "signer", "time"]);
    expect(sig.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(sent[1]?.headers().authorization).toBe(`Bearer ${inv.token}`);

    // What the browser keeps is the encrypted key file, never the seed.
    const kept = await page.evaluate(
      () =>
        new Promise<string>((resolve, reject) => {
          const open = indexedDB.open("notarium");
          open.onsuccess = () => {
            const get = open.result.transaction("party-keys").objectStore("party-keys").getAll();
            get.onsuccess = () => resolve(String(get.result[0]));
            get.onerror = () => reject(get.error);
          };
        }),
    );
    const file = JSON.parse(kept);
    expect(file.publicKey).toBe(party.publicKey);
    expect(file.encryption).toMatchObject({ kdf: "PBKDF2-SHA256", cipher: "AES-256-GCM" });
    expect(file.seed).toBeUndefined();
    expect(problems).toEqual([]);
    await screenshot(page, "sign-done");

    // Back on the link later: it says so, and the button stays off.
    await page.reload();
    await page.waitForSelector('[data-testid="sign-result"][data-result="signed"]');
    expect(await page.getByTestId("sign-button").isDisabled()).toBe(true);
    // The key kept here can still be backed up.
    await page.getByRole("button", { name: "下载加密的密钥备份" }).waitFor();
    await context.close();
  });

  it("keeps a key bound in a failed attempt: offers its backup, and a retry signs with it", async () => {
    const c = await openCase(s);
    const inv = await invite(s, c.id, "zhangsan");
    const context = await browser.newContext({
      viewport: { width: 1100, height: 900 },
      acceptDownloads: true,
    });
    const page = await context.newPage();
    await page.goto(inv.url);
    await page.waitForSelector("#doc-check.proof-state.ok");
    await page.getByLabel("口令", { exact: true }).fill("correct horse battery");
    await page.getByLabel("再次输入口令").fill("correct horse battery");
    // The key gets bound, then the signature's request is lost on the way.
    const signatures = `**/api/v1/cases/${c.id}/signatures`;
    await page.route(signatures, (route) => route.abort("internetdisconnected"));
    await page.getByTestId("sign-button").click();
    const result = page.getByTestId("sign-result");
    await page.waitForSelector('[data-testid="sign-result"][data-result="failed"]');
    await expect(result.textContent()).resolves.toContain("只有这把密钥能为您签署");
    const bound = (await caseView(c.id)).parties.find((p: { id: string }) => p.id === "zhangsan");
    expect(bound).toMatchObject({ signed: false, publicKey: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const download = page.waitForEvent("download");
    await result.getByRole("button", { name: "下载加密的密钥备份" }).click();
    const backup = JSON.parse(await readFile((await (await download).path()) as string, "utf8"));
    expect(backup.publicKey).toBe(bound.publicKey);
    expect(backup.seed).toBeUndefined();

    // Retrying in the same page unlocks that key again (no new key, which would be refused).
    await page.unroute(signatures);
    await page.getByTestId("sign-button").click();
    await page.waitForSelector('[data-testid="sign-result"][data-result="signed"]', { timeout: 20_000 });
    const after = (await caseView(c.id)).parties.find((p: { id: string }) => p.id === "zhangsan");
    expect(after).toMatchObject({ signed: true, publicKey: bound.publicKey });
    await context.close();
  });

  it("imports a key file made by `notarium keygen` and signs with it, on a phone", async () => {
    const c = await openCase(s);
    const inv = await invite(s, c.id, "lisi");
    const seed = crypto.getRandomValues(new Uint8Array(32));
    const keyFile = await createPartyKeyFile(seed, "li si passphrase", (n) =>
      crypto.getRandomValues(new Uint8Array(n)),
    );
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    const { problems } = watchPage(page);
    await page.goto(inv.url);
    await page.waitForSelector("#doc-check.proof-state.ok");
    await page.getByLabel("导入已有的密钥文件").check();
    await page.locator("#key-file").setInputFiles({
      name: "lisi.key.json",
      mimeType: "application/json",
      buffer: Buffer.from(JSON.stringify(keyFile)),
    });
    await page.getByLabel("口令", { exact: true }).fill("wrong passphrase");
    await page.getByTestId("sign-button").click();
    await page.waitForSelector('[data-testid="sign-result"][data-result="failed"]');
    await expect(page.getByTestId("sign-result").textContent()).resolves.toContain("口令错误");
    expect(
      (await caseView(c.id)).parties.find((p: { id: string }) => p.id === "lisi").publicKey,
    ).toBeUndefined();

    await page.getByLabel("口令", { exact: true }).fill("li si passphrase");
    await page.getByTestId("sign-button").click();
    await page.waitForSelector('[data-testid="sign-result"][data-result="signed"]', { timeout: 20_000 });
    const lisi = (await caseView(c.id)).parties.find((p: { id: string }) => p.id === "lisi");
    expect(lisi).toMatchObject({ signed: true, publicKey: keyFile.publicKey });
    expect(problems).toEqual([]);
    await screenshot(page, "sign-phone-done");
    await context.close();
    expect(PARTIES.map((p) => p.id)).toContain("lisi");
  });

  it("follows an agreement the mediator replaces while the page is open, and signs the new one", async () => {
    const c = await openCase(s);
    const inv = await invite(s, c.id, "zhangsan");
    const page = await browser.newPage();
    await page.goto(inv.url);
    await page.waitForSelector("#doc-check.proof-state.ok");
    const other = new Uint8Array(
      readFileSync(new URL("../../fixtures/pdf/agreement-3p.pdf", import.meta.url)),
    );
    const replaced = await call(s.url, "PUT", `/api/v1/cases/${c.id}/agreement`, {
      token: s.tokens.mediator,
      body: other as Uint8Array<ArrayBuffer>,
      headers: { "content-type": "application/pdf" },
    });
    expect(replaced.status).toBe(201);
    // The page picks the new file up by itself, and checks it again.
    await page.locator("#case-facts").filter({ hasText: replaced.json.sha256 }).waitFor({ timeout: 15_000 });
    await page.waitForSelector("#doc-check.proof-state.ok");
    await page.getByLabel("口令", { exact: true }).fill("correct horse battery");
    await page.getByLabel("再次输入口令").fill("correct horse battery");
    await page.getByTestId("sign-button").click();
    await page.waitForSelector('[data-testid="sign-result"][data-result="signed"]', { timeout: 20_000 });
    await page.close();
  });

  it("draws a 300-page agreement only where the party reads, on a phone", async () => {
    const long = new Uint8Array(readFileSync(new URL("../../fixtures/pdf/pages-300.pdf", import.meta.url)));
    const c = await openCase(s, undefined, long);
    const inv = await invite(s, c.id, "zhangsan");
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    const page = await context.newPage();
    await page.goto(inv.url);
    await page.waitForSelector("#doc-check.proof-state.ok");
    const canvases = page.locator(".pdf-page canvas");
    await page.waitForFunction(() => document.querySelectorAll(".pdf-page canvas").length === 300, null, {
      timeout: 30_000,
    });
    const drawn = () =>
      page.evaluate(() =>
        [...document.querySelectorAll<HTMLCanvasElement>(".pdf-page canvas")]
          .map((c, i) => (c.width > 0 ? i + 1 : 0))
          .filter((n) => n > 0),
      );
    const first = await drawn();
    expect(first).toContain(1);
    expect(first.length).toBeLessThan(20);
    // Scrolled to the end: the last pages are drawn, and the first gives its pixels back.
    await canvases.last().scrollIntoViewIfNeeded();
    await page.waitForFunction(() => {
      const all = document.querySelectorAll<HTMLCanvasElement>(".pdf-page canvas");
      return (all[all.length - 1]?.width ?? 0) > 0 && (all[0]?.width ?? 1) === 0;
    });
    expect((await drawn()).length).toBeLessThan(20);
    await context.close();
  });

  it("explains a revoked link instead of offering to sign", async () => {
    const c = await openCase(s);
    const inv = await invite(s, c.id, "zhangsan");
    await call(s.url, "DELETE", `/api/v1/cases/${c.id}/invitations/zhangsan`, { token: s.tokens.mediator });
    const page = await browser.newPage();
    await page.goto(inv.url);
    // The signing page is none of the navigation's sections.
    expect(await page.locator('nav a[aria-current="page"]').count()).toBe(0);
    await page.waitForSelector("#load-error:not([hidden])");
    await expect(page.locator("#load-error").textContent()).resolves.toContain("撤销");
    expect(await page.getByTestId("sign-button").isDisabled()).toBe(true);
    await page.close();
  });
});
