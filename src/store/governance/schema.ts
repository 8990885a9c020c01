// Row types of the tables that src/store/migrations/0005-governance.ts creates.

/**
 * One do-not-call registration per (person, registering organisation); withdrawn ones keep their
 * row. The number is on the list while any of its registrations is active (migration 0011).
 */
export interface GovernanceDncTable {
  person_hash: string;
  org_id: string;
  index_key: string;
  registered_at: string;
  withdrawn_at: string | null;
  /** "app" or "carrier": who registered it for the person. */
  via: string;
  /** Organisation, role and person of the key that registered it (null: before migration 0011). */
  registered_by: string | null;
}

export interface GovernanceConsentsTable {
  id: string;
  person_hash: string;
  index_key: string;
  business: string;
  business_key: string;
  purpose: string;
  channel: string;
  granted_at: string;
  revoked_at: string | null;
  evidence: string;
  org_id: string;
  created_at: string;
  /** When the consent lapses (default granted_at + 1 year, at most + 2 years). */
  expires_at: string;
  /** Organisation, role and person who recorded it (null: before migration 0011). */
  recorded_by: string | null;
  /** Who recorded its withdrawal: the business, or the person through their app. */
  revoked_by: string | null;
}

export interface GovernanceHoldersTable {
  id: string;
  carrier_org_id: string;
  carrier_name: string;
  holder: string;
  identity_level: string;
  use: string;
  /** number | prefix | range; first/last are E.164 digits without "+". */
  kind: string;
  first: string;
  last: string;
  created_at: string;
  updated_at: string;
  /** The business organisation that holds the numbers (its id), when the carrier named it. */
  holder_org_id?: string | null;
}

export interface GovernanceComplaintsTable {
  id: string;
  caller: string;
  caller_kind: string;
  callee_hash: string;
  org_id: string;
  category: string;
  offered: string | null;
  /** 0/1: what the person says. */
  consented: number;
  claimed_org: string | null;
  holder_id: string | null;
  holder: string | null;
  /** The carrier the complaint is routed to (null: unregistered number, regulator only). */
  carrier_org_id: string | null;
  violation: number;
  /** Comma-separated violation codes. */
  violations: string;
  /** JSON array of {code, text}. */
  findings: string;
  /** open | warned | suspended | dismissed */
  status: string;
  outcome_note: string | null;
  decided_at: string | null;
  decided_by: string | null;
  occurred_at: string;
  created_at: string;
}

export interface GovernanceEscalationsTable {
  id: string;
  holder_id: string;
  holder: string;
  block: string;
  carrier_org_id: string;
  carrier_name: string;
  violations: number;
  window_days: number;
  complaint_ids: string;
  evidence: string;
  recommendation: string;
  created_at: string;
  updated_at: string;
}

export interface GovernancePatternsTable {
  id: string;
  identifier: string;
  category: string;
  pattern: string;
  origin: string;
  features: string;
  import_id: string;
  at: string;
  created_at: string;
}

export interface GovernanceCdrImportsTable {
  id: string;
  source: string;
  org_id: string;
  rows: number;
  malformed: number;
  callers: number;
  flagged: number;
  created_at: string;
}

export interface GovernanceCdrStreamsTable {
  name: string;
  stream: string;
  subject: string;
  owner: string | null;
  lease_until: string | null;
  /** bigint: PostgreSQL returns it as a string. */
  watermark: number | string;
  applied: string;
  messages: number | string;
  rows: number | string;
  malformed: number | string;
  callers: number;
  flagged: number;
  snapshot: Uint8Array | null;
  created_at: string;
  updated_at: string;
}

/** A call-record stream's counters (migration 0026): part 0 a base snapshot, then the deltas of later checkpoints. */
export interface GovernanceCdrStreamStateTable {
  name: string;
  part: number;
  data: Uint8Array;
  created_at: string;
}

/** A call-record stream's campaign traces as of its last checkpoint (migration 0027). */
export interface GovernanceCdrStreamTracesTable {
  name: string;
  data: Uint8Array;
  updated_at: string;
}

export interface GovernanceTables {
  governance_dnc: GovernanceDncTable;
  governance_consents: GovernanceConsentsTable;
  governance_holders: GovernanceHoldersTable;
  governance_complaints: GovernanceComplaintsTable;
  governance_escalations: GovernanceEscalationsTable;
  governance_patterns: GovernancePatternsTable;
  governance_cdr_imports: GovernanceCdrImportsTable;
  governance_cdr_streams: GovernanceCdrStreamsTable;
  governance_cdr_stream_state: GovernanceCdrStreamStateTable;
  governance_cdr_stream_traces: GovernanceCdrStreamTracesTable;
}
