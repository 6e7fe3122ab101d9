import type { CheckedRecord } from "./checked-record.js";
import { el } from "./dom.js";
import { formatTime, shortHex } from "./format.js";
import { t } from "./i18n.js";

/** A definition-list row; long hex values wrap and keep their full text selectable. */
export function row(label: string, value: Node | string, o: { mono?: boolean } = {}): HTMLElement[] {
  return [el("dt", {}, label), el("dd", o.mono ? { class: "mono" } : {}, value)];
}

/** Links to a record's certificate and offline proof. */
export function recordLinks(evidenceId: string): HTMLElement {
  const id = encodeURIComponent(evidenceId);
  return el(
    "p",
    { class: "links" },
    el(
      "a",
      { href: `/api/v1/evidence/${id}/certificate.pdf`, class: "button small" },
      t("receipt.certificate"),
    ),
    " ",
    el(
      "a",
      { href: `/api/v1/evidence/${id}/proof`, download: `${evidenceId}.tlog-proof`, class: "button small" },
      t("receipt.proof"),
    ),
  );
}

/** One ledger record: what it is, when and where it was recorded, whether its proof held here, its cosignatures. */
export function recordCard(r: CheckedRecord): HTMLElement {
  const { receipt, proof } = r;
  const cos = proof.cosignatures ?? [];
  return el(
    "article",
    { class: `record ${proof.valid ? "ok" : "bad"}`, "data-evidence-id": receipt.evidenceId },
    el(
      "h4",
      {},
      el("span", { class: "badge" }, t(`entry.${r.type}`)),
      " ",
      el("span", { class: "mono" }, receipt.evidenceId),
    ),
    el(
      "dl",
      { class: "facts" },
      ...row(t("receipt.recordedAt"), formatTime(receipt.recordedAt)),
      ...(r.title ? row(t("receipt.title"), r.title) : []),
      ...(r.sha256 ? row(t("receipt.digest"), r.sha256, { mono: true }) : []),
      ...row(t("receipt.block"), String(receipt.blockHeight)),
      ...row(t("receipt.index"), String(receipt.index)),
      ...row(t("receipt.txHash"), el("span", { title: receipt.txHash }, shortHex(receipt.txHash, 16)), {
        mono: true,
      }),
      ...row(
        t("receipt.cosigned"),
        cos.length
          ? el(
              "ul",
              { class: "plain" },
              ...cos.map((c) => el("li", {}, `${c.witness} · ${formatTime(c.time)}`)),
            )
          : t("receipt.noCosign"),
      ),
    ),
    el(
      "p",
      { class: `proof-state ${proof.valid ? "ok" : "bad"}` },
      el("span", { "aria-hidden": "true" }, proof.valid ? "✓ " : "✗ "),
      proof.valid ? t("receipt.proofOk") : t("receipt.proofBad"),
    ),
    recordLinks(receipt.evidenceId),
  );
}
