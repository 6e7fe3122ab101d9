import { toHex } from "../../../core/bytes.js";
import { sha256 } from "../../../crypto/sha256.js";
import type { PartyKeyFile } from "../../../esign/party-key.js";
import type { Receipt } from "../../../ledger/receipt.js";
import { ApiError, apiBytes, apiJson } from "../common/api.js";
import { checkReceipt } from "../common/checked-record.js";
import { byId, el, fill, saveFile } from "../common/dom.js";
import { formatTime } from "../common/format.js";
import { onLanguage, t } from "../common/i18n.js";
import { roleKey } from "../common/messages.js";
import { startPage } from "../common/page.js";
import { recordCard, row } from "../common/record-view.js";
import { logTrust } from "../common/trust.js";
import { loadKeyFile } from "./key-store.js";
import { signMessages } from "./messages.js";
import { type KeyMode, prepareKey, signAgreement } from "./party-signing.js";

startPage(signMessages);

/** GET /api/v1/invitations/:token (src/service/cases/invitation-view.ts). */
export interface InvitationView {
  caseId: string;
  caseNumber: string;
  title: string;
  signer: string;
  role: string;
  name: string;
  publicKey?: string;
  document?: string;
  status: "draft" | "signing" | "signed" | "sealed";
  signingOrder: "parallel" | "sequential";
  nextSigner?: string;
  signed: boolean;
  parties: { id: string; role: string; name: string; signed: boolean }[];
  expiresAt: string;
}

const token = decodeURIComponent(location.pathname.split("/")[2] ?? "");
const api = (p = "") => `/api/v1/invitations/${encodeURIComponent(token)}${p}`;
const button = byId<HTMLButtonElement>("sign-button");
const status = byId("sign-status");
const result = byId("sign-result");
const passphrase = byId<HTMLInputElement>("passphrase");
const passphrase2 = byId<HTMLInputElement>("passphrase2");
const keyFileInput = byId<HTMLInputElement>("key-file");

let view: InvitationView | undefined;
let stored: PartyKeyFile | undefined;
let documentOk = false;
let shownDocument: string | undefined;
let busy = false;
let done: (() => void) | undefined;

// The key kept here is used when it is the one bound to the invitation. With none bound (a
// first attempt that failed before binding, or a key the mediator reset because its
// passphrase was forgotten) the party chooses again: a new key, or a key file.
const mode = (): KeyMode =>
  stored && view?.publicKey && stored.publicKey === view.publicKey
    ? "stored"
    : ((document.querySelector<HTMLInputElement>('input[name="key-mode"]:checked')?.value ??
        "generate") as KeyMode);

function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    const key = `sign.err.code.${e.code}`;
    const text = t(key);
    if (text !== key) return text;
    return e.code === "NETWORK" ? t("common.network") : t("common.error", { message: e.message });
  }
  const key = (e as Error).message;
  return key.startsWith("sign.") ? t(key) : t("common.error", { message: key });
}

function renderCase(): void {
  const v = view;
  if (!v) return;
  byId("case-card").removeAttribute("aria-busy");
  byId("case-title").textContent = v.title;
  fill(
    byId("case-facts"),
    ...row(t("sign.case"), v.caseNumber),
    ...row(t("sign.you"), `${v.name} · ${t(roleKey(v.role))}`),
    ...(v.document ? row(t("sign.documentDigest"), v.document, { mono: true }) : []),
    ...(v.publicKey ? row(t("sign.key.bound"), v.publicKey, { mono: true }) : []),
    ...row(t("sign.expires"), formatTime(v.expiresAt)),
  );
  byId("order-note").textContent = t(`sign.order.${v.signingOrder}`);
  const list = byId("parties");
  list.className = `parties${v.signingOrder === "sequential" ? " ordered" : ""}`;
  fill(
    list,
    ...v.parties.map((p) => {
      const state = p.signed ? "signed" : v.nextSigner === p.id ? "next" : "waiting";
      return el(
        "li",
        { class: p.id === v.signer ? "me" : undefined, "data-party": p.id },
        el("span", {}, `${p.name} ${p.id === v.signer ? t("sign.party.me") : ""}`),
        el("span", { class: "badge" }, t(roleKey(p.role))),
        el(
          "span",
          { class: `pill ${state === "signed" ? "ok" : state === "next" ? "next" : "wait"}` },
          t(`sign.party.${state}`),
        ),
      );
    }),
  );
  renderKeyState();
}

