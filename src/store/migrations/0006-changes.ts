import { PostgresAdapter, sql } from 'kysely';
import type { Kysely } from 'kysely';

// The change log that keeps several nodes' in-memory indexes coherent: every write that changes a
// reputation or a policy appends the keys it touched; each node applies the entries after the last
// one it has seen (on a PostgreSQL NOTIFY, or by polling), so a node that was cut off catches up
// from where it stopped instead of reloading everything.
export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('changes')
    .addColumn('seq', pg ? sql`bigserial` : 'integer', (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
}
