import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

// Subscriber policies, one per (organisation, subscriber): see migration 0011.

export interface PolicyRow {
  org_id: string;
  subscriber_hash: string;
  policy: string;
}

export async function upsertPolicy(db: Kysely<Database>, orgId: string, subscriberHash: string, policy: string, at: string): Promise<void> {
  await db
    .insertInto('policies')
    .values({ org_id: orgId, subscriber_hash: subscriberHash, policy, updated_at: at })
    .onConflict((oc) => oc.columns(['org_id', 'subscriber_hash']).doUpdateSet({ policy, updated_at: at }))
    .execute();
}

export async function deletePolicy(db: Kysely<Database>, orgId: string, subscriberHash: string): Promise<boolean> {
  const r = await db.deleteFrom('policies').where('org_id', '=', orgId).where('subscriber_hash', '=', subscriberHash).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function* allPolicies(db: Kysely<Database>, pageSize = 5000): AsyncGenerator<PolicyRow[]> {
  let after = { org: '', subscriber: '' };
  for (;;) {
    const rows = await db
      .selectFrom('policies')
      .select(['org_id', 'subscriber_hash', 'policy'])
      .where((eb) => eb.or([eb('org_id', '>', after.org), eb.and([eb('org_id', '=', after.org), eb('subscriber_hash', '>', after.subscriber)])]))
      .orderBy('org_id')
      .orderBy('subscriber_hash')
      .limit(pageSize)
      .execute();
    if (rows.length === 0) return;
    yield rows;
    const last = rows[rows.length - 1]!;
    after = { org: last.org_id, subscriber: last.subscriber_hash };
  }
}

export async function findPolicy(db: Kysely<Database>, orgId: string, subscriberHash: string): Promise<{ policy: string } | undefined> {
  return db.selectFrom('policies').select('policy').where('org_id', '=', orgId).where('subscriber_hash', '=', subscriberHash).executeTakeFirst();
}

/** Every organisation's policy for one subscriber (a change-log entry written before migration 0011 names only the subscriber). */
export async function policiesOfSubscriber(db: Kysely<Database>, subscriberHash: string): Promise<PolicyRow[]> {
  return db.selectFrom('policies').select(['org_id', 'subscriber_hash', 'policy']).where('subscriber_hash', '=', subscriberHash).execute();
}
