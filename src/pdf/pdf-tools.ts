import type { Clock } from "../core/clock.js";
import type { PdfTools, SealRequest } from "../service/cases/pdf-tools.js";
import { drawEvidenceCertificate } from "./evidence-certificate.js";
import { loadSealFont } from "./font-file.js";
import { inspectPdf } from "./inspect-pdf.js";
import type { PdfSigner } from "./pdf-signer.js";
import { sealPdf } from "./seal-pdf.js";
import { verifySealedPdf } from "./verify-sealed-pdf.js";

/** The service's PDF port (service/cases/pdf-tools.ts) over this module. */
export function createPdfTools(o: { signer: PdfSigner; certificatePem: string; clock: Clock }): PdfTools {
  return {
    certificatePem: o.certificatePem,
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
