import { PostgresAdapter, sql } from 'kysely';
import type { Kysely } from 'kysely';

// Issue 15: call records streamed over NATS JetStream. One row per durable consumer: the node that
// holds the lease, the analyser's counters as of the last checkpoint, and the stream sequences
// already analysed (all up to `watermark`, and those in `applied` beyond it), so a redelivered
// message is acknowledged without being counted twice.
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const bytes = pg ? sql`bytea` : sql`blob`;
  await db.schema
    .createTable('governance_cdr_streams')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('stream', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('owner', 'text')
    .addColumn('lease_until', 'text')
    .addColumn('watermark', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('applied', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('messages', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('rows', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('malformed', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('callers', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('flagged', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('snapshot', bytes)
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('governance_cdr_streams').execute();
}
