import type { Kysely } from 'kysely';

// Tables of src/governance/ (see store/governance/schema.ts). Forward-only; portable types (text, integer, real).
// Subscriber numbers (the do-not-call registrations, consenting persons, complaining callees) are
// stored only as keyed hashes: person_hash = ctx.hash(E.164) like every other subscriber
// reference, and index_key = the SipHash key the in-memory index uses (src/governance/fast-key.ts).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('governance_dnc')
    .addColumn('person_hash', 'text', (c) => c.primaryKey())
    .addColumn('index_key', 'text', (c) => c.notNull())
    .addColumn('registered_at', 'text', (c) => c.notNull())
    .addColumn('withdrawn_at', 'text')
    .addColumn('via', 'text', (c) => c.notNull())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('governance_consents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('person_hash', 'text', (c) => c.notNull())
    .addColumn('index_key', 'text', (c) => c.notNull())
    .addColumn('business', 'text', (c) => c.notNull())
    .addColumn('business_key', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('granted_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('evidence', 'text', (c) => c.notNull())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('governance_consents_person').on('governance_consents').columns(['person_hash', 'business_key']).execute();
  await db.schema
    .createTable('governance_holders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('carrier_org_id', 'text', (c) => c.notNull())
    .addColumn('carrier_name', 'text', (c) => c.notNull())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('identity_level', 'text', (c) => c.notNull())
    .addColumn('use', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('first', 'text', (c) => c.notNull())
    .addColumn('last', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('governance_holders_block').on('governance_holders').columns(['carrier_org_id', 'kind', 'first', 'last']).unique().execute();
  await db.schema
    .createTable('governance_complaints')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('caller', 'text', (c) => c.notNull())
    .addColumn('caller_kind', 'text', (c) => c.notNull())
    .addColumn('callee_hash', 'text', (c) => c.notNull())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('offered', 'text')
    .addColumn('consented', 'integer', (c) => c.notNull())
    .addColumn('claimed_org', 'text')
    .addColumn('holder_id', 'text')
    .addColumn('holder', 'text')
    .addColumn('carrier_org_id', 'text')
    .addColumn('violation', 'integer', (c) => c.notNull())
    .addColumn('violations', 'text', (c) => c.notNull())
    .addColumn('findings', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('outcome_note', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('decided_by', 'text')
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('governance_complaints_caller').on('governance_complaints').column('caller').execute();
  await db.schema.createIndex('governance_complaints_carrier').on('governance_complaints').columns(['carrier_org_id', 'created_at']).execute();
  await db.schema.createIndex('governance_complaints_holder').on('governance_complaints').columns(['holder_id', 'status']).execute();
  await db.schema.createIndex('governance_complaints_occurred').on('governance_complaints').column('occurred_at').execute();
  await db.schema
    .createTable('governance_escalations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('holder_id', 'text', (c) => c.notNull().unique())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('block', 'text', (c) => c.notNull())
    .addColumn('carrier_org_id', 'text', (c) => c.notNull())
    .addColumn('carrier_name', 'text', (c) => c.notNull())
    .addColumn('violations', 'integer', (c) => c.notNull())
    .addColumn('window_days', 'integer', (c) => c.notNull())
    .addColumn('complaint_ids', 'text', (c) => c.notNull())
    .addColumn('evidence', 'text', (c) => c.notNull())
    .addColumn('recommendation', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('governance_patterns')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('identifier', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('pattern', 'text', (c) => c.notNull())
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('features', 'text', (c) => c.notNull())
    .addColumn('import_id', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('governance_patterns_identifier').on('governance_patterns').column('identifier').execute();
  await db.schema
    .createTable('governance_cdr_imports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('rows', 'integer', (c) => c.notNull())
    .addColumn('malformed', 'integer', (c) => c.notNull())
    .addColumn('callers', 'integer', (c) => c.notNull())
    .addColumn('flagged', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}
