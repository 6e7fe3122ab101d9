/** What sealing needs from a PDF implementation (src/pdf provides it; injected so service code stays PDF-library-free). */
export interface SealRequest {
  centreName: string;
  evidenceId: string;
  digest: string;
  signers: { name: string; role: string }[];
  verifyUrl: string;
  pages?: "last" | "all-edge";
  proofJson: Uint8Array;
}

export interface PdfTools {
  /** Refuses empty, non-PDF, encrypted, corrupt or too complex files with a ValidationError code. */
  check(bytes: Uint8Array): Promise<void>;
  /** Stamps, embeds the proof and signs, as incremental updates: the input stays a prefix. */
  seal(input: Uint8Array, request: SealRequest): Promise<Uint8Array>;
  verifySealed(bytes: Uint8Array): Promise<import("../../esign/sealed-agreement.js").SealedPdfFacts>;
  /** The service's PDF signing certificate (PEM), published at /api/v1/log/keys. */
  certificatePem: string;
}
