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

export async function countReports(db: Kysely<Database>): Promise<number> {
  const r = await db.selectFrom('reports').select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

export interface TimelineRow {
  kind: 'report' | 'feedback' | 'list' | 'appeal';
  at: string;
  category: string | null;
  detail: string | null;
}

/** The evidence about one identifier in time order, for the look-up page's timeline. */
export async function evidenceTimeline(db: Kysely<Database>, identifier: string, limit = 500): Promise<TimelineRow[]> {
  const [reports, feedback, lists, appeals] = await Promise.all([
    db.selectFrom('reports').select(['occurred_at', 'category', 'claimed_org', 'channel']).where('caller', '=', identifier).orderBy('occurred_at', 'desc').limit(limit).execute(),
    db.selectFrom('feedback').select(['occurred_at']).where('caller', '=', identifier).orderBy('occurred_at', 'desc').limit(limit).execute(),
    db
      .selectFrom('list_entries')
      .innerJoin('lists', 'lists.id', 'list_entries.list_id')
      .select(['list_entries.created_at', 'list_entries.category', 'lists.source', 'lists.name', 'list_entries.expires_at'])
      .where('list_entries.identifier', '=', identifier)
      .limit(limit)
      .execute(),
    db.selectFrom('appeals').select(['created_at', 'status', 'decided_at']).where('identifier', '=', identifier).limit(limit).execute(),
  ]);
  const rows: TimelineRow[] = [
    ...reports.map((r) => ({ kind: 'report' as const, at: r.occurred_at, category: r.category, detail: [r.claimed_org && `claimed ${r.claimed_org}`, r.channel].filter(Boolean).join(', ') || null })),
    ...feedback.map((f) => ({ kind: 'feedback' as const, at: f.occurred_at, category: null, detail: 'not spam' })),
    ...lists.map((l) => ({ kind: 'list' as const, at: l.created_at, category: l.category, detail: `${l.source} list "${l.name}"${l.expires_at ? ` until ${l.expires_at}` : ''}` })),
    ...appeals.map((a) => ({ kind: 'appeal' as const, at: a.decided_at ?? a.created_at, category: null, detail: `appeal ${a.status}` })),
  ];
  return rows.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}
