import { sql } from 'kysely';
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

}
