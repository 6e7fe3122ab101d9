import type { Clock } from "../core/clock.js";
import { drawEvidenceCertificate } from "../pdf/evidence-certificate.js";
import { loadSealFont } from "../pdf/font-file.js";
import { inspectPdf } from "../pdf/inspect-pdf.js";
import type { PdfSigner } from "../pdf/pdf-signer.js";
import { sealFontLacks } from "../pdf/seal-font.js";
import { sealPdf } from "../pdf/seal-pdf.js";
import { verifySealedPdf } from "../pdf/verify-sealed-pdf.js";
import type { PdfTools, SealRequest } from "../service/cases/pdf-tools.js";

/** The characters of a text the seal's font cannot draw. */
export function sealTextCheck(): (text: string) => string[] {
  return (text) => sealFontLacks(loadSealFont(), text);
}

/** The service's PDF port (service/cases/pdf-tools.ts) over src/pdf: composed here so neither depends on the other. */
export function createPdfTools(o: { signer: PdfSigner; certificatePem: string; clock: Clock }): PdfTools {
  return {
    certificatePem: o.certificatePem,
    missingGlyphs: sealTextCheck(),
    async check(bytes) {
      await inspectPdf(bytes);
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
