import { readFileSync } from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifySealedAgreement } from "../../src/esign/sealed-agreement.js";
import { call } from "../http/helpers.js";
import { invite, openCase, PARTIES, signViaApi } from "./cases.js";
import {
  AGREEMENT,
  launchBrowser,
  screenshot,
  startWebService,
  verdict,
  type WebService,
  watchPage,
} from "./helpers.js";

let s: WebService;
let browser: Browser;

beforeAll(async () => {
  [s, browser] = await Promise.all([startWebService(), launchBrowser()]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await s?.close();
});

describe("the mediator console", () => {
  /** A console signed in as the mediator, with case `id` opened by its ID. */
  async function consoleOn(id: string) {
    const page = await browser.newPage();
    await page.goto(`${s.url}/console`);
    await page.getByLabel("访问令牌").fill(s.tokens.mediator);
    await page.getByRole("button", { name: "登录" }).click();
    await page.waitForSelector("#workspace:not([hidden])");
    await page.locator("#open-id").fill(id);
    await page.locator("#open-form button[type=submit]").click();
    return page;
  }

  it("runs a case from creation to a sealed download that verifies", async () => {
    const context = await browser.newContext({
      viewport: { width: 1180, height: 900 },
      acceptDownloads: true,
    });
    const page = await context.newPage();
    const { problems } = watchPage(page);
    await page.goto(`${s.url}/console`);

    // A wrong token is refused; the mediator's is kept for this tab only.
    await page.getByLabel("访问令牌").fill("ntr_not-a-real-token");
    await page.getByRole("button", { name: "登录" }).click();
    await page.locator("#signin-error").filter({ hasText: "令牌无效" }).waitFor();
    await page.getByLabel("访问令牌").fill(s.tokens.mediator);
    await page.getByRole("button", { name: "登录" }).click();
    await page.waitForSelector("#workspace:not([hidden])");
    expect(await page.evaluate(() => sessionStorage.getItem("notarium.console.token"))).toBe(
      s.tokens.mediator,
    );

    // Open a case with two parties, in order.
    await page.getByLabel("案号").fill("示调字〔2026〕第0417号");
    await page.getByLabel("案件名称").fill("人民调解协议书");
    await page.getByLabel("按列出的顺序依次签署").check();
    const names = page.getByLabel("姓名 / 名称");
    await page
      .locator('[data-field="id"]')
      .nth(0)
      .fill(PARTIES[0]?.id as string);
    await names.nth(0).fill("张三");
    await page
      .locator('[data-field="id"]')
      .nth(1)
      .fill(PARTIES[1]?.id as string);
    await names.nth(1).fill("李四");
    await page.getByRole("button", { name: "创建案件" }).click();
    await page.waitForSelector('#case-panel[data-status="draft"]');
    const caseId = (await page.evaluate(() => location.hash.slice(1))) as string;
    expect(caseId).toMatch(/^case_[0-9a-f]{16}$/);

    // Upload the agreement, then invite both parties.
    await page
      .locator("#agreement-file")
      .setInputFiles({ name: "调解协议.pdf", mimeType: "application/pdf", buffer: Buffer.from(AGREEMENT) });
    await page.locator("#agreement-upload").click();
    await page.waitForSelector('#case-panel[data-status="signing"]');
    await page.locator('[data-invite="zhangsan"]').click();
    await page.waitForSelector('.invite-row[data-party="zhangsan"] [data-testid="invite-link"]');
    await page.locator('[data-invite="lisi"]').click();
    await page.waitForSelector('.invite-row[data-party="lisi"] [data-testid="invite-link"]');
    expect(await page.locator(".qr svg").count()).toBe(2);
    const linkBox = page.locator('.invite-row[data-party="zhangsan"] [data-testid="invite-link"]');
    const first = await linkBox.inputValue();
    expect(first).toMatch(new RegExp(`^${s.url}/sign/inv_`));
    await screenshot(page, "console-invitations");
    // A new link for the same party replaces the one shown before (links are shown once).
    await page.locator('[data-invite="zhangsan"]').click();
    await expect.poll(() => linkBox.inputValue(), { timeout: 10_000 }).not.toBe(first);
    const link = await linkBox.inputValue();
    const oldToken = first.split("/sign/")[1] as string;
    expect((await call(s.url, "GET", `/api/v1/invitations/${oldToken}`)).status).toBe(410);

    // 张三 signs in another browser, through the link; the console follows live.
    const party = await browser.newContext();
    const sign = await party.newPage();
    await sign.goto(link);
    await sign.waitForSelector("#doc-check.proof-state.ok");
    await sign.getByLabel("口令", { exact: true }).fill("zhang san passphrase");
    await sign.getByLabel("再次输入口令").fill("zhang san passphrase");
    await sign.getByTestId("sign-button").click();
    await sign.waitForSelector('[data-testid="sign-result"][data-result="signed"]', { timeout: 20_000 });
    await party.close();
    await page.waitForSelector('[data-party="zhangsan"][data-signed="true"]', { timeout: 10_000 });
    await page.locator("#case-live").filter({ hasText: "张三 已签署" }).waitFor();

    // 李四 signs with the CLI's kind of key; then the case can be sealed.
    const document = (await page.locator("#case-panel dd.mono").nth(1).textContent()) as string;
    await signViaApi(s, { id: caseId, document }, PARTIES[1] as (typeof PARTIES)[number]);
    await page.waitForSelector('#case-panel[data-status="signed"]', { timeout: 10_000 });
    const download = page.waitForEvent("download");
    await page.getByTestId("seal-button").click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`${caseId}-sealed.pdf`);
    const sealed = new Uint8Array(readFileSync((await file.path()) as string));
    await page.waitForSelector('#case-panel[data-status="sealed"]', { timeout: 10_000 });
    expect(await page.locator("#case-panel .record").count()).toBe(4); // registered, two signatures, sealed
    expect(await page.locator("#case-panel .proof-state.bad").count()).toBe(0);
    expect(problems).toEqual([]);
    await screenshot(page, "console-sealed");

    // The download is the sealed agreement: checked here, and on the verify page.
    const facts = await s.pdf.verifySealed(sealed);
    expect(verifySealedAgreement(facts, { policy: s.policy }).valid).toBe(true);
    const verify = await context.newPage();
    await verify.goto(`${s.url}/`);
    await verify
      .locator("#file")
      .setInputFiles({ name: "sealed.pdf", mimeType: "application/pdf", buffer: Buffer.from(sealed) });
    expect(await verdict(verify)).toBe("valid");
    await context.close();
  });
  it("turns a court token away at sign-in, words refusals in Chinese, and opens one case per double click", async () => {
    const page = await browser.newPage();
    const { requests, problems } = watchPage(page);
    await page.goto(`${s.url}/console`);
    await page.getByLabel("访问令牌").fill(s.tokens.court);
    await page.getByRole("button", { name: "登录" }).click();
    await page.locator("#signin-error").filter({ hasText: "该令牌没有调解员权限" }).waitFor();
    expect(await page.locator("#workspace").isHidden()).toBe(true);
    await page.getByLabel("访问令牌").fill(s.tokens.mediator);
    await page.getByRole("button", { name: "登录" }).click();
    await page.waitForSelector("#workspace:not([hidden])");

    await page.getByLabel("案号").fill("示调字〔2026〕第0418号");
    await page.getByLabel("案件名称").fill("人民调解协议书");
    const ids = page.locator('[data-field="id"]');
    const names = page.getByLabel("姓名 / 名称");
    await ids.nth(0).fill("张 三"); // not an ID the service takes: the page says so, nothing is sent
    await ids.nth(1).fill("p1");
    await names.nth(0).fill("张三");
    await names.nth(1).fill("李四");
    const posts = () => requests.filter((r) => r.method() === "POST").length;
    const before = posts();
    await page.getByRole("button", { name: "创建案件" }).click();
    expect(await ids.nth(0).evaluate((i) => (i as HTMLInputElement).validity.patternMismatch)).toBe(true);
    expect(posts()).toBe(before);
    await ids.nth(0).fill("p1");
    await page.getByRole("button", { name: "创建案件" }).click();
    await page.locator("#case-form-error").filter({ hasText: "当事人编号重复" }).waitFor();

    await ids.nth(1).fill("p2");
    await page.getByRole("button", { name: "创建案件" }).dblclick();
    await page.waitForSelector('#case-panel[data-status="draft"]');
    await page.waitForTimeout(300); // a second request, if one went out, has had time to land
    const opened = requests.filter(
      (r) => r.method() === "POST" && new URL(r.url()).pathname === "/api/v1/cases" && r.postData() !== "{}",
    );
    expect(opened.map((r) => JSON.parse(r.postData() as string).parties[1].id)).toEqual(["p1", "p2"]);
    await page.locator("#recent").filter({ hasText: "示调字〔2026〕第0418号" }).waitFor();

    // Signing out forgets the recent cases: the next person at this computer sees none of them.
    await page.locator("#signout").click();
    await page.waitForSelector("#signin:not([hidden])");
    expect(await page.evaluate(() => JSON.stringify({ ...localStorage }))).not.toContain("0418");
    await page.getByLabel("访问令牌").fill(s.tokens.admin);
    await page.getByRole("button", { name: "登录" }).click();
    await page.waitForSelector("#workspace:not([hidden])");
    expect(await page.locator("#recent").textContent()).not.toContain("0418");
    expect(problems).toEqual([]);
    await page.close();
  });
  it("unbinds a party's lost key before it signs, after asking", async () => {
    const c = await openCase(s);
    const inv = await invite(s, c.id, "zhangsan");
    const bound = await call(s.url, "PUT", `/api/v1/invitations/${inv.token}/key`, {
      json: { publicKey: "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a" },
    });
    expect(bound.status).toBe(200);
    const page = await consoleOn(c.id);
    const row = page.locator('tr[data-party="zhangsan"]');
    await row.filter({ hasText: "已绑定" }).waitFor();
    page.once("dialog", (d) => void d.accept());
    await page.locator('[data-reset-key="zhangsan"]').click();
    await row.filter({ hasText: "未绑定" }).waitFor();
    const view = (await call(s.url, "GET", `/api/v1/cases/${c.id}`, { token: s.tokens.mediator })).json;
    expect(view.parties.find((p: { id: string }) => p.id === "zhangsan").publicKey).toBeUndefined();
    await page.close();
  });

  it("keeps the picked file and the focus through a live refresh, and says when refreshing fails", async () => {
    const c = await openCase(s);
    const inv = await invite(s, c.id, "zhangsan");
    const page = await consoleOn(c.id);
    const row = page.locator('tr[data-party="zhangsan"]');
    await row.filter({ hasText: "未绑定" }).waitFor();
    await page
      .locator("#agreement-file")
      .setInputFiles({ name: "新协议.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n") });
    await page.locator("#agreement-upload").focus();
    // The party binds a key meanwhile: the case changes and the panel is redrawn.
    await call(s.url, "PUT", `/api/v1/invitations/${inv.token}/key`, {
      json: { publicKey: "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c" },
    });
    await row.filter({ hasText: "已绑定" }).waitFor({ timeout: 10_000 });
    expect(
      await page.evaluate(
        () => (document.getElementById("agreement-file") as HTMLInputElement).files?.length,
      ),
    ).toBe(1);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("agreement-upload");

    await page.route("**/api/v1/cases/*", (route) => route.abort("connectionrefused"));
    await page.locator("#case-live").filter({ hasText: "无法刷新" }).waitFor({ timeout: 10_000 });
    await page.unroute("**/api/v1/cases/*");
    await expect
      .poll(() => page.locator("#case-live").textContent(), { timeout: 10_000 })
      .not.toContain("无法刷新");
    await page.close();
  });
});
