import type { Kysely } from 'kysely';
import { reporterCredibility } from '../../reputation/index.js';
import type { Category, Clearance, Evidence, EvidenceSource } from '../../reputation/index.js';
import type { Database } from '../schema.js';
import { loadGovernanceEvidence } from '../governance/evidence.js';
import { listIn, preparedQuery } from '../prepared-query.js';

export interface EvidenceBundle {
  evidence: Evidence[];
  clearance?: Clearance;
}

const ms = (iso: string): number => Date.parse(iso);

/** Everything known about a set of identifiers, turned into the reputation domain's plain Evidence. */
export async function loadEvidence(db: Kysely<Database>, identifiers: readonly string[]): Promise<Map<string, EvidenceBundle>> {
  const out = new Map<string, EvidenceBundle>();
  if (identifiers.length === 0) return out;
  const bundle = (id: string): EvidenceBundle => {
    let b = out.get(id);
    if (!b) out.set(id, (b = { evidence: [] }));
    return b;
  };
  for (const id of identifiers) bundle(id);

  // The reads go out together: on PostgreSQL each on a connection of its own, one round trip's wait
  // instead of eight in a row (on SQLite they run one after the other on its one connection). Each
  // was its own snapshot before too. Their evidence is added in the same order as ever.
  const governance: [string, Evidence][] = [];
  const [reports, feedback, entries, , cleared] = await Promise.all([
    reportsOf(db, identifiers),
    feedbackOf(db, identifiers),
    listEntriesOf(db, identifiers),
    loadGovernanceEvidence(db, identifiers, (id, e) => governance.push([id, e])),
    upheldAppealsOf(db, identifiers),
  ]);

  // Reports and feedback held in a burst count only once a regulator accepts it; each carries its
  // organisation and when its reporter was first seen (imports have no reporter of their own: each
  // complaint line is one consumer, dated by the complaint).
  for (const r of reports) bundle(r.caller).evidence.push(reportEvidence(r));
  for (const f of feedback) {
    bundle(f.caller).evidence.push({
      source: 'crowd',
      category: 'other',
      at: ms(f.occurred_at),
      reporter: f.reporter_hash,
      org: f.org_id,
      negative: true,
      credibility: reporterCredibility(Number(f.false_reports ?? 0)),
      ...(f.first_seen_at ? { reporterSince: ms(f.first_seen_at) } : {}),
    });
  }
  // Lifted entries (by their owner, or by an upheld appeal that named the list) no longer count.
  for (const e of entries) {
    bundle(e.identifier).evidence.push({
      source: e.source as EvidenceSource,
      category: e.category as Category,
      at: ms(e.created_at),
      org: e.org_id,
      listId: e.list_id,
      origin: e.name,
      ...(e.expires_at ? { expiresAt: ms(e.expires_at) } : {}),
    });
  }
  for (const [id, e] of governance) bundle(id).evidence.push(e);
  for (const c of cleared) {
    if (!c.decided_at) continue;
    const b = bundle(c.identifier);
    const at = ms(c.decided_at);
    if (!b.clearance || b.clearance.clearedAt < at) b.clearance = { clearedAt: at };
  }
  return out;
}

// The reports that count (not held in a burst a regulator has not accepted), with what their
// evidence needs: the reporter's credibility and first sighting.
function countedReports(db: Kysely<Database>) {
  return db
    .selectFrom('reports')
    .leftJoin('reporter_stats', 'reporter_stats.reporter_hash', 'reports.reporter_hash')
    .leftJoin('reporters', (j) => j.onRef('reporters.org_id', '=', 'reports.org_id').onRef('reporters.reporter_hash', '=', 'reports.reporter_hash'))
    .leftJoin('reputation_bursts', 'reputation_bursts.id', 'reports.burst_id')
    .select(['reports.id', 'reports.caller', 'reports.reporter_hash', 'reports.org_id', 'reports.category', 'reports.claimed_org', 'reports.occurred_at', 'reporter_stats.false_reports', 'reporters.first_seen_at'])
    .where((eb) => eb.or([eb('reports.burst_id', 'is', null), eb('reputation_bursts.status', '=', 'accepted')]));
}

type ReportRow = Awaited<ReturnType<ReturnType<typeof countedReports>['execute']>>[number];

