import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

export async function upsertPolicy(db: Kysely<Database>, subscriberHash: string, orgId: string, policy: string, at: string): Promise<void> {
  await db
    .insertInto('policies')
    .values({ subscriber_hash: subscriberHash, org_id: orgId, policy, updated_at: at })
    .onConflict((oc) => oc.column('subscriber_hash').doUpdateSet({ org_id: orgId, policy, updated_at: at }))
    .execute();
}

export async function* allPolicies(db: Kysely<Database>, pageSize = 5000): AsyncGenerator<{ subscriber_hash: string; policy: string }[]> {
  let after = '';
  for (;;) {
    const rows = await db.selectFrom('policies').select(['subscriber_hash', 'policy']).where('subscriber_hash', '>', after).orderBy('subscriber_hash').limit(pageSize).execute();
    if (rows.length === 0) return;
    yield rows;
    after = rows[rows.length - 1]!.subscriber_hash;
  }
}

export async function findPolicy(db: Kysely<Database>, subscriberHash: string): Promise<{ policy: string } | undefined> {
  return db.selectFrom('policies').select('policy').where('subscriber_hash', '=', subscriberHash).executeTakeFirst();
}
