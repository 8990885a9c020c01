import { sql } from 'kysely';
import type { Compilable, Kysely } from 'kysely';
import { reporterCredibility } from '../../reputation/index.js';
import type { Category, Clearance, Evidence, EvidenceSource } from '../../reputation/index.js';
import type { Database } from '../schema.js';
import { addGovernanceEvidence, complaintsQuery, governanceRows, patternsQuery } from '../governance/evidence.js';
import type { GovernanceRows } from '../governance/evidence.js';
import { honeypotHitsQuery } from '../campaigns/honeypots.js';
import { membershipsQuery } from '../campaigns/campaigns.js';
import { listIn, onPostgres, preparedQuery } from '../prepared-query.js';
import { runNamed } from '../open-database.js';
import type { Engine } from '../open-database.js';
import { evidenceFunction, installEvidenceFunction } from './evidence-function.js';

export interface EvidenceBundle {
  evidence: Evidence[];
  clearance?: Clearance;
}

const ms = (iso: string): number => Date.parse(iso);

/** The rows behind a set of identifiers' evidence, one array per kind. */
interface EvidenceRows {
  reports: ReportRow[];
  feedback: FeedbackRow[];
  entries: ListEntryRow[];
  cleared: { identifier: string; decided_at: string | null }[];
  governance: GovernanceRows;
}

/**
 * Everything known about a set of identifiers, turned into the reputation domain's plain Evidence.
 * `apart` reads PostgreSQL with the eight statements SQLite uses (the tests compare both ways).
 */
export async function loadEvidence(db: Kysely<Database>, identifiers: readonly string[], opts: { apart?: boolean } = {}): Promise<Map<string, EvidenceBundle>> {
  const out = new Map<string, EvidenceBundle>();
  if (identifiers.length === 0) return out;
  const bundle = (id: string): EvidenceBundle => {
    let b = out.get(id);
    if (!b) out.set(id, (b = { evidence: [] }));
    return b;
  };
  for (const id of identifiers) bundle(id);

  const { reports, feedback, entries, cleared, governance } = onPostgres(db) && !opts.apart ? await readTogether(db, identifiers) : await readApart(db, identifiers);

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
  addGovernanceEvidence(governance, (id, e) => bundle(id).evidence.push(e));
  for (const c of cleared) {
    if (!c.decided_at) continue;
    const b = bundle(c.identifier);
    const at = ms(c.decided_at);
    if (!b.clearance || b.clearance.clearedAt < at) b.clearance = { clearedAt: at };
  }
  return out;
}

