import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { AppealNoticesTable, AppealsTable, Database } from '../schema.js';

export async function insertAppeal(db: Kysely<Database>, row: AppealsTable): Promise<void> {
  await db.insertInto('appeals').values(row).execute();
}

/** An appeal with the name of the organisation that filed it. */
export type AppealRow = AppealsTable & { org_name: string | null };

export async function findAppeal(db: Kysely<Database>, id: string): Promise<AppealRow | undefined> {
  return db.selectFrom('appeals').leftJoin('orgs', 'orgs.id', 'appeals.org_id').selectAll('appeals').select('orgs.name as org_name').where('appeals.id', '=', id).executeTakeFirst();
}

export async function listAppeals(db: Kysely<Database>, opts: { orgId?: string; status?: string }): Promise<AppealRow[]> {
  let q = db.selectFrom('appeals').leftJoin('orgs', 'orgs.id', 'appeals.org_id').selectAll('appeals').select('orgs.name as org_name').orderBy('appeals.created_at', 'desc').limit(500);
  if (opts.orgId) q = q.where('appeals.org_id', '=', opts.orgId);
  if (opts.status) q = q.where('appeals.status', '=', opts.status);
  return q.execute();
}

/** Only a pending appeal can be decided; the status check and the update are one statement. */
export async function decideAppeal(db: Kysely<Database>, id: string, status: 'upheld' | 'rejected', by: string, person: string, reason: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('appeals')
    .set({ status, decided_by: by, decided_person: person, decision_reason: reason, decided_at: at })
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

export async function insertAppealNotices(db: Kysely<Database>, rows: AppealNoticesTable[]): Promise<void> {
  if (rows.length) await db.insertInto('appeal_notices').values(rows).execute();
}

/** Notices to list owners about upheld appeals on their entries (all of them for overseers). */
export async function listAppealNotices(
  db: Kysely<Database>,
  orgId: string | undefined,
): Promise<(AppealNoticesTable & { list_name: string; decision_reason: string | null; decided_at: string | null })[]> {
  let q = db
    .selectFrom('appeal_notices')
    .innerJoin('lists', 'lists.id', 'appeal_notices.list_id')
    .innerJoin('appeals', 'appeals.id', 'appeal_notices.appeal_id')
    .selectAll('appeal_notices')
    .select(['lists.name as list_name', 'appeals.decision_reason', 'appeals.decided_at'])
    .orderBy('appeal_notices.created_at', 'desc')
    .limit(500);
  if (orgId) q = q.where('appeal_notices.org_id', '=', orgId);
  return q.execute();
}
