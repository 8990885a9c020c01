export { entryBytes, entryText, hashEntry, hashEntryBytes, verifyChain, GENESIS_HASH } from './chain.js';
export type { AuditEntry, ChainCheck, ChainPosition } from './chain.js';
export {
  EMPTY_ROOT,
  HASH_SIZE,
  TreeBuilder,
  consistencyProof,
  consistencyRanges,
  hashChildren,
  hashLeaf,
  hashLeafText,
  inclusionProof,
  inclusionRanges,
  memoryTree,
  nodesNeeded,
  perfectNodesOf,
  rangeHash,
  rootOf,
  verifyConsistency,
  verifyInclusion,
} from './merkle-tree.js';
export type { LeafRange, NodeId, NodeLookup } from './merkle-tree.js';
export {
  checkpointText,
  generateKeyPem,
  isValidKeyName,
  keyIdOf,
  noteSigner,
  openNote,
  parseCheckpointText,
  parsePrivateKey,
  parseVerifierKey,
  rawPublicKey,
  signCheckpoint,
  signNote,
  verifierKeyString,
  verifyCheckpoint,
} from './checkpoint.js';
export type { Checkpoint, CheckedCheckpoint, NoteKey, NoteProblem, NoteSigner } from './checkpoint.js';
export { isEntryAbout } from './visibility.js';
export type { EntryParties, OrgRef } from './visibility.js';
