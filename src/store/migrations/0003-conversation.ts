import type { Kysely } from 'kysely';

// Calls followed by the conversation guard: a summary per call (never the transcript), for the
// console, statistics and the traceback of a reported call.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('guard_calls')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('caller', 'text', (c) => c.notNull())
    .addColumn('callee_hash', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text')
    .addColumn('turns', 'integer', (c) => c.notNull())
    .addColumn('max_risk', 'real', (c) => c.notNull())
    .addColumn('stages', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('guard_calls_caller').on('guard_calls').column('caller').execute();
}
