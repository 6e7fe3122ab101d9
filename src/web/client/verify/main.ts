import type { Receipt } from "../../../ledger/receipt.js";
import { ApiError, apiJson } from "../common/api.js";
import { type CheckedRecord, checkReceipt } from "../common/checked-record.js";
import { byId } from "../common/dom.js";
import { formatBytes } from "../common/format.js";
import { t } from "../common/i18n.js";
import { startPage } from "../common/page.js";
import { logTrust } from "../common/trust.js";
import { checkDigest } from "./check-digest.js";
import { checkMessages } from "./check-words.js";
import { hashFile } from "./hash-file.js";
import { verifyMessages } from "./messages.js";
import type { StepCheck, VerifyOutcome } from "./outcome.js";
import { renderError, renderOutcome } from "./result-view.js";
import { readSealedPdf } from "./sniff.js";

startPage({ ...verifyMessages, ...checkMessages });

const input = byId<HTMLInputElement>("file");
const dropzone = byId("dropzone");
const progressBox = byId("progress");
const bar = byId<HTMLProgressElement>("progress-bar");
const progressText = byId("progress-text");
const panel = byId("result");
const EVIDENCE_ID = /^NTR-[0-9A-HJKMNP-TV-Z]{16}$/;

/** The evidence named by the link (`/?evidence=NTR-…`, what a sealed page's QR code opens). */
const prefilled = new URLSearchParams(location.search).get("evidence") ?? undefined;
let evidenceRecord: CheckedRecord | undefined;
let rerender: (() => void) | undefined;
let busy = false;

function show(render: () => void): void {
  rerender = render;
  render();
  byId("verdict-title").focus({ preventScroll: false });
}

document.addEventListener("notarium:lang", () => rerender?.());

function setProgress(done: number, total: number): void {
  bar.max = Math.max(total, 1);
  bar.value = done;
  const percent = total ? Math.floor((done / total) * 100) : 100;
  progressText.textContent = t("verify.progress.text", {
    done: formatBytes(done),
    total: formatBytes(total),
    percent,
  });
}

function setStage(key: string): void {
  progressText.textContent = t(key);
}

async function verifyFile(file: File): Promise<void> {
  if (busy) return;
  if (file.size === 0) {
    // Nothing to check: "not recorded, so maybe altered" would mislead.
    show(() => renderError(panel, t("verify.error.empty", { name: file.name })));
    input.value = "";
    return;
  }
  busy = true;
  rerender = undefined;
  panel.hidden = true;
  panel.removeAttribute("data-result");
  progressBox.hidden = false;
  setProgress(0, file.size);
  try {
    const trust = logTrust();
    const sealedBytes = readSealedPdf(file);
    let latest = 0;
    let scheduled = false;
    const digest = await hashFile(file, (bytes) => {
      // One repaint per frame, however often the worker reports.
      latest = bytes;
      if (scheduled) return;
      scheduled = true;
      requestAnimationFrame(() => {
        scheduled = false;
        setProgress(latest, file.size);
      });
    });
    setProgress(file.size, file.size);
    setStage("verify.progress.lookup");
    const { policy, pdfCertificate } = await trust;
    const found = await checkDigest(digest.sha256, policy);
    const bytes = await sealedBytes;
    const base = { fileName: file.name, size: digest.size, sha256: digest.sha256, records: found.records };
    let outcome: VerifyOutcome;
    if (bytes) {
      setStage("verify.progress.sealed");
      const { checkSealedPdf } = await import("./check-sealed.js");
      const seal = found.records.find(
        (r) => r.type === "agreement.sealed" && r.sha256 === digest.sha256 && r.proof.valid,
      );
      const r = await checkSealedPdf(bytes, {
        policy,
        ...(pdfCertificate ? { certificatePem: pdfCertificate } : {}),
        sealRecorded: seal !== undefined,
      });
      outcome = { kind: "sealed", ...base, valid: r.valid, checks: r.checks, sealed: r.sealed };
    } else {
      outcome = { kind: "file", ...base, valid: found.valid, checks: found.checks };
    }
    if (evidenceRecord) {
      // A sealed page's QR code names the agreement's registration: a sealed file matches it
      // when the original inside is that registered document.
      const id = evidenceRecord.receipt.evidenceId;
      const same =
        found.records.some((r) => r.receipt.evidenceId === id) ||
        (outcome.kind === "sealed" &&
          !!outcome.sealed?.document &&
          outcome.sealed.document === evidenceRecord.sha256);
      const check: StepCheck = {
        name: "matches-evidence",
        ok: same,
        detail: same ? `the file is what ${id} records` : `${id} records another digest`,
      };
      outcome = { ...outcome, valid: outcome.valid && same, checks: [...outcome.checks, check] };
    }
    const done = outcome;
    show(() => renderOutcome(panel, done));
  } catch (e) {
    const message =
      e instanceof ApiError && e.code === "NETWORK"
        ? t("common.network")
        : t("verify.error.read", { message: (e as Error).message });
    show(() => renderError(panel, message));
  } finally {
    progressBox.hidden = true;
    busy = false;
    input.value = "";
  }
}

async function showEvidence(id: string): Promise<void> {
  if (!EVIDENCE_ID.test(id)) {
    show(() => renderError(panel, t("verify.error.badId")));
    return;
  }
  try {
    const [receipt, { policy }] = await Promise.all([
      apiJson<Receipt>(`/api/v1/evidence/${encodeURIComponent(id)}`),
      logTrust(),
    ]);
    const record = checkReceipt(receipt, policy);
    evidenceRecord = record;
    const outcome: VerifyOutcome = {
      kind: "evidence",
      valid: record.proof.valid,
      checks: record.proof.checks,
      records: [record],
    };
    if (!busy) show(() => renderOutcome(panel, outcome));
  } catch (e) {
    const notFound = e instanceof ApiError && e.status === 404;
    const message = notFound
      ? t("verify.error.notFound", { id })
      : e instanceof ApiError && e.code === "NETWORK"
        ? t("common.network")
        : t("common.error", { message: (e as Error).message });
    if (!busy) show(() => renderError(panel, message, notFound ? "invalid" : "error"));
  }
}

input.addEventListener("change", () => {
  const file = input.files?.[0];
  if (file) void verifyFile(file);
});

// The whole page accepts a dropped file; the zone lights up while one hovers.
for (const type of ["dragenter", "dragover"] as const) {
  document.addEventListener(type, (e) => {
    if (!e.dataTransfer?.types.includes("Files")) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = "copy";
    dropzone.classList.add("active");
  });
}
document.addEventListener("dragleave", (e) => {
  if (e.relatedTarget === null) dropzone.classList.remove("active");
});
document.addEventListener("drop", (e) => {
  e.preventDefault();
  dropzone.classList.remove("active");
  const file = e.dataTransfer?.files[0];
  if (file) void verifyFile(file);
});

if (prefilled) void showEvidence(prefilled);
