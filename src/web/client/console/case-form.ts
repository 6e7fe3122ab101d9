import { apiJson } from "../common/api.js";
import { byId, el, fill } from "../common/dom.js";
import { t } from "../common/i18n.js";
import { errorText } from "./error-text.js";

const ROLES = ["applicant", "respondent", "mediator", "witness", "agent"];
/** The service's limits (CASE_PARTY_LIMITS, the seal's): said here before a request is sent. */
const MAX_PARTIES = 20;
const MAX_NAME = 32;
let rowSeq = 0;

function partyRow(role: string, id: string): HTMLElement {
  const n = ++rowSeq;
  // data-i18n keys let a language switch re-word rows that already exist.
  const field = (key: string, control: HTMLElement) =>
    el("div", { class: "field" }, el("label", { for: control.id, "data-i18n": key }, t(key)), control);
  const row = el(
    "div",
    { class: "party-row", "data-party-row": String(n) },
    field(
      "console.new.partyId",
      el("input", {
        type: "text",
        id: `party-id-${n}`,
        value: id,
        required: true,
        maxlength: 64,
        // What the service accepts: checked here, so the browser says what is wrong, in its language.
        pattern: "[A-Za-z0-9_.:\\-]{1,64}",
        spellcheck: "false",
        "data-field": "id",
        title: t("console.new.partyIdHint"),
        "data-i18n-attr": "title:console.new.partyIdHint",
      }),
    ),
    field(
      "console.new.partyRole",
      el(
        "select",
        { id: `party-role-${n}`, "data-field": "role" },
        ...ROLES.map((r) =>
          el("option", { value: r, selected: r === role, "data-i18n": `role.${r}` }, t(`role.${r}`)),
        ),
      ),
    ),
    field(
      "console.new.partyName",
      el("input", {
        type: "text",
        id: `party-name-${n}`,
        required: true,
        maxlength: MAX_NAME, // what the seal shows
        "data-field": "name",
      }),
    ),
    el(
      "button",
      {
        type: "button",
        class: "button small",
        "aria-label": t("console.new.removeParty"),
        "data-i18n-attr": "aria-label:console.new.removeParty",
        onclick: () => row.remove(),
      },
      "✕",
    ),
  );
  return row;
}

/** The new-case form: case number, title, order, parties (two to start: applicant and respondent). */
export function setupCaseForm(
  token: () => string | undefined,
  onCreated: (c: { id: string; caseNumber: string; title: string }) => void,
): void {
  const rows = byId("party-rows");
  const reset = () =>
    fill(rows, partyRow("applicant", "applicant-1"), partyRow("respondent", "respondent-1"));
  reset();
  byId("add-party").addEventListener("click", () => {
    if (rows.children.length >= MAX_PARTIES) {
      byId("case-form-error").textContent = t("console.new.tooManyParties", { n: MAX_PARTIES });
      return;
    }
    const r = partyRow("respondent", `party-${rows.children.length + 1}`);
    rows.appendChild(r);
    r.querySelector("input")?.focus();
  });
  const form = byId<HTMLFormElement>("case-form");
  const error = byId("case-form-error");
  const submit = form.querySelector<HTMLButtonElement>('button[type="submit"]') as HTMLButtonElement;
  let submitting = false;
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    error.textContent = "";
    const value = (id: string) => byId<HTMLInputElement>(id).value.trim();
    const parties = [...rows.querySelectorAll<HTMLElement>(".party-row")].map((r) => {
      const get = (f: string) =>
        (r.querySelector<HTMLInputElement>(`[data-field="${f}"]`)?.value ?? "").trim();
      return { id: get("id"), role: get("role"), name: get("name") };
    });
    const invalid = [...form.querySelectorAll<HTMLInputElement>("input")].find(
      (i) => (i.required && !i.value.trim()) || !i.checkValidity(),
    );
    if (invalid) {
      invalid.focus();
      invalid.reportValidity();
      return;
    }
    // One case per press: a double click used to open two identical cases.
    if (submitting) return;
    submitting = true;
    submit.disabled = true;
    try {
      const created = await apiJson<{ id: string; caseNumber: string; title: string }>("/api/v1/cases", {
        method: "POST",
        token: token(),
        json: {
          caseNumber: value("case-number"),
          title: value("case-title-input"),
          signingOrder:
            form.querySelector<HTMLInputElement>('input[name="order"]:checked')?.value ?? "parallel",
          parties,
        },
      });
      form.reset();
      reset();
      onCreated(created);
    } catch (err) {
      error.textContent = errorText(err);
    } finally {
      submitting = false;
      submit.disabled = false;
    }
  });
}
