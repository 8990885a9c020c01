// The statements of a report's write: the reporter's first sighting, the row, the reporter's
// credibility, one at a time or for the reports written together. On SQLite they are prepared once
// and run directly (kysely built and compiled each of them anew on every report, a large part of
// the report's CPU: BENCHMARKS.md, "Report ingestion on one hot caller"); on PostgreSQL they are
// kysely queries, one round trip for all the reports written together. Either way they run in the
// write's own transaction (scope.db), which holds the store's connection until it commits.
// writeKnownReports (PostgreSQL) is the one exception: a whole batch of known reporters' reports in
// one statement that is its own transaction.
import type SQLite from 'better-sqlite3';
import { CompiledQuery, sql } from 'kysely';
import type { Kysely } from 'kysely';
import { CHANGE_CHANNEL, CHANGE_LOG_LOCK, REPORT_CHANGE, reportChangeKey } from '../changes.js';
import { postgresPool, preparedOnSqlite } from '../open-database.js';
import type { Database, ReportsTable } from '../schema.js';
import { rememberReporter } from './bursts.js';
import { insertReports } from './reports.js';

/** "org_id reporter_hash", the key of reportersOf's answer. */
export const reporterKey = (orgId: string, reporterHash: string): string => `${orgId} ${reporterHash}`;

/** What the store knows of a reporter: when it was first seen (undefined: never) and its credibility. */
export interface ReporterFacts {
  firstSeen: string | undefined;
  /** How many of its reports were on callers later cleared by an upheld appeal. */
  falseReports: number;
}

export interface ReportWrites {
  /** Records when a reporter of an organisation was first seen (server time) and returns that time. */
  rememberReporter(orgId: string, reporterHash: string, at: string): Promise<string> | string;
  insertReport(row: ReportsTable): Promise<void> | void;
  /** ReporterFacts of each of these reporters (reporterKey → facts): one round trip on PostgreSQL. */
  reportersOf(reporters: readonly { orgId: string; reporterHash: string }[]): Promise<Map<string, ReporterFacts>> | Map<string, ReporterFacts>;
  insertReports(rows: readonly ReportsTable[]): Promise<void> | void;
}

const REPORT_COLUMNS = ['id', 'caller', 'caller_kind', 'reporter_hash', 'org_id', 'category', 'comment', 'channel', 'claimed_org', 'occurred_at', 'created_at', 'import_source', 'burst_id'] as const;

function prepare(sqlite: SQLite.Database): ReportWrites {
  const firstSeen = sqlite.prepare<[string, string], { first_seen_at: string }>('select first_seen_at from reporters where org_id = ? and reporter_hash = ?');
  // Two first reports of one reporter at once: the first insert wins, the second changes nothing.
  const newReporter = sqlite.prepare('insert into reporters (org_id, reporter_hash, first_seen_at) values (?, ?, ?) on conflict (org_id, reporter_hash) do nothing');
  const insert = sqlite.prepare(`insert into reports (${REPORT_COLUMNS.join(', ')}) values (${REPORT_COLUMNS.map(() => '?').join(', ')})`);
  const falseReports = sqlite.prepare<[string], { false_reports: number }>('select false_reports from reporter_stats where reporter_hash = ?');
  return {
    rememberReporter(orgId, reporterHash, at) {
      const known = firstSeen.get(orgId, reporterHash);
      if (known) return known.first_seen_at;
      newReporter.run(orgId, reporterHash, at);
      return at;
    },
    insertReport(row) {
      insert.run(REPORT_COLUMNS.map((c) => row[c] ?? null));
    },
    reportersOf(reporters) {
      const out = new Map<string, ReporterFacts>();
      for (const r of reporters) {
        out.set(reporterKey(r.orgId, r.reporterHash), {
          firstSeen: firstSeen.get(r.orgId, r.reporterHash)?.first_seen_at,
          falseReports: Number(falseReports.get(r.reporterHash)?.false_reports ?? 0),
        });
      }
      return out;
    },
    insertReports(rows) {
      for (const row of rows) insert.run(REPORT_COLUMNS.map((c) => row[c] ?? null));
    },
  };
}

// The reporters' first sighting and credibility in one statement: each pair from the arrays, its
// row in reporters if any (primary key), its row in reporter_stats if any (primary key).
async function reportersOf(trx: Kysely<Database>, reporters: readonly { orgId: string; reporterHash: string }[]): Promise<Map<string, ReporterFacts>> {
  const r = await sql<{ org_id: string; reporter_hash: string; first_seen_at: string | null; false_reports: number | null }>`
    select i.org_id, i.reporter_hash, r.first_seen_at, s.false_reports
    from unnest(${reporters.map((x) => x.orgId)}::text[], ${reporters.map((x) => x.reporterHash)}::text[]) as i(org_id, reporter_hash)
    left join reporters r on r.org_id = i.org_id and r.reporter_hash = i.reporter_hash
    left join reporter_stats s on s.reporter_hash = i.reporter_hash`.execute(trx);
  const out = new Map<string, ReporterFacts>();
  for (const x of r.rows) out.set(reporterKey(x.org_id, x.reporter_hash), { firstSeen: x.first_seen_at ?? undefined, falseReports: Number(x.false_reports ?? 0) });
  return out;
}

