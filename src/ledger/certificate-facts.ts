/** What a verification certificate (存证证书) states; all public data. */
export interface EvidenceCertificateFacts {
  evidenceId: string;
  txHash: string;
  blockHeight: number;
  index: number;
  recordedAt: string;
  /** The evidence digest, when the entry records one. */
  sha256?: string;
  size?: number;
  title?: string;
  entryType: string;
  origin: string;
  treeSize: number;
  root: string;
  /** Court cosignatures of the checkpoint the proof is against. */
  cosignatures: { witness: string; time: string }[];
  /** Whether the log has court witnesses (none yet cosigned is then "not yet", not "none"). */
  witnessesConfigured?: boolean;
  verifyUrl: string;
  proofUrl: string;
  verifierKey: string;
}