// loadEvidence's reads, each compiled once with the identifiers as one list parameter
// (store/prepared-query.ts): they run for every caller whose tally is built.
const reportsOf = preparedQuery((db, engine) => countedReports(db).where(listIn(engine, 'reports.caller', 0)));

const feedbackOf = preparedQuery((db, engine) =>
  db
    .selectFrom('feedback')
    .leftJoin('reporter_stats', 'reporter_stats.reporter_hash', 'feedback.reporter_hash')
    .leftJoin('reporters', (j) => j.onRef('reporters.org_id', '=', 'feedback.org_id').onRef('reporters.reporter_hash', '=', 'feedback.reporter_hash'))
    .leftJoin('reputation_bursts', 'reputation_bursts.id', 'feedback.burst_id')
    .select(['feedback.caller', 'feedback.reporter_hash', 'feedback.org_id', 'feedback.occurred_at', 'reporter_stats.false_reports', 'reporters.first_seen_at'])
    .where(listIn(engine, 'feedback.caller', 0))
    .where((eb) => eb.or([eb('feedback.burst_id', 'is', null), eb('reputation_bursts.status', '=', 'accepted')])),
);

const listEntriesOf = preparedQuery((db, engine) =>
  db
    .selectFrom('list_entries')
    .innerJoin('lists', 'lists.id', 'list_entries.list_id')
    .select(['list_entries.identifier', 'list_entries.category', 'list_entries.expires_at', 'list_entries.created_at', 'lists.id as list_id', 'lists.org_id', 'lists.source', 'lists.name'])
    .where(listIn(engine, 'list_entries.identifier', 0))
    .where('list_entries.lifted_at', 'is', null),
);

const upheldAppealsOf = preparedQuery((db, engine) =>
  db.selectFrom('appeals').select(['identifier', 'decided_at']).where(listIn(engine, 'identifier', 0)).where('status', '=', 'upheld'),
);

function reportEvidence(r: ReportRow): Evidence {
  return {
    source: 'crowd',
    category: r.category as Category,
    at: ms(r.occurred_at),
    reporter: r.reporter_hash,
    org: r.org_id,
    credibility: reporterCredibility(Number(r.false_reports ?? 0)),
    ...(r.first_seen_at ? { reporterSince: ms(r.first_seen_at) } : {}),
    ...(r.claimed_org ? { claimedOrganization: r.claimed_org } : {}),
  };
}

/**
 * The evidence of these reports (by id) as loadEvidence gives it, for a node that did not write
 * them to add to its callers' tallies (AppContext.applyChanges). A report held in a burst, or gone,
 * is not in the answer: it does not count.
 */
export async function loadReportEvidence(db: Kysely<Database>, ids: readonly string[]): Promise<{ id: string; caller: string; evidence: Evidence }[]> {
  const out: { id: string; caller: string; evidence: Evidence }[] = [];
  for (let i = 0; i < ids.length; i += 1000) {
    const rows = await countedReports(db).where('reports.id', 'in', ids.slice(i, i + 1000)).execute();
    for (const r of rows) out.push({ id: r.id, caller: r.caller, evidence: reportEvidence(r) });
  }
  return out;
}

/** Every identifier with any evidence, in pages (for building the hot index at start-up). */
export async function* identifiersWithEvidence(db: Kysely<Database>, pageSize = 2000): AsyncGenerator<string[]> {
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom((eb) =>
        eb
          .selectFrom('reports')
          .select('caller as id')
          .where('caller', '>', after)
          .union(eb.selectFrom('list_entries').select('identifier as id').where('identifier', '>', after))
          .union(eb.selectFrom('governance_patterns').select('identifier as id').where('identifier', '>', after))
          .union(eb.selectFrom('governance_complaints').select('caller as id').where('caller', '>', after))
          .union(eb.selectFrom('honeypot_hits').select('caller as id').where('caller', '>', after))
          .union(eb.selectFrom('campaign_members').select('caller as id').where('caller', '>', after))
          .as('ids'),
      )
      .select('id')
      .distinct()
      .orderBy('id')
      .limit(pageSize)
      .execute();
    if (rows.length === 0) return;
    yield rows.map((r) => r.id);
    after = rows[rows.length - 1]!.id;
  }
}
