import type { Kysely } from 'kysely';

// reports_created (0001) indexed reports by the server's arrival time, and no query reads reports
// by it alone: the burst check reads a caller's rows through reports_caller, the regulator's
// statistics go by occurred_at, the rest by caller or id. Every report paid for it at insert, the
// hot path of a number everybody reports (issue 17, BENCHMARKS.md "Sixth session").
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('reports_created').ifExists().execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('reports_created').on('reports').column('created_at').execute();
}
