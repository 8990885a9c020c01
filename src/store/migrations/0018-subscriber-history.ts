import type { Kysely } from 'kysely';

// Issue 14: a subscriber's decision history (opt-in `keepHistory` in the policy), the last 1,000 per
// organisation and subscriber, deleted with the policy.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('subscriber_history')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('subscriber_hash', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('caller', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('reasons', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('subscriber_history_by_subscriber').on('subscriber_history').columns(['org_id', 'subscriber_hash', 'at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('subscriber_history').execute();
}
