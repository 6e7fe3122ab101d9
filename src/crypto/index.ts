export type { Checkpoint, OpenedCheckpoint, ParsedCheckpoint } from "./checkpoint.js";
export {
  formatCheckpoint,
  openCheckpoint,
  parseCheckpoint,
  parseTreeSize,
  signCheckpoint,
} from "./checkpoint.js";
export type { Cosignature } from "./cosignature.js";
export { cosign, cosignaturesOf, cosignatureTimestamp, verifyCosignature } from "./cosignature.js";
export type { TimestampedSignature } from "./cosignature-message.js";
export {
  COSIGNATURE_V1_HEADER,
  cosignatureMessage,
  decodeTimestampedSignature,
  encodeTimestampedSignature,
  TIMESTAMPED_SIGNATURE_LENGTH,
} from "./cosignature-message.js";
export type { Ed25519 } from "./ed25519.js";
export { ed25519, ed25519Native, ed25519Portable } from "./ed25519.js";
export type {
  CosignatureSigner,
  NoteKeyType,
  NoteSigner,
  NoteVerifier,
  SignerKey,
  VerifierKey,
} from "./note-keys.js";
export {
  computeKeyId,
  createCosigner,
  createSigner,
  createSignerFromKey,
  createVerifier,
  formatSignerKey,
  formatVerifierKey,
  generateSignerKey,
  isValidKeyName,
  KEY_TYPE_COSIGNATURE_V1,
  KEY_TYPE_ED25519,
  parseSignerKey,
  parseVerifierKey,
} from "./note-keys.js";
export type { Sha256Stream } from "./sha256.js";
export { createSha256, sha256, sha256Native, sha256Portable, sha256Stream } from "./sha256.js";
export type {
  Note,
  NoteSignature,
  NoteSignatureFields,
  VerifiedNote,
  VerifiedSignature,
} from "./signed-note.js";
export {
  assertNoteText,
  formatNote,
  formatSignatureLine,
  isNoteSafeString,
  MAX_NOTE_SIGNATURES,
  parseNote,
  parseSignatureLine,
  SIGNATURE_LINE_PREFIX,
  signNote,
  verifyNote,
} from "./signed-note.js";
export type {
  GroupThreshold,
  PolicyCosignature,
  PolicyGroup,
  PolicyLog,
  PolicyVerifiedCheckpoint,
  PolicyWitness,
  TlogPolicy,
} from "./tlog-policy.js";
export {
  evaluateQuorum,
  formatPolicy,
  parsePolicy,
  QUORUM_NONE,
  verifyCheckpointWithPolicy,
} from "./tlog-policy.js";
export type { ParsedTlogProof, TlogProof } from "./tlog-proof.js";
export {
  formatTlogProof,
  formatTlogProofHead,
  MAX_TLOG_PROOF_HASHES,
  parseTlogProof,
  TLOG_PROOF_HEADER,
} from "./tlog-proof.js";
