import type { Kysely } from 'kysely';

// Issue 15: honeypot lines, the calls that reached them (one row per caller, line and day: the
// evidence counts distinct lines, so repeats add nothing) and transcripts recorded on them, with
// their script fingerprints (MinHash, JSON).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('honeypots')
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('honeypots_pk', ['number', 'org_id'])
    .execute();
  await db.schema
    .createTable('honeypot_hits')
    .addColumn('caller', 'text', (c) => c.notNull())
    .addColumn('honeypot', 'text', (c) => c.notNull())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('honeypot_hits_pk', ['caller', 'honeypot', 'org_id', 'day'])
    .execute();
  await db.schema.createIndex('honeypot_hits_honeypot').on('honeypot_hits').columns(['honeypot', 'org_id']).execute();
  await db.schema
    .createTable('honeypot_transcripts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('honeypot', 'text', (c) => c.notNull())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('caller', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('honeypot_transcripts_caller').on('honeypot_transcripts').column('caller').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('honeypot_transcripts').execute();
  await db.schema.dropTable('honeypot_hits').execute();
  await db.schema.dropTable('honeypots').execute();
}
