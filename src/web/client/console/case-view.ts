import { toHex } from "../../../core/bytes.js";
import { sha256 } from "../../../crypto/sha256.js";
import type { Receipt } from "../../../ledger/receipt.js";
import { apiBytes, apiJson } from "../common/api.js";
import { checkReceipt } from "../common/checked-record.js";
import { el, fill, saveFile } from "../common/dom.js";
import { formatTime, shortHex } from "../common/format.js";
import { t } from "../common/i18n.js";
import { roleKey } from "../common/messages.js";
import { recordCard, row } from "../common/record-view.js";
import { logTrust } from "../common/trust.js";
import { errorText } from "./error-text.js";
import { qrCode } from "./qr.js";

/** GET /api/v1/cases/:id (src/service/cases/get-case.ts). */
export interface CaseView {
  id: string;
  caseNumber: string;
  title: string;
  signingOrder: "parallel" | "sequential";
  status: "draft" | "signing" | "signed" | "sealed";
  agreement?: { sha256: string; evidenceId: string; registeredAt: string };
  nextSigner?: string;
  parties: { id: string; role: string; name: string; publicKey?: string; signed: boolean }[];
  signatures: { signer: string; time: string; index: number }[];
  sealed?: { sha256: string; index: number };
  entries: Receipt[];
}

export interface Invite {
  url: string;
  expiresAt: string;
}

/** A selector that finds `e` again in a redrawn panel, if it has a stable name. */
function focusKey(e: HTMLElement): string | undefined {
  if (e.id) return `#${CSS.escape(e.id)}`;
  for (const a of ["data-invite", "data-reset-key"]) {
    const v = e.getAttribute(a);
    if (v) return `[${a}="${CSS.escape(v)}"]`;
  }
  return undefined;
}

const POLL_MS = 3000;

/**
 * One open case: its state, the agreement upload, each party's signature and
 * invitation, sealing, and every entry with its proof checked in the browser.
 * The case is polled every few seconds and redrawn when it changed.
 */
export class CaseController {
  private view: CaseView | undefined;
  private lastJson = "";
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly invites = new Map<string, { invite: Invite; qr: HTMLElement }>();
  private message = "";
  /** The last action's refusal, shown until the next action (a refresh redraws it). */
  private error = "";
  /** Whether the last poll failed: the case shown may be out of date. */
  private stale = false;
  private busy = false;
  /** Kept across redraws, so a refresh never drops the file the mediator picked. */
  private readonly fileInput = el("input", {
    type: "file",
    id: "agreement-file",
    accept: "application/pdf,.pdf",
  }) as HTMLInputElement;

