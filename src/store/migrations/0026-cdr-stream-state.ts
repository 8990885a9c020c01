import { PostgresAdapter, sql } from 'kysely';
import type { Kysely } from 'kysely';

// Issue 15: incremental checkpoints of a call-record stream. The analyser's counters move out of
// governance_cdr_streams.snapshot (SQLite rewrote that whole blob on every lease renewal and read
// through it for every progress query) into parts: part 0 is a base snapshot of every caller, parts
// 1, 2, … the callers changed at each checkpoint since. A node resuming applies them in order;
// when the deltas together outgrow the base, a checkpoint writes a new base and deletes them.
// Also: guard_calls.fingerprint, the MinHash of what the caller said in a conversation-guard call
// (64 numbers, never the text), for campaign script evidence.
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const bytes = pg ? sql`bytea` : sql`blob`;
  await db.schema
    .createTable('governance_cdr_stream_state')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('part', 'integer', (c) => c.notNull())
    .addColumn('data', bytes, (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('governance_cdr_stream_state_pk', ['name', 'part'])
    .execute();
  await db.schema.alterTable('guard_calls').addColumn('fingerprint', 'text').execute();
  // The counters are mostly small integers in doubles: pglz compresses them poorly and slowly.
  if (pg) await sql`ALTER TABLE governance_cdr_stream_state ALTER COLUMN data SET STORAGE EXTERNAL`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('governance_cdr_stream_state').execute();
  await db.schema.alterTable('guard_calls').dropColumn('fingerprint').execute();
}
