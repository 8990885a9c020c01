import type { Kysely } from 'kysely';
import type { Database, FeedbackTable, ReportsTable } from '../schema.js';

export async function insertReports(db: Kysely<Database>, rows: ReportsTable[]): Promise<void> {
  // SQLite allows 32,766 bound variables per statement; 12 columns a row → chunks of 1,000 rows.
  for (let i = 0; i < rows.length; i += 1000) {
    await db.insertInto('reports').values(rows.slice(i, i + 1000)).execute();
  }
}

export async function insertFeedback(db: Kysely<Database>, row: FeedbackTable): Promise<void> {
  await db.insertInto('feedback').values(row).execute();
}

/** How many of a reporter's reports were on callers later cleared by an upheld appeal (its credibility). */
export async function falseReportsOf(db: Kysely<Database>, reporterHash: string): Promise<number> {
  const r = await db.selectFrom('reporter_stats').select('false_reports').where('reporter_hash', '=', reporterHash).executeTakeFirst();
  return Number(r?.false_reports ?? 0);
}

export async function countReports(db: Kysely<Database>): Promise<number> {
  const r = await db.selectFrom('reports').select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

export interface TimelineRow {
  kind: 'report' | 'feedback' | 'list' | 'appeal';
  at: string;
  category: string | null;
  detail: string | null;
  /** List rows: the list's id (to name it in an appeal) and the kind of partner behind it. */
  list?: string;
  source?: string;
}

/** A list row before the look-up decides who may read the list's name. */
export interface TimelineListRow extends TimelineRow {
  kind: 'list';
  list: string;
  source: string;
  listName: string;
  ownerOrgId: string;
  expiresAt: string | null;
  liftedAt: string | null;
}

/** The evidence about one identifier in time order, for the look-up page's timeline. */
export async function evidenceTimeline(db: Kysely<Database>, identifier: string, limit = 500): Promise<(TimelineRow | TimelineListRow)[]> {
  const [reports, feedback, lists, appeals] = await Promise.all([
    db
      .selectFrom('reports')
      .leftJoin('reputation_bursts', 'reputation_bursts.id', 'reports.burst_id')
      .select(['reports.occurred_at', 'reports.category', 'reports.claimed_org', 'reports.channel', 'reputation_bursts.status as burst'])
      .where('reports.caller', '=', identifier)
      .orderBy('reports.occurred_at', 'desc')
      .limit(limit)
      .execute(),
    db
      .selectFrom('feedback')
      .leftJoin('reputation_bursts', 'reputation_bursts.id', 'feedback.burst_id')
      .select(['feedback.occurred_at', 'reputation_bursts.status as burst'])
      .where('feedback.caller', '=', identifier)
      .orderBy('feedback.occurred_at', 'desc')
      .limit(limit)
      .execute(),
    db
      .selectFrom('list_entries')
      .innerJoin('lists', 'lists.id', 'list_entries.list_id')
      .select(['list_entries.created_at', 'list_entries.category', 'lists.id', 'lists.org_id', 'lists.source', 'lists.name', 'list_entries.expires_at', 'list_entries.lifted_at'])
      .where('list_entries.identifier', '=', identifier)
      .limit(limit)
      .execute(),
    db.selectFrom('appeals').select(['created_at', 'status', 'decided_at']).where('identifier', '=', identifier).limit(limit).execute(),
  ]);
  const held = (burst: string | null): string | null => (burst === 'pending' ? 'held for review' : burst === 'rejected' ? 'rejected in review' : null);
  const rows: (TimelineRow | TimelineListRow)[] = [
    ...reports.map((r) => ({ kind: 'report' as const, at: r.occurred_at, category: r.category, detail: [r.claimed_org && `claimed ${r.claimed_org}`, r.channel, held(r.burst)].filter(Boolean).join(', ') || null })),
    ...feedback.map((f) => ({ kind: 'feedback' as const, at: f.occurred_at, category: null, detail: ['not spam', held(f.burst)].filter(Boolean).join(', ') })),
    ...lists.map((l) => ({
      kind: 'list' as const,
      at: l.created_at,
      category: l.category,
      detail: null,
      list: l.id,
      source: l.source,
      listName: l.name,
      ownerOrgId: l.org_id,
      expiresAt: l.expires_at,
      liftedAt: l.lifted_at ?? null,
    })),
    ...appeals.map((a) => ({ kind: 'appeal' as const, at: a.decided_at ?? a.created_at, category: null, detail: `appeal ${a.status}` })),
  ];
  return rows.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}
