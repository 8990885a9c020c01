import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// Evidence no single party controls (docs/scoring.md): when each reporter was first seen (per
// organisation), bursts of new reporters held for review, partner-list entries lifted by their owner
// or by an upheld appeal that names them, appeals that carry the person who filed them, the holder
// match and the listings they contest, number-holder blocks that name the business organisation
// holding them, and the notices that tell a list's owner an appeal on one of its entries was upheld.
// SQLite adds one column per statement.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('reporters')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('reporter_hash', 'text', (c) => c.notNull())
    .addColumn('first_seen_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('reporters_pk', ['org_id', 'reporter_hash'])
    .execute();
  // Reporters already known were first seen at their earliest live report or feedback (server time).
  await sql`insert into reporters (org_id, reporter_hash, first_seen_at)
    select org_id, reporter_hash, min(created_at) from (
      select org_id, reporter_hash, created_at from reports where import_source is null
      union all
      select org_id, reporter_hash, created_at from feedback
    ) seen group by org_id, reporter_hash`.execute(db);

  await db.schema
    .createTable('reputation_bursts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('caller', 'text', (c) => c.notNull())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reporters', 'integer', (c) => c.notNull())
    .addColumn('first_at', 'text', (c) => c.notNull())
    .addColumn('last_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text')
    .addColumn('decided_by', 'text')
    .addColumn('decision_reason', 'text')
    .execute();
  await db.schema.createIndex('reputation_bursts_caller').on('reputation_bursts').columns(['caller', 'org_id']).execute();
  await db.schema.createIndex('reputation_bursts_status').on('reputation_bursts').columns(['status', 'created_at']).execute();
  await db.schema.alterTable('reports').addColumn('burst_id', 'text').execute();
  await db.schema.alterTable('feedback').addColumn('burst_id', 'text').execute();

  await db.schema.alterTable('list_entries').addColumn('lifted_at', 'text').execute();
  await db.schema.alterTable('list_entries').addColumn('lifted_by', 'text').execute();

  await db.schema.alterTable('appeals').addColumn('person', 'text').execute();
  await db.schema.alterTable('appeals').addColumn('holder_verified', 'integer').execute();
  await db.schema.alterTable('appeals').addColumn('listings', 'text').execute();
  await db.schema.alterTable('appeals').addColumn('decided_person', 'text').execute();

  await db.schema.alterTable('governance_holders').addColumn('holder_org_id', 'text').execute();

  await db.schema
    .createTable('appeal_notices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('appeal_id', 'text', (c) => c.notNull())
    .addColumn('identifier', 'text', (c) => c.notNull())
    .addColumn('list_id', 'text', (c) => c.notNull())
    .addColumn('lifted', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('appeal_notices_org').on('appeal_notices').columns(['org_id', 'created_at']).execute();
}
