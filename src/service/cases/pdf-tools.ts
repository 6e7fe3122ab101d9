/** What sealing needs from a PDF implementation (src/pdf provides it; injected so service code stays PDF-library-free). */
export interface SealRequest {
  centreName: string;
  /** Words under the star; default 调解协议 电子签章. */
  label?: string;
  evidenceId: string;
  digest: string;
  signers: { name: string; role: string }[];
  verifyUrl: string;
  pages?: "last" | "all-edge";
  proofJson: Uint8Array;
}

/** What keeps a case's parties off its seal; `index` and `field` name the party and field, if one. */
export interface SealPartiesProblem {
  code: "INVALID_ARGUMENT" | "FONT_MISSING_GLYPH";
  index?: number;
  field?: "name" | "role";
  message: string;
}

export interface PdfTools {
  /**
   * Why the seal could not show these parties (more than it lists, a name or role
   * too long or with control characters, characters its font lacks), or undefined.
   */
  sealPartiesProblem(parties: readonly { name: string; role: string }[]): SealPartiesProblem | undefined;
  /**
   * Refuses, with a ValidationError code, files that could not be sealed: empty, non-PDF,
   * encrypted, corrupt or too complex, or certified against any change (PDF_LOCKED).
   */
  check(bytes: Uint8Array): Promise<void>;
  /** Stamps, embeds the proof and signs, as incremental updates: the input stays a prefix. */
  seal(input: Uint8Array, request: SealRequest): Promise<Uint8Array>;
  verifySealed(bytes: Uint8Array): Promise<import("../../esign/sealed-agreement.js").SealedPdfFacts>;
  /** Draws an unsealed verification certificate (存证证书) page. */
  drawCertificate(facts: import("../evidence-certificate.js").EvidenceCertificateFacts): Promise<Uint8Array>;
  /** The service's PDF signing certificate (PEM), published at /api/v1/log/keys. */
  certificatePem: string;
}
