import { PostgresAdapter, sql } from 'kysely';
import type { Kysely } from 'kysely';

// Subscriber records belong to the organisation that made them (docs/security.md, "Ownership").
//
// - policies: keyed by (organisation, subscriber) instead of subscriber alone, so that each app
//   screens with its own policy and no app overwrites or reads another's. Existing rows keep the
//   organisation already recorded on them: the org_id column holds the organisation whose key last
//   wrote the policy. Policy writes were not audited before this migration, so there is no better
//   record of who made a policy: one that another app overwrote before the upgrade stays with the
//   app that overwrote it (docs/security.md says so). From now on every policy write is audited
//   with the person.
// - subscriber_guardians: one list per (organisation, subscriber), so that each app names and sees
//   only its own and none learns from a conflict that another app serves the person. Existing
//   lists stay with the app that made them (their org_id).
// - governance_dnc: one registration per (person, registering organisation). The number is on the
//   list while any registration is active; each organisation withdraws only its own. The
//   registering person is recorded (registered_by: organisation, role and person).
// - governance_consents: an expiry (expires_at), and who recorded and who withdrew a consent.
//   Existing consents had none: each gets the default term counted from when it was granted
//   (granted_at + 1 year), the same as a consent recorded today with that grant date.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('policies_by_org')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('subscriber_hash', 'text', (c) => c.notNull())
    .addColumn('policy', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('policies_by_org_pk', ['org_id', 'subscriber_hash'])
    .execute();
  await sql`insert into policies_by_org (org_id, subscriber_hash, policy, updated_at) select org_id, subscriber_hash, policy, updated_at from policies`.execute(db);
  await db.schema.dropTable('policies').execute();
  await db.schema.alterTable('policies_by_org').renameTo('policies').execute();
  // The change log names a policy by "org:subscriber" and a node reloads one subscriber's policies
  // of every organisation by the subscriber hash.
  await db.schema.createIndex('policies_subscriber').on('policies').column('subscriber_hash').execute();

  await db.schema
    .createTable('governance_dnc_by_org')
    .addColumn('person_hash', 'text', (c) => c.notNull())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('index_key', 'text', (c) => c.notNull())
    .addColumn('registered_at', 'text', (c) => c.notNull())
    .addColumn('withdrawn_at', 'text')
    .addColumn('via', 'text', (c) => c.notNull())
    .addColumn('registered_by', 'text')
    .addPrimaryKeyConstraint('governance_dnc_by_org_pk', ['person_hash', 'org_id'])
    .execute();
  await sql`insert into governance_dnc_by_org (person_hash, org_id, index_key, registered_at, withdrawn_at, via, registered_by)
            select person_hash, org_id, index_key, registered_at, withdrawn_at, via, null from governance_dnc`.execute(db);
  await db.schema.dropTable('governance_dnc').execute();
  await db.schema.alterTable('governance_dnc_by_org').renameTo('governance_dnc').execute();

  await db.schema
    .createTable('subscriber_guardians_by_org')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('subscriber_hash', 'text', (c) => c.notNull())
    .addColumn('guardians', 'text', (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('subscriber_guardians_by_org_pk', ['org_id', 'subscriber_hash'])
    .execute();
  await sql`insert into subscriber_guardians_by_org (org_id, subscriber_hash, guardians, secret, updated_at)
            select org_id, subscriber_hash, guardians, secret, updated_at from subscriber_guardians`.execute(db);
  await db.schema.dropTable('subscriber_guardians').execute();
  await db.schema.alterTable('subscriber_guardians_by_org').renameTo('subscriber_guardians').execute();
  await db.schema.createIndex('subscriber_guardians_subscriber').on('subscriber_guardians').column('subscriber_hash').execute();

  await db.schema.alterTable('governance_consents').addColumn('expires_at', 'text').execute();
  await db.schema.alterTable('governance_consents').addColumn('recorded_by', 'text').execute();
  await db.schema.alterTable('governance_consents').addColumn('revoked_by', 'text').execute();
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`update governance_consents set expires_at = to_char((granted_at::timestamptz + interval '1 year') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`.execute(db);
  } else {
    await sql`update governance_consents set expires_at = strftime('%Y-%m-%dT%H:%M:%fZ', granted_at, '+1 year')`.execute(db);
  }
}