  constructor(
    private readonly panel: HTMLElement,
    private readonly caseId: string,
    private readonly token: () => string | undefined,
    private readonly onLoaded: (v: CaseView) => void,
  ) {}

  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), POLL_MS);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private path(p = ""): string {
    return `/api/v1/cases/${encodeURIComponent(this.caseId)}${p}`;
  }

  async refresh(): Promise<void> {
    try {
      const v = await apiJson<CaseView>(this.path(), { token: this.token() });
      const json = JSON.stringify(v);
      const wasStale = this.stale;
      this.stale = false;
      if (wasStale) this.message = "";
      if (json === this.lastJson) {
        if (wasStale) await this.render();
        return;
      }
      const before = this.view;
      this.lastJson = json;
      this.view = v;
      if (before) {
        const newly = v.parties.filter((p) => p.signed && !before.parties.find((b) => b.id === p.id)?.signed);
        if (newly.length)
          this.message = newly.map((p) => t("console.case.signedNow", { name: p.name })).join("；");
      } else this.onLoaded(v);
      await this.render();
    } catch (e) {
      if (!this.view) {
        this.stop();
        this.panel.hidden = false;
        fill(this.panel, el("p", { role: "alert", class: "error-text" }, errorText(e)));
      } else if (!this.stale) {
        // Say so rather than keep showing a case that may have moved on.
        this.stale = true;
        this.message = t("console.case.stale", { reason: errorText(e) });
        await this.render();
      }
    }
  }

  /** Redraws everything from the last state (also on a language switch). */
  async render(): Promise<void> {
    const v = this.view;
    if (!v) return;
    const { policy } = await logTrust();
    this.panel.hidden = false;
    this.panel.dataset.status = v.status;
    // A redraw must not take the keyboard focus away from where the mediator was.
    const focused = document.activeElement;
    const refocus =
      focused instanceof HTMLElement && this.panel.contains(focused) ? focusKey(focused) : undefined;
    fill(
      this.panel,
      el(
        "div",
        { class: "case-head" },
        el("h2", { id: "case-title", tabindex: "-1" }, v.title),
        el(
          "span",
          {
            class: `badge ${v.status === "sealed" ? "seal" : v.status === "signed" ? "ok" : ""}`,
            "data-testid": "case-status",
            "data-status": v.status,
          },
          t(`status.${v.status}`),
        ),
      ),
      el(
        "dl",
        { class: "facts" },
        ...row(t("console.new.caseNumber"), v.caseNumber),
        ...row(t("console.case.id"), v.id, { mono: true }),
      ),
      el("p", { id: "case-error", class: "error-text", role: "alert" }, this.error),
      this.agreementBlock(v),
      el(
        "h3",
        {},
        t("console.case.parties"),
        " ",
        el("span", { class: "hint" }, `(${t("console.case.live")})`),
      ),
      el("p", { class: "hint", "aria-live": "polite", id: "case-live" }, this.message),
      this.partiesTable(v),
      this.sealBlock(v),
      el("h3", {}, t("console.case.entries")),
      ...v.entries.map((r) => recordCard(checkReceipt(r, policy))),
    );
    if (refocus) this.panel.querySelector<HTMLElement>(refocus)?.focus();
  }

  private agreementBlock(v: CaseView): HTMLElement {
    const input = this.fileInput;
    const locked = v.signatures.length > 0;
    return el(
      "section",
      { "aria-labelledby": "agreement-title" },
      el("h3", { id: "agreement-title" }, t("console.case.agreement")),
      v.agreement
        ? el(
            "dl",
            { class: "facts" },
            ...row(t("receipt.digest"), v.agreement.sha256, { mono: true }),
            ...row(t("receipt.evidenceId"), v.agreement.evidenceId, { mono: true }),
            ...row(t("receipt.recordedAt"), formatTime(v.agreement.registeredAt)),
          )
        : el("p", { class: "notice" }, t("console.case.noAgreement")),
      locked
        ? undefined
        : el(
            "div",
            { class: "field" },
            el(
              "label",
              { for: "agreement-file" },
              t(v.agreement ? "console.case.replace" : "console.case.upload"),
            ),
            el(
              "div",
              { class: "actions" },
              input,
              el(
                "button",
                {
                  type: "button",
                  class: "button primary",
                  id: "agreement-upload",
                  onclick: () => void this.upload(input),
                },
                t("console.case.uploadButton"),
              ),
            ),
          ),
    );
  }

  private partiesTable(v: CaseView): HTMLElement {
    const head = ["party", "role", "key", "state", "invite"].map((c) =>
      el("th", { scope: "col" }, t(`console.case.col.${c}`)),
    );
    const rows = v.parties.flatMap((p) => {
      const sig = v.signatures.find((x) => x.signer === p.id);
      const invite = this.invites.get(p.id);
      const state = sig
        ? el("span", { class: "pill ok" }, t("console.case.signedAt", { time: formatTime(sig.time) }))
        : el(
            "span",
            { class: `pill ${v.nextSigner === p.id ? "next" : "wait"}` },
            t(v.nextSigner === p.id ? "console.case.next" : "console.case.pending"),
          );
      const main = el(
        "tr",
        { "data-party": p.id, "data-signed": String(p.signed) },
        el("td", {}, el("strong", {}, p.name), el("br"), el("span", { class: "mono hint" }, p.id)),
        el("td", {}, t(roleKey(p.role))),
        el(
          "td",
          { title: p.publicKey ?? "" },
          p.publicKey
            ? `${t("console.case.keyBound")} ${shortHex(p.publicKey, 6)}`
            : t("console.case.keyMissing"),
        ),
        el("td", {}, state),
        el(
          "td",
          {},
          p.signed || v.status === "sealed"
            ? "—"
            : el(
                "span",
                { class: "actions" },
                el(
                  "button",
                  {
                    type: "button",
                    class: "button small",
                    "data-invite": p.id,
                    onclick: () => void this.invite(p.id),
                  },
                  t("console.case.invite"),
                ),
                // A key lost, or its passphrase forgotten, before signing: the party binds another.
                p.publicKey
                  ? el(
                      "button",
                      {
                        type: "button",
                        class: "button small",
                        "data-reset-key": p.id,
                        onclick: () => void this.resetKey(p.id, p.name),
                      },
                      t("console.case.resetKey"),
                    )
                  : undefined,
              ),
        ),
      );
      // The link and its QR code get a full-width row of their own, under the party.
      return invite && !p.signed
        ? [
            main,
            el(
              "tr",
              { class: "invite-row", "data-party": p.id },
              el("td", { colspan: 5 }, this.inviteBox(p.name, invite.invite, invite.qr)),
            ),
          ]
        : [main];
    });
    return el("table", { class: "table" }, el("thead", {}, el("tr", {}, ...head)), el("tbody", {}, ...rows));
  }

  private inviteBox(name: string, invite: Invite, qr: HTMLElement): HTMLElement {
    const link = el("input", {
      type: "text",
      readonly: true,
      value: invite.url,
      "aria-label": t("console.case.inviteFor", { name }),
      "data-testid": "invite-link",
    });
    return el(
      "div",
      { class: "invite" },
      qr,
      el(
        "div",
        {},
        el("p", { class: "hint" }, t("console.case.inviteHint", { time: formatTime(invite.expiresAt) })),
        el(
          "div",
          { class: "actions" },
          link,
          el(
            "button",
            {
              type: "button",
              class: "button small",
              onclick: async (e: Event) => {
                const button = e.target as HTMLElement;
                // Said only once the clipboard took it: over plain http on a LAN address there is
                // no clipboard API, and "copied" would have a stale link pasted to a party.
                const copied = await navigator.clipboard
                  ?.writeText(invite.url)
                  .then(() => true)
                  .catch(() => false);
                button.textContent = t(copied ? "common.copied" : "common.copyFailed");
                if (!copied) (link as HTMLInputElement).select();
              },
            },
            t("common.copy"),
          ),
        ),
      ),
    );
  }

  private sealBlock(v: CaseView): HTMLElement {
    return el(
      "section",
      { "aria-labelledby": "seal-title" },
      el("h3", { id: "seal-title" }, t("console.case.sealTitle")),
      v.sealed
        ? el(
            "p",
            { class: "proof-state ok" },
            t("console.case.sealed", { sha: shortHex(v.sealed.sha256, 12) }),
          )
        : el("p", { class: "hint" }, t("console.case.sealHint")),
      el(
        "div",
        { class: "actions" },
        el(
          "button",
          {
            type: "button",
            class: "button seal",
            id: "seal-button",
            "data-testid": "seal-button",
            disabled: !(v.status === "signed" || v.status === "sealed"),
            onclick: () => void this.seal(),
          },
          t(v.sealed ? "console.case.sealAgain" : "console.case.seal"),
        ),
        el(
          "button",
          { type: "button", class: "button", onclick: () => void this.downloadPackage() },
          t("console.case.package"),
        ),
      ),
    );
  }

  private async act(what: () => Promise<void>): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.error = "";
    const box = () => document.getElementById("case-error");
    const shown = box();
    if (shown) shown.textContent = "";
    try {
      await what();
    } catch (e) {
      this.error = errorText(e);
      const b = box();
      if (b) b.textContent = this.error;
    } finally {
      this.busy = false;
    }
  }

  private upload(input: HTMLInputElement): Promise<void> {
    return this.act(async () => {
      const file = input.files?.[0];
      if (!file) {
        input.focus();
        return;
      }
      const r = await apiJson<{ evidenceId: string }>(this.path("/agreement"), {
        method: "PUT",
        token: this.token(),
        body: file,
        contentType: "application/pdf",
      });
      input.value = ""; // done with it: the next redraw offers an empty picker
      this.message = t("console.case.uploaded", { id: r.evidenceId });
      await this.refresh();
    });
  }

  private invite(signer: string): Promise<void> {
    return this.act(async () => {
      // A link is shown only once, so a new one replaces the party's earlier links, which
      // would otherwise stay valid, unseen, for their fortnight.
      await apiJson(this.path(`/invitations/${encodeURIComponent(signer)}`), {
        method: "DELETE",
        token: this.token(),
      });
      const r = await apiJson<Invite>(this.path("/invitations"), {
        method: "POST",
        token: this.token(),
        json: { signer },
      });
      // Without NOTARIUM_PUBLIC_URL the service answers a path: complete it with this origin.
      const url = new URL(r.url, location.origin).href;
      this.invites.set(signer, { invite: { ...r, url }, qr: await qrCode(url, t("console.case.qr")) });
      await this.render();
      (
        document.querySelector(`[data-party="${CSS.escape(signer)}"] input`) as HTMLInputElement | null
      )?.select();
    });
  }

  private resetKey(signer: string, name: string): Promise<void> {
    if (!window.confirm(t("console.case.resetKeyConfirm", { name }))) return Promise.resolve();
    return this.act(async () => {
      await apiJson(this.path(`/parties/${encodeURIComponent(signer)}/key`), {
        method: "DELETE",
        token: this.token(),
      });
      this.message = t("console.case.keyReset", { name });
      await this.refresh();
    });
  }

  private seal(): Promise<void> {
    return this.act(async () => {
      const bytes = await apiBytes(this.path("/seal"), { method: "POST", token: this.token() });
      saveFile(bytes as Uint8Array<ArrayBuffer>, `${this.caseId}-sealed.pdf`, "application/pdf");
      this.message = t("console.case.sealed", { sha: shortHex(toHex(sha256(bytes)), 12) });
      await this.refresh();
    });
  }

  private downloadPackage(): Promise<void> {
    return this.act(async () => {
      const bytes = await apiBytes(this.path("/package"), { token: this.token() });
      saveFile(bytes as Uint8Array<ArrayBuffer>, `${this.caseId}.package.json`, "application/json");
    });
  }
}