function renderKeyState(): void {
  const v = view;
  const m = mode();
  const note = byId("key-stored");
  const boundOther = v?.publicKey && stored?.publicKey !== v.publicKey;
  note.hidden = !(m === "stored" || boundOther);
  if (m === "stored" && stored)
    note.textContent = t("sign.key.stored", { key: `${stored.publicKey.slice(0, 16)}…` });
  else if (boundOther && v?.publicKey)
    note.textContent = t("sign.key.boundOther", { key: `${v.publicKey.slice(0, 16)}…` });
  byId("key-choice").hidden = m === "stored";
  if (boundOther) {
    // Only the bound key can sign: a new one would be refused.
    const imp = document.querySelector<HTMLInputElement>('input[name="key-mode"][value="import"]');
    if (imp) imp.checked = true;
    for (const r of document.querySelectorAll<HTMLInputElement>('input[name="key-mode"]')) r.disabled = true;
  }
  const current = mode();
  byId("key-import").hidden = current !== "import";
  byId("confirm-field").hidden = current !== "generate";
  passphrase.autocomplete = current === "generate" ? "new-password" : "current-password";
  const waiting = v?.nextSigner !== undefined && v.nextSigner !== v.signer && !v.signed;
  if (v && !v.signed && waiting) {
    const who = v.parties.find((p) => p.id === v.nextSigner);
    status.textContent = t("sign.waitTurn", { who: who ? who.name : String(v.nextSigner) });
  } else if (v?.status === "sealed" && !v.signed) status.textContent = t("sign.sealed");
  else if (!busy && !done) status.textContent = "";
  button.disabled = busy || !v || v.signed || !documentOk || waiting || v.status === "sealed";
  // Once signed there is nothing left to do with the key here.
  byId("key-card").hidden = !!v?.signed;
}

async function showDocument(v: InvitationView): Promise<void> {
  const check = byId("doc-check");
  if (!v.document) {
    check.dataset.i18n = "sign.doc.missing";
    check.textContent = t("sign.doc.missing");
    check.className = "notice";
    return;
  }
  if (shownDocument === v.document) return;
  const digest = v.document;
  shownDocument = digest;
  // A new or replaced agreement: nothing may be signed until its bytes are here and checked.
  documentOk = false;
  check.className = "notice";
  check.dataset.i18n = "sign.doc.checking";
  check.textContent = t("sign.doc.checking");
  renderKeyState();
  // Show the very bytes that were hashed here, so what the party reads is what it signs.
  let bytes: Uint8Array;
  try {
    bytes = await apiBytes(api("/agreement.pdf"));
  } catch (e) {
    if (shownDocument === digest) shownDocument = undefined; // the next look at the case tries again
    throw e;
  }
  if (view?.document !== digest) return; // replaced again meanwhile: that one is being shown
  documentOk = toHex(sha256(bytes)) === digest;
  check.className = documentOk ? "proof-state ok" : "notice error-text";
  check.dataset.i18n = documentOk ? "sign.doc.ok" : "sign.doc.bad";
  check.textContent = t(check.dataset.i18n);
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: "application/pdf" }));
  fill(
    byId("doc-open-box"),
    el(
      "a",
      { href: url, target: "_blank", rel: "noopener", "data-i18n": "sign.doc.open" },
      t("sign.doc.open"),
    ),
  );
  renderKeyState();
  await drawPages(bytes);
}

/** Stops drawing the agreement shown before, and frees it. */
let disposePages: (() => void) | undefined;

async function drawPages(bytes: Uint8Array): Promise<void> {
  const pages = byId("doc-pages");
  pages.hidden = false;
  disposePages?.();
  disposePages = undefined;
  try {
    const { renderPdf } = await import("./pdf-view.js");
    disposePages = await renderPdf(
      bytes,
      pages,
      (n, total) => t("sign.doc.page", { n, total }),
      t("sign.doc.pageFailed"),
    );
  } catch {
    // Not drawable here (old browser, unusual PDF): the browser's own viewer still opens it.
    fill(pages, el("p", { class: "notice" }, t("sign.doc.noRender")));
  }
}

async function refresh(): Promise<void> {
  try {
    view = await apiJson<InvitationView>(api());
    byId("load-error").hidden = true; // a blip in the polling passed
    stored ??= await loadKeyFile(view.caseId, view.signer).catch(() => undefined);
    renderCase();
    showDocument(view).catch((e: unknown) => {
      const check = byId("doc-check");
      check.className = "notice error-text";
      check.textContent = errorText(e);
    });
    if (view.signed && !done) showAlreadySigned();
  } catch (e) {
    const box = byId("load-error");
    box.hidden = false;
    box.textContent =
      e instanceof ApiError && e.code !== "NETWORK"
        ? t("sign.err.invitation", { message: errorText(e) })
        : errorText(e);
    button.disabled = true;
  }
}

