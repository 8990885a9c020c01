// The one schema, shared by both engines. Times are ISO-8601 UTC strings (they sort as text on
// SQLite and PostgreSQL alike); ids are random UUIDs so that several nodes can insert without a
// shared sequence. Only the audit log has a sequence, because the chain needs one order.
import type { Generated } from 'kysely';
import type { StirTables } from './schema-stir.js';
import type { ConversationTables } from './schema-conversation.js';
import type { PaymentsTables } from './schema-payments.js';
import type { GovernanceTables } from './schema-governance.js';
import type { AuditTables } from './schema-audit.js';

export interface MetaTable {
  key: string;
  value: string;
}

export interface OrgsTable {
  id: string;
  name: string;
  role: string;
  created_at: string;
}

export interface ApiKeysTable {
  id: string;
  org_id: string;
  key_hash: string;
  /** First characters of the key, so an operator can tell keys apart without seeing them. */
  prefix: string;
  label: string | null;
  created_at: string;
  revoked_at: string | null;
}

export interface ReportsTable {
  id: string;
  caller: string;
  caller_kind: string;
  reporter_hash: string;
  org_id: string;
  category: string;
  comment: string | null;
  channel: string | null;
  claimed_org: string | null;
  occurred_at: string;
  created_at: string;
  /** Where a bulk import came from ("ftc-dnc:2021-07-08"); null for live reports. */
  import_source: string | null;
}

export interface FeedbackTable {
  id: string;
  caller: string;
  reporter_hash: string;
  org_id: string;
  verdict: string;
  comment: string | null;
  occurred_at: string;
  created_at: string;
}

export interface ListsTable {
  id: string;
  org_id: string;
  /** The kind of partner that vouches for it: police, regulator, carrier, bank, platform. */
  source: string;
  name: string;
  category: string;
  expires_at: string | null;
  created_at: string;
  entries: number;
}

export interface ListEntriesTable {
  id: string;
  list_id: string;
  identifier: string;
  kind: string;
  category: string;
  reason: string | null;
  expires_at: string | null;
  created_at: string;
}

export interface AppealsTable {
  id: string;
  identifier: string;
  org_id: string;
  evidence: string;
  contact: string | null;
  status: string;
  created_at: string;
  decided_at: string | null;
  decided_by: string | null;
  decision_reason: string | null;
}

export interface ReporterStatsTable {
  reporter_hash: string;
  false_reports: number;
}

export interface PoliciesTable {
  subscriber_hash: string;
  org_id: string;
  policy: string;
  updated_at: string;
}

export interface AuditLogTable {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  details: string;
  prev_hash: string;
  hash: string;
  /** RFC 9162 leaf hash of the entry's canonical bytes (0010-audit-merkle). */
  leaf_hash: Buffer;
}

export interface Database extends StirTables, ConversationTables, PaymentsTables, GovernanceTables, AuditTables {
  meta: MetaTable;
  orgs: OrgsTable;
  api_keys: ApiKeysTable;
  reports: ReportsTable;
  feedback: FeedbackTable;
  lists: ListsTable;
  list_entries: ListEntriesTable;
  appeals: AppealsTable;
  reporter_stats: ReporterStatsTable;
  policies: PoliciesTable;
  audit_log: AuditLogTable;
  changes: ChangesTable;
  risky_calls: RiskyCallsTable;
}


export interface ChangesTable {
  seq: Generated<number>;
  kind: string;
  key: string;
  at: string;
}

export interface RiskyCallsTable {
  subscriber_hash: string;
  /** The RiskyCallMark as JSON. */
  mark: string;
  at: string;
}
