import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { AppealsTable, Database } from '../schema.js';

export async function insertAppeal(db: Kysely<Database>, row: AppealsTable): Promise<void> {
  await db.insertInto('appeals').values(row).execute();
}

export async function findAppeal(db: Kysely<Database>, id: string): Promise<AppealsTable | undefined> {
  return db.selectFrom('appeals').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listAppeals(db: Kysely<Database>, opts: { orgId?: string; status?: string }): Promise<AppealsTable[]> {
  let q = db.selectFrom('appeals').selectAll().orderBy('created_at', 'desc').limit(500);
  if (opts.orgId) q = q.where('org_id', '=', opts.orgId);
  if (opts.status) q = q.where('status', '=', opts.status);
  return q.execute();
}

/** Only a pending appeal can be decided; the status check and the update are one statement. */
export async function decideAppeal(db: Kysely<Database>, id: string, status: 'upheld' | 'rejected', by: string, reason: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('appeals')
    .set({ status, decided_by: by, decision_reason: reason, decided_at: at })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * An upheld appeal means the reports against the number were wrong: every subscriber who reported
 * it before the decision gets one false report on their record, which lowers the weight of their
 * future reports (reputation/weights.ts).
 */
export async function chargeFalseReports(db: Kysely<Database>, identifier: string, before: string): Promise<number> {
  const reporters = await db
    .selectFrom('reports')
    .select('reporter_hash')
    .distinct()
    .where('caller', '=', identifier)
    .where('occurred_at', '<=', before)
    .where('import_source', 'is', null)
    .execute();
  for (const { reporter_hash } of reporters) {
    await db
      .insertInto('reporter_stats')
      .values({ reporter_hash, false_reports: 1 })
      .onConflict((oc) => oc.column('reporter_hash').doUpdateSet({ false_reports: sql`reporter_stats.false_reports + 1` }))
      .execute();
  }
  return reporters.length;
}