/** The report's statements for a write in `trx`, a transaction opened on `root` (ctx.db). */
export function reportWrites(root: Kysely<Database>, trx: Kysely<Database>): ReportWrites {
  return (
    preparedOnSqlite(root, prepare) ?? {
      rememberReporter: (orgId, reporterHash, at) => rememberReporter(trx, orgId, reporterHash, at),
      insertReport: (row) => insertReports(trx, [row]),
      reportersOf: (reporters) => reportersOf(trx, reporters),
      insertReports: (rows) => insertReports(trx, [...rows]),
    }
  );
}

/** A report for writeKnownReports, and the time its reporter must have been first seen by to be "known". */
export interface KnownReportInput {
  row: ReportsTable;
  knownBefore: string;
}

// The statement of writeKnownReports. The change log's entries join the lock's one row, so they
// are numbered only once it is held (store/changes.ts, CHANGE_LOG_LOCK); the lock waits for every
// report's insert (count(*) of `inserted`), so what runs one at a time across nodes is only the
// log's entries and the commit. NOTIFY is delivered at commit, the statement's end, with $15 as its
// payload. $1-$11 are the reports' columns, $12 the time each reporter must have been first seen
// by, $13 each report's change-log key (reportChangeKey, store/changes.ts: the one place that
// format is written), $14 the change-log time. Each array goes in through a one-row subquery: as a
// plain parameter PostgreSQL sized a custom plan to the arrays' lengths, which the generic plan's
// guess of 100 rows never beat, and so planned the statement anew for every batch, a third of its
// time (BENCHMARKS.md, "Sixth session").
const KNOWN_REPORTS_SQL = `
  with input as (
    select * from unnest((select $1::text[]), (select $2::text[]), (select $3::text[]), (select $4::text[]), (select $5::text[]), (select $6::text[]), (select $7::text[]), (select $8::text[]), (select $9::text[]), (select $10::text[]), (select $11::text[]), (select $12::text[]), (select $13::text[]))
      with ordinality as t(id, caller, caller_kind, reporter_hash, org_id, category, comment, channel, claimed_org, occurred_at, created_at, known_before, change_key, n)
  ),
  known as materialized (
    select i.*, r.first_seen_at, s.false_reports
    from input i
    join reporters r on r.org_id = i.org_id and r.reporter_hash = i.reporter_hash
    left join reporter_stats s on s.reporter_hash = i.reporter_hash
    where r.first_seen_at::timestamptz <= i.known_before::timestamptz
  ),
  inserted as (
    insert into reports (id, caller, caller_kind, reporter_hash, org_id, category, comment, channel, claimed_org, occurred_at, created_at, import_source, burst_id)
    select id, caller, caller_kind, reporter_hash, org_id, category, comment, channel, claimed_org, occurred_at, created_at, null, null from known
    returning 1
  ),
  locked as (select pg_advisory_xact_lock(${CHANGE_LOG_LOCK}) from (select count(*) as n from inserted) all_inserted where n > 0),
  logged as (
    insert into changes (kind, key, at) select '${REPORT_CHANGE}', k.change_key, $14 from known k, locked order by k.n
  )
  select k.id, k.first_seen_at, k.false_reports, (select pg_notify('${CHANGE_CHANNEL}', $15::text) from locked) as notified from known k`;

const KNOWN_REPORT_COLUMNS = ['id', 'caller', 'caller_kind', 'reporter_hash', 'org_id', 'category', 'comment', 'channel', 'claimed_org', 'occurred_at', 'created_at'] as const;

/**
 * PostgreSQL only. Writes the reports whose reporter was first seen by `knownBefore` (known long
 * enough that it cannot join a burst, reputation/burst.ts), each with its change-log entry, in ONE
 * statement that is its own transaction: the reporters' look-up with their credibility, the
 * inserts, the change log's lock, its entries and NOTIFY, in one round trip instead of eight
 * (BENCHMARKS.md, "Report ingestion on one hot caller"), prepared once per connection. All of it
 * commits or none of it does. Returns, by report id, the facts of the reports written; the others
 * were not touched. `notice` is the NOTIFY payload (AppContext.ownChangesNotice: the writing node
 * applied these changes itself).
 */
export async function writeKnownReports(db: Kysely<Database>, reports: readonly KnownReportInput[], notice: string): Promise<Map<string, { firstSeen: string; falseReports: number }>> {
  const values = [
    ...KNOWN_REPORT_COLUMNS.map((c) => reports.map(({ row }) => row[c] ?? null)),
    reports.map((x) => x.knownBefore),
    reports.map(({ row }) => reportChangeKey(row.id, row.caller)),
    new Date().toISOString(),
    notice,
  ];
  const pool = postgresPool(db);
  type Row = { id: string; first_seen_at: string; false_reports: number | null };
  const rows = pool
    ? (await pool.query<Row>({ name: 'callshield_known_reports', text: KNOWN_REPORTS_SQL, values })).rows
    : (await db.executeQuery(CompiledQuery.raw(KNOWN_REPORTS_SQL, values))).rows as Row[];
  return new Map(rows.map((x) => [x.id, { firstSeen: x.first_seen_at, falseReports: Number(x.false_reports ?? 0) }]));
}
