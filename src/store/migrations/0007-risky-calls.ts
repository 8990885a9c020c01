import type { Kysely } from 'kysely';

// "This subscriber is in a risky call" marks, so that a bank's transfer check on any node sees a
// call that the conversation guard followed on another (the change log carries the key).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('risky_calls')
    .addColumn('subscriber_hash', 'text', (c) => c.primaryKey())
    .addColumn('mark', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
}
