import { PostgresAdapter, sql } from 'kysely';
import type { Kysely } from 'kysely';

// Issue 15: campaign grouping inside a call-record stream. One row per durable consumer: the
// campaign collector's traces (the briefly used callers it still keeps, with their callees) as of
// the stream's last checkpoint, written in the same transaction as the analyser's counters, so a
// node that resumes (or takes the lease over) groups exactly what one `import cdr` would.
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const bytes = pg ? sql`bytea` : sql`blob`;
  await db.schema
    .createTable('governance_cdr_stream_traces')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('data', bytes, (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // Callee numbers in doubles: pglz compresses them poorly and slowly (as for the counters, 0026).
  if (pg) await sql`ALTER TABLE governance_cdr_stream_traces ALTER COLUMN data SET STORAGE EXTERNAL`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('governance_cdr_stream_traces').execute();
}
