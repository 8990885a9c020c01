// Row types of the tables that src/store/migrations/0004-payments.ts creates. Amounts are decimal
// strings: PostgreSQL's `real` is 4-byte and its `integer` 4-byte, neither holds 1.63 million yuan
// to the fen, and text is exact on both engines.

export interface PayeeFlagsTable {
  id: string;
  /** Canonical payee account ("card:6222…", "iban:DE89…", "platform:alipay:…", "btc:…", "eth:0x…"). */
  account: string;
  kind: string;
  /** confirmed | suspected | reported */
  level: string;
  /** police | bank | victim report | app report | admin */
  source: string;
  org_id: string;
  evidence: string;
  /** Caller identifier the account was given by, when known. */
  caller: string | null;
  case_id: string | null;
  reporter_hash: string | null;
  expires_at: string | null;
  created_at: string;
  revoked_at: string | null;
  revoke_reason: string | null;
}

export interface PayersTable {
  /** Keyed hash of "<bank org id>:<the bank's payer reference>". */
  payer_key: string;
  org_id: string;
  /** Keyed hash of the subscriber's canonical identifier (the same key as policies). */
  subscriber_hash: string;
  created_at: string;
  updated_at: string;
}

export interface PayerHistoryTable {
  payer_key: string;
  currency: string;
  count: number;
  mean: string;
  /** JSON array of the most recent amounts. */
  recent: string;
  updated_at: string;
}

export interface PayerPayeesTable {
  payer_key: string;
  account: string;
  first_at: string;
}

export interface TransferChecksTable {
  id: string;
  org_id: string;
  idempotency_key: string | null;
  /** SHA-256 of the canonical request body, to tell a replay from a different request. */
  request_hash: string;
  payer_key: string;
  account: string;
  amount: string;
  currency: string;
  channel: string;
  decision: string;
  /** The exact JSON response, returned again on a replay. */
  response: string;
  created_at: string;
}

export interface HoldsTable {
  id: string;
  check_id: string;
  org_id: string;
  payer_key: string;
  subscriber_hash: string | null;
  account: string;
  amount: string;
  currency: string;
  /** held | released | returned */
  status: string;
  reasons: string;
  deadline: string;
  /** JSON array of {status, reason, by, at}. */
  steps: string;
  created_at: string;
  updated_at: string;
  /** The bank's own customer reference as sent in the check (null on holds made before migration 0025). */
  customer_ref?: string | null;
}

export interface FreezesTable {
  id: string;
  /** The police unit that filed it. */
  org_id: string;
  case_number: string;
  amount: string;
  currency: string;
  legal_basis: string;
  /** pending | active | released | expired */
  status: string;
  filed_by_key: string;
  approved_by_key: string | null;
  /** The people behind those keys: two-person rules compare these. */
  filed_by_person: string;
  approved_by_person: string | null;
  /** The first half of a two-person release of an active freeze (the second person's release applies it). */
  release_requested_by_person: string | null;
  release_requested_by_key: string | null;
  release_requested_at: string | null;
  release_request_reason: string | null;
  released_by_person: string | null;
  released_by_key: string | null;
  /** The first half of a two-person extension. */
  extend_requested_by_person: string | null;
  extend_requested_by_key: string | null;
  extend_requested_at: string | null;
  extend_request_hours: number | null;
  extend_request_reason: string | null;
  approved_at: string | null;
  expires_at: string | null;
  release_reason: string | null;
  created_at: string;
  updated_at: string;
}

export interface FreezeAccountsTable {
  id: string;
  freeze_id: string;
  account: string;
  kind: string;
  bank_org_id: string;
  bank_name: string;
  /** pending | acknowledged */
  status: string;
  frozen_amount: string | null;
  already_left: number | null;
  note: string | null;
  acknowledged_at: string | null;
}

/** One guardian list per (organisation, subscriber) (migration 0011). */
export interface SubscriberGuardiansTable {
  subscriber_hash: string;
  org_id: string;
  /** JSON array of {name, contact, webhookUrl?}. */
  guardians: string;
  /** The webhook signing secret of this organisation's guardians of this subscriber. */
  secret: string;
  updated_at: string;
}

export interface WebhookEndpointsTable {
  org_id: string;
  url: string;
  secret: string;
  created_at: string;
  updated_at: string;
  /** JSON array of the broadcast events the endpoint subscribed to, e.g. ["audit.checkpoint"] (0010). */
  events?: string | null;
}

export interface OutboxTable {
  id: string;
  event_id: string;
  event_type: string;
  /** The exact body that is signed and sent. */
  payload: string;
  url: string;
  /** Whose secret signs it: "org:<id>" or "subscriber:<hash>". */
  secret_ref: string;
  /** The organisation whose delivery log shows it. */
  org_id: string;
  /** pending | delivered | dead */
  status: string;
  attempts: number;
  next_attempt_at: string;
  last_status: number | null;
  last_error: string | null;
  dedupe_key: string | null;
  created_at: string;
  delivered_at: string | null;
}

export interface WebhookAttemptsTable {
  id: string;
  outbox_id: string;
  attempt: number;
  at: string;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

export interface VictimCasesTable {
  id: string;
  org_id: string;
  subscriber_hash: string;
  callers: string;
  payee_accounts: string;
  amount: string;
  currency: string;
  occurred_at: string;
  created_at: string;
}

export interface PaymentsTables {
  payee_flags: PayeeFlagsTable;
  payers: PayersTable;
  payer_history: PayerHistoryTable;
  payer_payees: PayerPayeesTable;
  transfer_checks: TransferChecksTable;
  holds: HoldsTable;
  freezes: FreezesTable;
  freeze_accounts: FreezeAccountsTable;
  subscriber_guardians: SubscriberGuardiansTable;
  webhook_endpoints: WebhookEndpointsTable;
  outbox: OutboxTable;
  webhook_attempts: WebhookAttemptsTable;
  victim_cases: VictimCasesTable;
}