// SQLite's read: eight statements, one after the other on its one connection (no round trips to
// save). PostgreSQL runs it only when asked (`apart`), for the tests that compare the two.
async function readApart(db: Kysely<Database>, identifiers: readonly string[]): Promise<EvidenceRows> {
  const [reports, feedback, entries, governance, cleared] = await Promise.all([
    reportsOf(db, identifiers),
    feedbackOf(db, identifiers),
    listEntriesOf(db, identifiers),
    governanceRows(db, identifiers),
    upheldAppealsOf(db, identifiers),
  ]);
  return { reports, feedback, entries, cleared, governance };
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
type FeedbackRow = Awaited<ReturnType<ReturnType<typeof feedbackQuery>['execute']>>[number];
type ListEntryRow = Awaited<ReturnType<ReturnType<typeof listEntriesQuery>['execute']>>[number];

// The reads, each with the identifiers as the run's list parameter 0 (store/prepared-query.ts).
const reportsQuery = (db: Kysely<Database>, engine: Engine) => countedReports(db).where(listIn(engine, 'reports.caller', 0));

function feedbackQuery(db: Kysely<Database>, engine: Engine) {
  return db
    .selectFrom('feedback')
    .leftJoin('reporter_stats', 'reporter_stats.reporter_hash', 'feedback.reporter_hash')
    .leftJoin('reporters', (j) => j.onRef('reporters.org_id', '=', 'feedback.org_id').onRef('reporters.reporter_hash', '=', 'feedback.reporter_hash'))
    .leftJoin('reputation_bursts', 'reputation_bursts.id', 'feedback.burst_id')
    .select(['feedback.caller', 'feedback.reporter_hash', 'feedback.org_id', 'feedback.occurred_at', 'reporter_stats.false_reports', 'reporters.first_seen_at'])
    .where(listIn(engine, 'feedback.caller', 0))
    .where((eb) => eb.or([eb('feedback.burst_id', 'is', null), eb('reputation_bursts.status', '=', 'accepted')]));
}

function listEntriesQuery(db: Kysely<Database>, engine: Engine) {
  return db
    .selectFrom('list_entries')
    .innerJoin('lists', 'lists.id', 'list_entries.list_id')
    .select(['list_entries.identifier', 'list_entries.category', 'list_entries.expires_at', 'list_entries.created_at', 'lists.id as list_id', 'lists.org_id', 'lists.source', 'lists.name'])
    .where(listIn(engine, 'list_entries.identifier', 0))
    .where('list_entries.lifted_at', 'is', null);
}

const upheldAppealsQuery = (db: Kysely<Database>, engine: Engine) =>
  db.selectFrom('appeals').select(['identifier', 'decided_at']).where(listIn(engine, 'identifier', 0)).where('status', '=', 'upheld');

// Compiled once each (store/prepared-query.ts): they run for every caller whose tally is built.
const reportsOf = preparedQuery(reportsQuery);
const feedbackOf = preparedQuery(feedbackQuery);
const listEntriesOf = preparedQuery(listEntriesQuery);
const upheldAppealsOf = preparedQuery(upheldAppealsQuery);

// PostgreSQL: the eight reads as one statement, each read's rows as one JSON array. Eight statements
// (even sent together, on connections of their own) cost eight round trips, parses, plans and pool
// checkouts; on a machine the server shares with its database that wait, not the reads, bounded
// reports on new numbers (BENCHMARKS.md, "Ninth session"). The columns are text and integers, which
// JSON carries as the driver would have given them.
const rowsOf = <Row>(q: Compilable<Row>) => sql<Row[]>`(select coalesce(json_agg(r), '[]'::json) from ${q} as r)`;
const everythingBuild = (db: Kysely<Database>, engine: Engine) =>
  db.selectNoFrom([
    rowsOf(reportsQuery(db, engine)).as('reports'),
    rowsOf(feedbackQuery(db, engine)).as('feedback'),
    rowsOf(listEntriesQuery(db, engine)).as('entries'),
    rowsOf(upheldAppealsQuery(db, engine)).as('cleared'),
    sql<GovernanceRows>`json_build_object(${sql.lit('patterns')}, ${rowsOf(patternsQuery(db, engine))}, ${sql.lit('memberships')}, ${rowsOf(membershipsQuery(db, engine))}, ${sql.lit('hits')}, ${rowsOf(honeypotHitsQuery(db, engine))}, ${sql.lit('complaints')}, ${rowsOf(complaintsQuery(db, engine))})`.as('governance'),
  ]);
const everythingOf = preparedQuery(everythingBuild);

// Reports by id, for loadReportEvidence: on PostgreSQL their rows as one JSON array, as above.
const reportsByIdQuery = (db: Kysely<Database>, engine: Engine) => countedReports(db).where(listIn(engine, 'reports.id', 0));
const reportsByIdBuild = (db: Kysely<Database>, engine: Engine) => db.selectNoFrom([rowsOf(reportsByIdQuery(db, engine)).as('reports')]);
const reportsById = preparedQuery(reportsByIdQuery);
const REPORTS_BY_ID = 'reports';

/**
 * PostgreSQL: makes sure the functions the two reads call exist on this store (openApp, once at
 * start): readTogether's, whose name it returns, and loadReportEvidence's.
 */
export async function installEvidenceRead(db: Kysely<Database>): Promise<string> {
  const name = await installEvidenceFunction(db, everythingBuild);
  await installEvidenceFunction(db, reportsByIdBuild, REPORTS_BY_ID);
  return name;
}

/**
 * The answer of the function store/reputation/evidence-function.ts made of the read `what`;
 * undefined where it made none. The call is a named statement (the function's name), parsed once a
 * connection: its own plan is trivial, the read's is the function's.
 */
async function throughFunction<T>(db: Kysely<Database>, what: string | undefined, ids: readonly string[]): Promise<T | undefined> {
  const fn = evidenceFunction(db, what);
  if (fn === undefined) return undefined;
  return (await runNamed<{ e: T }>(db, fn, `select ${fn}($1::text[]) as e`, [ids]))[0]!.e;
}

// The same read through its function, where one was made (the store openApp opened); a
// transaction, or a store opened otherwise, sends the statement.
async function readTogether(db: Kysely<Database>, identifiers: readonly string[]): Promise<EvidenceRows> {
  return (await throughFunction<EvidenceRows>(db, undefined, identifiers)) ?? (await everythingOf(db, identifiers))[0]!;
}

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
 * them to add to its callers' tallies (AppContext.applyChanges): every node reads every batch
 * another node wrote, so on PostgreSQL it goes through a function planned once a connection, like
 * the read by caller. A report held in a burst, or gone, is not in the answer: it does not count.
 */
export async function loadReportEvidence(db: Kysely<Database>, ids: readonly string[]): Promise<{ id: string; caller: string; evidence: Evidence }[]> {
  if (ids.length === 0) return [];
  const rows = (await throughFunction<{ reports: ReportRow[] }>(db, REPORTS_BY_ID, ids))?.reports ?? (await reportsById(db, ids));
  return rows.map((r) => ({ id: r.id, caller: r.caller, evidence: reportEvidence(r) }));
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
