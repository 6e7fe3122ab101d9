import { el, fill } from "../common/dom.js";
import { formatBytes, formatTime } from "../common/format.js";
import { t } from "../common/i18n.js";
import { roleKey } from "../common/messages.js";
import { recordCard, row } from "../common/record-view.js";
import { checkKey } from "./check-words.js";
import type { StepCheck, VerifyOutcome } from "./outcome.js";

function checkItem(c: StepCheck): HTMLElement {
  const key = checkKey(c.name, c.ok);
  return el(
    "li",
    { class: c.ok ? "ok" : "bad", "data-check": c.name, "data-ok": String(c.ok) },
    el("span", { class: "mark", "aria-hidden": "true" }, c.ok ? "✓" : "✗"),
    el(
      "div",
      {},
      el("span", { class: "visually-hidden" }, c.ok ? "✓ " : "✗ "),
      key ? t(key) : c.name,
      el("details", {}, el("summary", {}, t("common.details")), el("p", { class: "detail" }, c.detail)),
    ),
  );
}

function sealedSection(o: VerifyOutcome): HTMLElement | undefined {
  const s = o.sealed;
  if (!s) return undefined;
  return el(
    "section",
    { class: "sealed" },
    el("h3", {}, t("verify.sealed.title")),
    el(
      "dl",
      { class: "facts" },
      ...(s.case ? row(t("verify.sealed.case"), s.case, { mono: true }) : []),
      ...(s.document ? row(t("verify.sealed.document"), s.document, { mono: true }) : []),
      ...(s.pdfSigner ? row(t("verify.sealed.pdfSigner"), s.pdfSigner.subject) : []),
    ),
    el("h4", {}, t("verify.sealed.signers")),
    s.signers.length
      ? el(
          "ul",
          { class: "signers" },
          ...s.signers.map((p) =>
            el(
              "li",
              { "data-signer": p.signer },
              el("strong", {}, t(roleKey(p.role))),
              ` ${p.signer} · `,
              el("span", {}, `${t("verify.sealed.signedAt")} ${formatTime(p.time)}`),
            ),
          ),
        )
      : el("p", {}, t("verify.sealed.none")),
  );
}

/** Renders an outcome into the result panel: verdict first, then facts, then each check in plain words. */
export function renderOutcome(panel: HTMLElement, o: VerifyOutcome): void {
  const verdict = o.valid ? "valid" : "invalid";
  panel.hidden = false;
  panel.dataset.result = verdict;
  panel.className = `card result ${verdict}`;
  const facts: HTMLElement[] = [
    ...(o.fileName ? row(t("verify.file"), o.fileName) : []),
    ...(o.size === undefined ? [] : row(t("verify.size"), formatBytes(o.size))),
    ...(o.sha256 ? row("SHA-256", o.sha256, { mono: true }) : []),
  ];
  fill(
    panel,
    el(
      "div",
      { class: "verdict" },
      el("span", { class: "seal-mark", "aria-hidden": "true" }, o.valid ? "✓" : "✗"),
      el(
        "div",
        {},
        el("h2", { tabindex: "-1", id: "verdict-title" }, t(`verify.result.${verdict}`)),
        el("p", {}, t(`verify.result.${verdict}.${o.kind}`)),
      ),
    ),
    facts.length ? el("dl", { class: "facts" }, ...facts) : undefined,
    sealedSection(o),
    o.records.length
      ? el("section", {}, el("h3", {}, t("verify.records")), ...o.records.map(recordCard))
      : undefined,
    el(
      "section",
      {},
      el("h3", {}, t("verify.checks")),
      el("ul", { class: "checks" }, ...o.checks.map(checkItem)),
    ),
    o.kind === "evidence" ? el("p", { class: "hint" }, t("verify.evidence.compare")) : undefined,
  );
}

/**
 * A message in place of a verdict. `error` (the default) when no check could run (service
 * unreachable, file unreadable, a malformed ID): neutral, never the red "not verified" a
 * clerk could take for "not authentic". `invalid` when the answer itself is negative.
 */
export function renderError(panel: HTMLElement, message: string, state: "error" | "invalid" = "error"): void {
  panel.hidden = false;
  panel.dataset.result = state;
  panel.className = `card result ${state}`;
  fill(
    panel,
    el(
      "div",
      { class: "verdict" },
      el("span", { class: "seal-mark", "aria-hidden": "true" }, state === "error" ? "?" : "!"),
      el(
        "div",
        {},
        el("h2", { tabindex: "-1", id: "verdict-title" }, t(`verify.result.${state}`)),
        el("p", { role: "alert" }, message),
      ),
    ),
  );
}
