// The audit log's Merkle tree (see src/audit/merkle-tree.ts and docs/audit.md). The entries stay
// in audit_log, each with its leaf hash; audit_nodes holds every completed perfect subtree of 16
// leaves and up, so proofs and tree heads read a few rows and never recompute the log; audit_checkpoints keeps every
// signed tree head.

export interface AuditNodesTable {
  /** 4 and up (STORED_LEVEL): a node of level L is the root of 2^L leaves. Leaves are audit_log.leaf_hash. */
  level: number;
  /** Its leaves are [idx·2^level, (idx+1)·2^level) (leaf index = seq − 1). */
  idx: number;
  hash: Buffer;
}

export interface AuditCheckpointsTable {
  tree_size: number;
  root_hash: Buffer;
  /** The whole signed note, exactly as served and sent to witnesses. */
  note: string;
  created_at: string;
}

export interface AuditTables {
  audit_nodes: AuditNodesTable;
  audit_checkpoints: AuditCheckpointsTable;
}
