import type { Kysely } from 'kysely';

// Issue 14: versioned block lists for devices and switches (GET /v1/blocklist). One row per
// identifier and list ("block", "identify") with the version it entered at and the version it left
// at (a tombstone, so a delta since any older version can say what to remove). `number_key` is the
// phone number's digits left-padded to 15, so text order is numeric order (the iOS form).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('blocklist_entries')
    .addColumn('list', 'text', (c) => c.notNull())
    .addColumn('identifier', 'text', (c) => c.notNull())
    .addColumn('number_key', 'text')
    .addColumn('category', 'text')
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('added_version', 'integer', (c) => c.notNull())
    .addColumn('removed_version', 'integer')
    .addPrimaryKeyConstraint('blocklist_entries_pk', ['list', 'identifier'])
    .execute();
  await db.schema.createIndex('blocklist_entries_number').on('blocklist_entries').columns(['list', 'number_key']).execute();
  await db.schema
    .createTable('blocklist_versions')
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('block_count', 'integer', (c) => c.notNull())
    .addColumn('identify_count', 'integer', (c) => c.notNull())
    .addColumn('block_digest', 'text', (c) => c.notNull())
    .addColumn('identify_digest', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('blocklist_versions').execute();
  await db.schema.dropTable('blocklist_entries').execute();
}
