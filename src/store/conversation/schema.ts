// Row types of the tables that src/store/migrations/0003-conversation.ts creates.
export interface GuardCallsTable {
  id: string;
  org_id: string;
  caller: string;
  callee_hash: string;
  channel: string;
  started_at: string;
  ended_at: string | null;
  turns: number;
  max_risk: number;
  stages: string;
  label: string;
  /** MinHash (JSON) of the caller's words, for campaign script evidence (migration 0026); null when too short. */
  fingerprint: string | null;
}

export interface ConversationTables {
  guard_calls: GuardCallsTable;
}
