// The PDF layer (DESIGN §7): the only code that imports pdf-lib.
export { type PdfInspection, type PdfPageSummary, inspectPdf } from "./inspect-pdf.js";
export { IncrementalWriter, type CommitResult } from "./incremental-writer.js";
export { loadPdf, type LoadedPdf } from "./load-pdf.js";
export { DEFAULT_PDF_LIMITS, type PdfLimits } from "./pdf-limits.js";
export { type SealSigner, type SealSpec, formatSealTime, roleLabel } from "./seal-spec.js";
export { stampSeal, displayFrame, type StampResult } from "./stamp-seal.js";
export { embedProof, extractEmbeddedProof, PROOF_FILE_NAME } from "./embed-proof.js";
export { signPdf, SIGNATURE_RESERVE, type PadesOptions } from "./pades-sign.js";
export { type PdfSigner, createP256Signer } from "./pdf-signer.js";
export { createPdfCertificate, pdfSignerFromPem, type PdfCertificate, type PdfCertificateOptions } from "./pdf-certificate.js";
export { sealPdf, type SealPdfOptions } from "./seal-pdf.js";
export { verifySealedPdf, type SealedPdfCheck, type SealedPdfVerification, type VerifySealedPdfOptions } from "./verify-sealed-pdf.js";
export { parseCertificate, type ParsedCertificate } from "./x509.js";
