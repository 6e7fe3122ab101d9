import { ApiError, apiJson } from "../common/api.js";
import { byId, el, fill } from "../common/dom.js";
import { onLanguage, t } from "../common/i18n.js";
import { startPage } from "../common/page.js";
import { setupCaseForm } from "./case-form.js";
import { CaseController } from "./case-view.js";
import { errorText } from "./error-text.js";
import { consoleMessages } from "./messages.js";
import { recentCases, rememberCase, session } from "./session.js";

startPage(consoleMessages);

const signin = byId("signin");
const workspace = byId("workspace");
const panel = byId("case-panel");
let current: CaseController | undefined;

/**
 * Whether the token may open cases: an empty case is sent, which the service refuses for
 * its body (400) only after the token and its role passed, so nothing is ever created; a
 * court token, which may read cases but not open them, gets 403.
 */
async function checkToken(token: string): Promise<"ok" | "bad" | "role"> {
  try {
    await apiJson("/api/v1/cases", { method: "POST", token, json: {} });
    return "ok";
  } catch (e) {
    if (e instanceof ApiError && e.status === 400) return "ok";
    if (e instanceof ApiError && e.status === 403) return "role";
    if (e instanceof ApiError && e.status === 401) return "bad";
    throw e;
  }
}

function showWorkspace(on: boolean): void {
  signin.hidden = on;
  workspace.hidden = !on;
  if (!on) {
    current?.stop();
    current = undefined;
    panel.hidden = true;
  }
  renderRecent(); // the signed-in token's own list, or none
}

function renderRecent(): void {
  const list = recentCases();
  fill(
    byId("recent"),
    ...(list.length
      ? list.map((c) =>
          el(
            "li",
            {},
            el("a", { href: `#${c.id}`, "data-case": c.id }, `${c.caseNumber} · ${c.title}`),
            " ",
            el("span", { class: "mono hint" }, c.id),
          ),
        )
      : [el("li", { class: "hint" }, t("console.open.none"))]),
  );
}

function openCase(id: string): void {
  current?.stop();
  if (location.hash !== `#${id}`) history.replaceState(null, "", `#${id}`);
  current = new CaseController(panel, id, session.token, (v) => {
    rememberCase(v);
    renderRecent();
  });
  void current.start().then(() => panel.querySelector<HTMLElement>("h2")?.focus());
}

byId<HTMLFormElement>("signin-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const input = byId<HTMLInputElement>("token");
  const error = byId("signin-error");
  const token = input.value.trim();
  error.textContent = "";
  if (!token) {
    input.focus();
    return;
  }
  try {
    const r = await checkToken(token);
    if (r !== "ok") {
      error.textContent = t(r === "bad" ? "console.signin.bad" : "console.signin.role");
      return;
    }
    session.signIn(token);
    input.value = "";
    showWorkspace(true);
    const hash = location.hash.slice(1);
    if (hash) openCase(hash);
    byId("case-number").focus();
  } catch (err) {
    error.textContent = errorText(err);
  }
});

byId("signout").addEventListener("click", () => {
  session.signOut();
  // Nor does the next person to sign in here land on the case that was open.
  history.replaceState(null, "", location.pathname + location.search);
  showWorkspace(false);
  byId("token").focus();
});

byId<HTMLFormElement>("open-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const id = byId<HTMLInputElement>("open-id").value.trim();
  if (id) openCase(id);
});

byId("recent").addEventListener("click", (e) => {
  const id = (e.target as HTMLElement).closest<HTMLElement>("[data-case]")?.dataset.case;
  if (!id) return;
  e.preventDefault();
  openCase(id);
});

setupCaseForm(session.token, (c) => {
  rememberCase(c);
  renderRecent();
  openCase(c.id);
});

onLanguage(() => {
  renderRecent();
  void current?.render();
});

if (session.token()) {
  showWorkspace(true);
  const hash = location.hash.slice(1);
  if (hash) openCase(hash);
}
