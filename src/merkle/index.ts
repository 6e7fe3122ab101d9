export { CompactRange } from "./compact-range.js";
export { EMPTY_ROOT, HASH_SIZE, hashChildren, hashLeaf, isHash } from "./hash.js";
export {
  type HashReader,
  layeredReader,
  MemoryHashReader,
  type NodeLookup,
  type NodeSink,
  readNodes,
} from "./hash-reader.js";
export { type NodeId, nodeId, nodeRange } from "./node-id.js";
export {
  consistencyPlan,
  consistencyProofSize,
  inclusionPlan,
  inclusionProofSize,
  type ProofPlan,
  perfectRoots,
  rootPlan,
} from "./proof-plan.js";
export { foldProof, proveConsistency, proveInclusion, rootAt } from "./prove.js";
export {
  isValidConsistency,
  isValidInclusion,
  rootFromInclusionProof,
  verifyConsistency,
  verifyInclusion,
} from "./verify.js";
