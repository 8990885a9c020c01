import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

export async function upsertRiskyCall(db: Kysely<Database>, subscriberHash: string, mark: string, at: string): Promise<void> {
  await db
    .insertInto('risky_calls')
    .values({ subscriber_hash: subscriberHash, mark, at })
    .onConflict((oc) => oc.column('subscriber_hash').doUpdateSet({ mark, at }))
    .execute();
}

export async function riskyCallsOf(db: Kysely<Database>, subscriberHashes: readonly string[]): Promise<{ subscriber_hash: string; mark: string }[]> {
  if (subscriberHashes.length === 0) return [];
  return db.selectFrom('risky_calls').select(['subscriber_hash', 'mark']).where('subscriber_hash', 'in', subscriberHashes).execute();
}

/** Marks older than this are no signal any more (the payments window is 30 minutes). */
export async function recentRiskyCalls(db: Kysely<Database>, since: string): Promise<{ subscriber_hash: string; mark: string }[]> {
  return db.selectFrom('risky_calls').select(['subscriber_hash', 'mark']).where('at', '>=', since).execute();
}

/** Drops marks last updated before `before` (past the risky window they hold nothing). */
export async function pruneRiskyCalls(db: Kysely<Database>, before: string): Promise<number> {
  const r = await db.deleteFrom('risky_calls').where('at', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows);
}
