// The court witness (DESIGN §11): c2sp.org/tlog-witness v1.0.0 on both sides.
// Domain parts only; the adapters are imported by path: ./server.js (node:http),
// ./witness-node.js and ./key-file.js (node:fs), ../storage/witness-store.js (LevelDB).
export {
  type AddCheckpointResult,
  addCheckpoint,
  type WitnessContext,
  type WitnessEvent,
} from "./add-checkpoint.js";
export {
  type AddCheckpointRequest,
  DEFAULT_MAX_BODY_BYTES,
  formatAddCheckpointRequest,
  MAX_PROOF_LINES,
  parseAddCheckpointRequest,
} from "./add-checkpoint-request.js";
export {
  DEFAULT_WITNESS_DATA_DIR,
  DEFAULT_WITNESS_PORT,
  parseWitnessOptions,
  type WitnessOptions,
} from "./config.js";
export {
  DEFAULT_WITNESS_TIMEOUT_MS,
  WitnessCoordinator,
  type WitnessCoordinatorDeps,
  type WitnessOutcome,
  type WitnessResult,
  type WitnessRound,
} from "./log-client.js";
export { createLogKeyring, type LogKeyring } from "./log-keyring.js";
export { MemoryWitnessStore } from "./memory-witness-store.js";
export { CONCLUSIVE, classifyMisbehaviour } from "./misbehaviour.js";
export {
  TLOG_SIZE_CONTENT_TYPE,
  WITNESS_STATUS,
  type WitnessRefusal,
  witnessStatusOf,
} from "./refusal-status.js";
export {
  addCheckpointUrl,
  type FetchLike,
  type SubmitAnswer,
  submitCheckpoint,
} from "./submit-checkpoint.js";
export type {
  MisbehaviourDetails,
  MisbehaviourReason,
  MisbehaviourRecord,
  WitnessState,
  WitnessStore,
} from "./witness-store.js";
