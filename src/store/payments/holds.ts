import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { HoldsTable } from './schema.js';

export async function insertHold(db: Kysely<Database>, row: HoldsTable): Promise<void> {
  await db.insertInto('holds').values(row).execute();
}

export async function findHold(db: Kysely<Database>, id: string): Promise<HoldsTable | undefined> {
  return db.selectFrom('holds').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Moves a hold on only if it is still in `from` (so two officers cannot both decide it). */
export async function updateHoldStatus(db: Kysely<Database>, id: string, from: string, to: string, steps: string, at: string): Promise<boolean> {
  const r = await db.updateTable('holds').set({ status: to, steps, updated_at: at }).where('id', '=', id).where('status', '=', from).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function listHolds(db: Kysely<Database>, opts: { orgId?: string; status?: string; limit?: number }): Promise<HoldsTable[]> {
  let q = db.selectFrom('holds').selectAll();
  if (opts.orgId) q = q.where('org_id', '=', opts.orgId);
  if (opts.status) q = q.where('status', '=', opts.status);
  return q.orderBy('created_at', 'desc').limit(Math.min(opts.limit ?? 100, 1000)).execute();
}

export async function overdueHolds(db: Kysely<Database>, at: string, limit = 100): Promise<HoldsTable[]> {
  return db.selectFrom('holds').selectAll().where('status', '=', 'held').where('deadline', '<=', at).orderBy('deadline').limit(limit).execute();
}
