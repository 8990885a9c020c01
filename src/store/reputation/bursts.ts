import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database, ReputationBurstsTable } from '../schema.js';

/** Records when a reporter of an organisation was first seen (server time) and returns that time. */
export async function rememberReporter(db: Kysely<Database>, orgId: string, reporterHash: string, at: string): Promise<string> {
  const known = await db.selectFrom('reporters').select('first_seen_at').where('org_id', '=', orgId).where('reporter_hash', '=', reporterHash).executeTakeFirst();
  if (known) return known.first_seen_at;
  // Two first reports of one reporter at once: the first insert wins, the second changes nothing.
  await db
    .insertInto('reporters')
    .values({ org_id: orgId, reporter_hash: reporterHash, first_seen_at: at })
    .onConflict((oc) => oc.columns(['org_id', 'reporter_hash']).doNothing())
    .execute();
  return at;
}

/**
 * The distinct reporters of an organisation, first seen after `newSince`, whose reports or feedback
 * on a caller arrived since `since` and counted (in no burst).
 */
export async function countedNewReporters(db: Kysely<Database>, caller: string, orgId: string, since: string, newSince: string): Promise<Set<string>> {
  // Each side starts from the caller's rows (its index) and looks the reporter up by primary key.
  const rows = await db
    .selectFrom('reports')
    .innerJoin('reporters', (j) => j.onRef('reporters.org_id', '=', 'reports.org_id').onRef('reporters.reporter_hash', '=', 'reports.reporter_hash'))
    .select('reports.reporter_hash')
    .where('reports.caller', '=', caller)
    .where('reports.org_id', '=', orgId)
    .where('reports.created_at', '>=', since)
    .where('reports.burst_id', 'is', null)
    .where('reports.import_source', 'is', null)
    .where('reporters.first_seen_at', '>', newSince)
    .union((eb) =>
      eb
        .selectFrom('feedback')
        .innerJoin('reporters', (j) => j.onRef('reporters.org_id', '=', 'feedback.org_id').onRef('reporters.reporter_hash', '=', 'feedback.reporter_hash'))
        .select('feedback.reporter_hash')
        .where('feedback.caller', '=', caller)
        .where('feedback.org_id', '=', orgId)
        .where('feedback.created_at', '>=', since)
        .where('feedback.burst_id', 'is', null)
        .where('reporters.first_seen_at', '>', newSince),
    )
    .execute();
  return new Set(rows.map((r) => r.reporter_hash));
}

/** The organisation's most recent burst on a caller that is still open (its last report since `since`). */
export async function openBurst(db: Kysely<Database>, caller: string, orgId: string, since: string): Promise<ReputationBurstsTable | undefined> {
  return db
    .selectFrom('reputation_bursts')
    .selectAll()
    .where('caller', '=', caller)
    .where('org_id', '=', orgId)
    .where('last_at', '>=', since)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function insertBurst(db: Kysely<Database>, row: ReputationBurstsTable): Promise<void> {
  await db.insertInto('reputation_bursts').values(row).execute();
}

/** After a report or feedback joined a burst: its reporter count and last time. */
export async function touchBurst(db: Kysely<Database>, id: string, at: string): Promise<void> {
  const counted = await db
    .selectFrom((eb) => eb.selectFrom('reports').select('reporter_hash').where('burst_id', '=', id).union(eb.selectFrom('feedback').select('reporter_hash').where('burst_id', '=', id)).as('b'))
    .select(({ fn }) => fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  await db.updateTable('reputation_bursts').set({ reporters: Number(counted.n), last_at: at }).where('id', '=', id).execute();
}

export async function findBurst(db: Kysely<Database>, id: string): Promise<ReputationBurstsTable | undefined> {
  return db.selectFrom('reputation_bursts').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listBursts(db: Kysely<Database>, opts: { status?: string; id?: string; limit?: number }): Promise<(ReputationBurstsTable & { org_name: string | null; reports: number; feedback: number })[]> {
  let q = db
    .selectFrom('reputation_bursts')
    .leftJoin('orgs', 'orgs.id', 'reputation_bursts.org_id')
    .selectAll('reputation_bursts')
    .select((eb) => [
      'orgs.name as org_name',
      eb.selectFrom('reports').select(({ fn }) => fn.countAll<number>().as('n')).whereRef('reports.burst_id', '=', 'reputation_bursts.id').as('reports'),
      eb.selectFrom('feedback').select(({ fn }) => fn.countAll<number>().as('n')).whereRef('feedback.burst_id', '=', 'reputation_bursts.id').as('feedback'),
    ])
    .orderBy('reputation_bursts.created_at', 'desc')
    .limit(opts.limit ?? 500);
  if (opts.status) q = q.where('reputation_bursts.status', '=', opts.status);
  if (opts.id) q = q.where('reputation_bursts.id', '=', opts.id);
  const rows = await q.execute();
  return rows.map((r) => ({ ...r, reports: Number(r.reports ?? 0), feedback: Number(r.feedback ?? 0) }));
}

/** Only a pending burst can be decided; the status check and the update are one statement. */
export async function decideBurst(db: Kysely<Database>, id: string, status: 'accepted' | 'rejected', by: string, reason: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('reputation_bursts')
    .set({ status, decided_by: by, decision_reason: reason, decided_at: at })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** How many distinct reporters of each organisation are held in pending bursts on an identifier. */
export async function heldReporters(db: Kysely<Database>, identifier: string): Promise<number> {
  const r = await sql<{ n: number | string }>`select count(*) as n from (
      select r.reporter_hash from reports r join reputation_bursts b on b.id = r.burst_id where r.caller = ${identifier} and b.status = 'pending'
      union
      select f.reporter_hash from feedback f join reputation_bursts b on b.id = f.burst_id where f.caller = ${identifier} and b.status = 'pending'
    ) held`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}