function showAlreadySigned(): void {
  result.hidden = false;
  result.dataset.result = "signed";
  // The key kept in this browser can still be saved elsewhere, as after signing.
  const kept = stored && view?.publicKey === stored.publicKey ? stored : undefined;
  fill(
    result,
    el("h2", {}, t("sign.done")),
    el("p", {}, t("sign.already")),
    ...(kept ? [backupButton(kept)] : []),
  );
}

function showReceipt(
  receipt: Receipt,
  keyFile: PartyKeyFile,
  policy: Parameters<typeof checkReceipt>[1],
): void {
  const record = checkReceipt(receipt, policy);
  done = () => {
    result.hidden = false;
    result.dataset.result = "signed";
    fill(
      result,
      el("h2", { tabindex: "-1", id: "sign-done" }, `✓ ${t("sign.done")}`),
      el("p", {}, t("sign.done.text")),
      recordCard(record),
      backupButton(keyFile),
    );
  };
  done();
  byId("sign-done").focus();
}

/** Offers the encrypted key file for download (the party's only way to sign elsewhere). */
function backupButton(keyFile: PartyKeyFile): HTMLElement {
  return el(
    "p",
    { class: "actions" },
    el(
      "button",
      {
        type: "button",
        class: "button small",
        onclick: () =>
          saveFile(
            JSON.stringify(keyFile, null, 2),
            `${view?.caseId}-${view?.signer}.key.json`,
            "application/json",
          ),
      },
      t("sign.backup"),
    ),
  );
}

/** A key this browser could not keep (storage blocked or full): offered on any failure. */
let unsaved: PartyKeyFile | undefined;

function showFailure(e: unknown): void {
  result.hidden = false;
  result.dataset.result = "failed";
  // The key bound to this invitation is the only one that can sign: keep it within reach,
  // unless the failure was only the key's own (a wrong passphrase, a wrong file).
  const keyProblem = !(e instanceof ApiError) && (e as Error)?.message?.startsWith("sign.err.");
  const bound = !keyProblem && stored && view?.publicKey === stored.publicKey ? stored : undefined;
  const offer = bound ?? unsaved;
  fill(
    result,
    el("h2", {}, t("sign.failed")),
    el("p", { role: "alert", class: "error-text" }, errorText(e)),
    ...(offer
      ? [el("p", {}, t(bound ? "sign.failed.keyKept" : "sign.failed.keyUnsaved")), backupButton(offer)]
      : []),
  );
}

button.addEventListener("click", async () => {
  const v = view;
  if (!v || busy) return;
  busy = true;
  button.disabled = true;
  result.hidden = true;
  try {
    status.textContent = t("sign.step.key");
    const key = await prepareKey({
      mode: mode(),
      passphrase: passphrase.value,
      confirm: passphrase2.value,
      stored,
      importFile: keyFileInput.files?.[0],
      boundKey: v.publicKey,
    });
    status.textContent = v.publicKey ? t("sign.step.sign") : t("sign.step.bind");
    const [receipt, { policy }] = await Promise.all([
      signAgreement({
        token,
        view: v,
        key,
        onUnsaved: (file) => {
          unsaved = file;
        },
        onBound: (file) => {
          // From here this key, and only it, signs for the party: a retry unlocks it again.
          stored = file;
          view = { ...v, publicKey: file.publicKey };
          status.textContent = t("sign.step.sign");
        },
      }),
      logTrust(),
    ]);
    stored = key.file;
    passphrase.value = "";
    passphrase2.value = "";
    status.textContent = "";
    view = { ...v, signed: true, publicKey: key.file.publicKey };
    showReceipt(receipt, key.file, policy);
    void refresh();
  } catch (e) {
    status.textContent = "";
    showFailure(e);
  } finally {
    busy = false;
    renderKeyState();
  }
});

for (const r of document.querySelectorAll<HTMLInputElement>('input[name="key-mode"]')) {
  r.addEventListener("change", renderKeyState);
}

onLanguage(() => {
  renderCase();
  done?.();
});
await refresh();
// Until the party has signed, follow the case: the agreement may arrive or be replaced
// (the page then shows and checks the new file), and in sequential cases the turn moves.
setInterval(() => {
  if (!busy && view && !view.signed && view.status !== "sealed") void refresh();
}, 5000);
