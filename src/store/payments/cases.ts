import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { VictimCasesTable } from './schema.js';

export async function insertCase(db: Kysely<Database>, row: VictimCasesTable): Promise<void> {
  await db.insertInto('victim_cases').values(row).execute();
}

export async function findCase(db: Kysely<Database>, id: string): Promise<VictimCasesTable | undefined> {
  return db.selectFrom('victim_cases').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listCases(db: Kysely<Database>, opts: { orgId?: string; limit?: number }): Promise<VictimCasesTable[]> {
  let q = db.selectFrom('victim_cases').selectAll();
  if (opts.orgId) q = q.where('org_id', '=', opts.orgId);
  return q.orderBy('created_at', 'desc').limit(Math.min(opts.limit ?? 100, 1000)).execute();
}
