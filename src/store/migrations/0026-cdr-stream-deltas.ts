import { PostgresAdapter, sql } from 'kysely';
import type { Kysely } from 'kysely';

// Issue 15: incremental checkpoints of a call-record stream. A checkpoint writes only the callers
// changed since the one before, as one delta row; a node resuming restores the stream's base
// snapshot (governance_cdr_streams.snapshot) and applies its deltas in `seq` order. When the deltas
// together outgrow the base, a checkpoint writes a new base and deletes them.
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const bytes = pg ? sql`bytea` : sql`blob`;
  await db.schema
    .createTable('governance_cdr_stream_deltas')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('delta', bytes, (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('governance_cdr_stream_deltas_pk', ['name', 'seq'])
    .execute();
  if (pg) {
    // The counters are mostly small integers in doubles: pglz compresses them poorly and slowly.
    await sql`ALTER TABLE governance_cdr_stream_deltas ALTER COLUMN delta SET STORAGE EXTERNAL`.execute(db);
    await sql`ALTER TABLE governance_cdr_streams ALTER COLUMN snapshot SET STORAGE EXTERNAL`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('governance_cdr_stream_deltas').execute();
}
