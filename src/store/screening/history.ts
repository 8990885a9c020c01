import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface SubscriberHistoryTable {
  id: string;
  org_id: string;
  subscriber_hash: string;
  at: string;
  caller: string;
  channel: string;
  action: string;
  label: string;
  /** JSON: [{code, text}] */
  reasons: string;
}

export const HISTORY_LIMIT = 1_000;

export async function insertHistory(db: Db, rows: SubscriberHistoryTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) await db.insertInto('subscriber_history').values(rows.slice(i, i + 200)).execute();
}

/** Keeps the newest HISTORY_LIMIT decisions of one subscriber (of one organisation). */
export async function pruneHistory(db: Db, orgId: string, subscriberHash: string): Promise<void> {
  const cut = await db
    .selectFrom('subscriber_history')
    .select(['at', 'id'])
    .where('org_id', '=', orgId)
    .where('subscriber_hash', '=', subscriberHash)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .offset(HISTORY_LIMIT - 1)
    .limit(1)
    .executeTakeFirst();
  if (!cut) return;
  await db
    .deleteFrom('subscriber_history')
    .where('org_id', '=', orgId)
    .where('subscriber_hash', '=', subscriberHash)
    .where((eb) => eb.or([eb('at', '<', cut.at), eb.and([eb('at', '=', cut.at), eb('id', '<', cut.id)])]))
    .execute();
}

export async function historyOf(db: Db, orgId: string, subscriberHash: string): Promise<SubscriberHistoryTable[]> {
  return db
    .selectFrom('subscriber_history')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('subscriber_hash', '=', subscriberHash)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(HISTORY_LIMIT)
    .execute();
}

export async function deleteHistory(db: Db, orgId: string, subscriberHash: string): Promise<void> {
  await db.deleteFrom('subscriber_history').where('org_id', '=', orgId).where('subscriber_hash', '=', subscriberHash).execute();
}
