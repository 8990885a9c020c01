// The one schema, shared by both engines. Times are ISO-8601 UTC strings (they sort as text on
// SQLite and PostgreSQL alike); ids are random UUIDs so that several nodes can insert without a
// shared sequence. Only the audit log has a sequence, because the chain needs one order.
import type { Generated } from 'kysely';
import type { StirTables } from './stir/schema.js';
import type { ConversationTables } from './conversation/schema.js';
import type { PaymentsTables } from './payments/schema.js';
import type { GovernanceTables } from './governance/schema.js';
import type { AuditTables } from './audit/schema.js';
import type { ResponseTables } from './response/schema.js';
import type { CampaignTables } from './campaigns/schema.js';
import type { BlocklistTables } from './blocklist/schema.js';
import type { SubscriberHistoryTable } from './screening/history.js';

export interface MetaTable {
  key: string;
  value: string;
}

export interface OrgsTable {
  id: string;
  name: string;
  role: string;
  created_at: string;
  /** The language of the organisation's webhook events: "en", "zh-CN", "zh-TW" or null, not set (migration 0023). */
  language: Generated<string | null>;
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
  /** The person behind the key (staff or badge number, or a system name); null on keys made before people were recorded. */
  person: string | null;
  /** After this the key is refused (401 AUTH_KEY_EXPIRED): `--expires`, or the end of a rotation's grace period. */
  expires_at: string | null;
  /** Last request with this key, written at most once a minute per key and node. */
  last_used_at: string | null;
  /** The key that replaced this one when it was rotated. */
  replaced_by: string | null;
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
  /** The burst of new reporters it belongs to: it counts only once that burst is accepted. */
  burst_id?: string | null;
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
  burst_id?: string | null;
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
  /** Lifted entries no longer count: by the list's owner, or by an upheld appeal that named the list. */
  lifted_at?: string | null;
  /** "owner:<org> / <person>" or "appeal:<id>" */
  lifted_by?: string | null;
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
  /** The person behind the key that filed it. */
  person?: string | null;
  /** 1 when the appellant is the registered holder of the number; 0 when no holder organisation is registered. */
  holder_verified?: number | null;
  /** JSON array of the list ids the appeal contests (an upheld appeal lifts exactly these entries). */
  listings?: string | null;
  decided_person?: string | null;
}

/** When callshield first saw a reporter of an organisation (server time): recent reporters weigh less. */
export interface ReportersTable {
  org_id: string;
  reporter_hash: string;
  first_seen_at: string;
}

/** New reporters of one organisation on one caller, held for review (reputation/burst.ts). */
export interface ReputationBurstsTable {
  id: string;
  caller: string;
  org_id: string;
  /** pending | accepted | rejected */
  status: string;
  reporters: number;
  first_at: string;
  last_at: string;
  created_at: string;
  decided_at: string | null;
  decided_by: string | null;
  decision_reason: string | null;
}

/** Tells a list's owner that an appeal on one of its entries was upheld (and whether the entry was lifted). */
export interface AppealNoticesTable {
  id: string;
  org_id: string;
  appeal_id: string;
  identifier: string;
  list_id: string;
  lifted: number;
  created_at: string;
}

export interface ReporterStatsTable {
  reporter_hash: string;
  false_reports: number;
}

/** One policy per (organisation, subscriber): each app screens with its own (migration 0011). */
export interface PoliciesTable {
  org_id: string;
  subscriber_hash: string;
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

/** A POST's first answer, kept 24 hours under its Idempotency-Key (migration 0024). */
export interface IdempotencyKeysTable {
  api_key_id: string;
  idem_key: string;
  method: string;
  path: string;
  request_hash: string;
  /** null while the first request is still being answered. */
  status: number | null;
  content_type: string | null;
  response: string | null;
  created_at: string;
}

export interface Database extends StirTables, ConversationTables, PaymentsTables, GovernanceTables, AuditTables, ResponseTables, CampaignTables, BlocklistTables {
  meta: MetaTable;
  idempotency_keys: IdempotencyKeysTable;
  orgs: OrgsTable;
  api_keys: ApiKeysTable;
  reports: ReportsTable;
  feedback: FeedbackTable;
  lists: ListsTable;
  list_entries: ListEntriesTable;
  appeals: AppealsTable;
  reporter_stats: ReporterStatsTable;
  reporters: ReportersTable;
  reputation_bursts: ReputationBurstsTable;
  appeal_notices: AppealNoticesTable;
  policies: PoliciesTable;
  audit_log: AuditLogTable;
  changes: ChangesTable;
  risky_calls: RiskyCallsTable;
  subscriber_history: SubscriberHistoryTable;
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
