import { randomBytes } from "node:crypto";
import { utf8 } from "../core/bytes.js";
import { nameCharacters } from "../core/characters.js";
import type { Clock } from "../core/clock.js";
import { drawEvidenceCertificate } from "../pdf/evidence-certificate.js";
import { loadSealFont } from "../pdf/font-file.js";
import { inspectPdf } from "../pdf/inspect-pdf.js";
import { createPdfCertificate, pdfSignerFromPem } from "../pdf/pdf-certificate.js";
import type { PdfSigner } from "../pdf/pdf-signer.js";
import { SEAL_FONT_COVERAGE, sealFontLacks } from "../pdf/seal-font.js";
import { sealPdf } from "../pdf/seal-pdf.js";
import { roleLabel, SEAL_LIMITS, sealTextProblem } from "../pdf/seal-spec.js";
import { verifySealedPdf } from "../pdf/verify-sealed-pdf.js";
import type { PdfTools, SealPartiesProblem, SealRequest } from "../service/cases/pdf-tools.js";

/**
 * Why the seal could not print `text` in a field of at most `max` characters
 * (sealTextProblem, then the font's glyphs), worded for whoever gave the text;
 * undefined when it can.
 */
export function sealTextRefusal(
  text: string,
  max: number,
): { code: "INVALID_ARGUMENT" | "FONT_MISSING_GLYPH"; message: string } | undefined {
  const problem = sealTextProblem(text, max);
  if (problem === "empty") return { code: "INVALID_ARGUMENT", message: "is empty" };
  if (problem === "too long")
    return { code: "INVALID_ARGUMENT", message: `is longer than the ${max} characters the seal shows` };
  if (problem === "control characters")
    return { code: "INVALID_ARGUMENT", message: "contains control characters, which the seal cannot show" };
  const missing = sealFontLacks(loadSealFont(), text.trim()); // the seal prints it trimmed
  if (missing.length > 0)
    return {
      code: "FONT_MISSING_GLYPH",
      message: `the seal's font has no glyph for ${nameCharacters(missing)}, so the seal could not show it; ${SEAL_FONT_COVERAGE}`,
    };
  return undefined;
}

/** sealPartiesProblem of the PDF port: what keeps a case's parties off its seal. */
export function sealPartiesProblem(
  parties: readonly { name: string; role: string }[],
): SealPartiesProblem | undefined {
  if (parties.length > SEAL_LIMITS.signers)
    return { code: "INVALID_ARGUMENT", message: `the seal lists at most ${SEAL_LIMITS.signers} parties` };
  for (const [index, p] of parties.entries()) {
    const name = sealTextRefusal(p.name, SEAL_LIMITS.name);
    if (name) return { ...name, index, field: "name" };
    // The seal prints a known role in Chinese and any other as it is.
    const role =
      sealTextRefusal(p.role, SEAL_LIMITS.role) ?? sealTextRefusal(roleLabel(p.role), SEAL_LIMITS.role);
    if (role) return { ...role, index, field: "role" };
  }
  return undefined;
}

/** What the trial seal of `check` prints: any text the seal's font can show. */
const TRIAL_SEAL = {
  centreName: "调解中心",
  evidenceId: "trial",
  digest: "0".repeat(64),
  signers: [{ name: "甲", role: "applicant" }],
  verifyUrl: "http://localhost/",
  pages: "all-edge" as const,
};

let trial: PdfSigner | undefined;
/** A P-256 key and certificate made once per process for trial seals, never kept. */
function trialSigner(clock: Clock): PdfSigner {
  if (!trial) {
    const c = createPdfCertificate({
      commonName: "Notarium trial seal",
      clock,
      randomBytes: (n) => new Uint8Array(randomBytes(n)),
    });
    trial = pdfSignerFromPem(c.certificatePem, c.privateKeyPem);
  }
  return trial;
}

/** The service's PDF port (service/cases/pdf-tools.ts) over src/pdf: composed here so neither depends on the other. */
export function createPdfTools(o: { signer: PdfSigner; certificatePem: string; clock: Clock }): PdfTools {
  return {
    certificatePem: o.certificatePem,
    sealPartiesProblem,
    async check(bytes) {
      await inspectPdf(bytes);
      // A trial seal, thrown away: what only sealing finds (a certification that allows no
      // changes, a dictionary of the wrong type where the seal writes) is refused now, before
      // anyone signs, and not once every party has signed a file that can never be sealed.
      // With an edge strip on every page (it touches every page, `last` only one), and signed
      // by a throwaway key: the centre's own never signs a file it does not seal.
      await sealPdf(bytes, {
        seal: TRIAL_SEAL,
        proofJson: utf8("{}"),
        signer: trialSigner(o.clock),
        clock: o.clock,
        font: loadSealFont(),
      });
    },
    seal(input: Uint8Array, r: SealRequest) {
      const { proofJson, ...seal } = r;
      return sealPdf(input, { seal, proofJson, signer: o.signer, clock: o.clock, font: loadSealFont() });
    },
    drawCertificate(facts) {
      return drawEvidenceCertificate(facts, loadSealFont("Regular"), o.clock);
    },
    verifySealed(bytes) {
      return verifySealedPdf(bytes, { certificatePem: o.certificatePem });
    },
  };
}
