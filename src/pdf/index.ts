// The PDF layer (DESIGN §7): the only code that imports pdf-lib. Everything
// here takes bytes and returns bytes, except certificate-files.ts and
// font-file.ts, which read the disk. verify-sealed-pdf.ts and what it imports
// are portable (no Node built-ins) for the browser verifier.
export {
  type LoadedPdfCertificate,
  loadOrCreatePdfCertificate,
  PDF_CERT_FILE,
  PDF_KEY_FILE,
} from "./certificate-files.js";
export { embedProof, extractEmbeddedProof, PROOF_FILE_NAME } from "./embed-proof.js";
export { loadSealFont, type SealFontWeight, sealFontPath } from "./font-file.js";
export { type CommitResult, IncrementalWriter } from "./incremental-writer.js";
export { inspectPdf, type PdfInspection, type PdfPageSummary } from "./inspect-pdf.js";
export { type LoadedPdf, loadPdf } from "./load-pdf.js";
export { type PadesOptions, SIGNATURE_RESERVE, signPdf } from "./pades-sign.js";
export {
  createPdfCertificate,
  type PdfCertificate,
  type PdfCertificateOptions,
  pdfSignerFromPem,
} from "./pdf-certificate.js";
export { DEFAULT_PDF_LIMITS, type PdfLimits } from "./pdf-limits.js";
export { createP256Signer, type PdfSigner } from "./pdf-signer.js";
export { type SealPdfOptions, sealPdf } from "./seal-pdf.js";
export { formatSealTime, roleLabel, type SealSigner, type SealSpec } from "./seal-spec.js";
export { displayFrame, type StampResult, stampSeal } from "./stamp-seal.js";
export {
  type SealedPdfCheck,
  type SealedPdfVerification,
  type VerifySealedPdfOptions,
  verifySealedPdf,
} from "./verify-sealed-pdf.js";
export { type ParsedCertificate, parseCertificate } from "./x509.js";
