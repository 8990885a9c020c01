// The statements of a report's write: the reporter's first sighting, the row, the reporter's
// credibility, one at a time or for the reports written together. On SQLite they are prepared once
// and run directly (kysely built and compiled each of them anew on every report, a large part of
// the report's CPU: BENCHMARKS.md, "Report ingestion on one hot caller"); on PostgreSQL they are
// kysely queries, one round trip for all the reports written together. Either way they run in the
// write's own transaction (scope.db), which holds the store's connection until it commits.
// writeKnownReports (PostgreSQL) is the one exception: a whole batch of known reporters' reports in
// one statement that is its own transaction.
import type SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { CHANGE_CHANNEL, CHANGE_LOG_LOCK, REPORT_CHANGE, reportChangeKey } from '../changes.js';
import { preparedOnSqlite, runNamed } from '../open-database.js';
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
// log's entries and the commit. NOTIFY is delivered at commit, the statement's end, with $3 as its
// payload, and not sent when $3 is null (no other node listens). $1 is the reports as one JSON
// array (knownReportJson: the columns, the time each reporter must have been first seen by, the
// change-log key from reportChangeKey in store/changes.ts, the one place that format is written,
// and the report's place in the batch), $2 the change-log time.
// - One JSON parameter, not an array per column: PostgreSQL parsed thirteen text arrays and
//   unnested them for every batch, a fifth of the statement's CPU (BENCHMARKS.md, "Tenth session").
//   It goes in through a one-row subquery, so no plan is ever sized to a batch (a custom plan sized
//   to each batch's length was re-planned every time, "Sixth session").
// - Each reporter and its credibility are looked up by primary key, one index probe a report: a
//   join left the generic plan free to hash or bitmap-scan tables that grow with every subscriber.
export const KNOWN_REPORTS_SQL = `
  with input as (
    select * from json_to_recordset((select $1::json)) as t(id text, caller text, caller_kind text, reporter_hash text, org_id text, category text,
      comment text, channel text, claimed_org text, occurred_at text, created_at text, known_before text, change_key text, n int)
  ),
  known as materialized (
    select i.*, r.first_seen_at, (select s.false_reports from reporter_stats s where s.reporter_hash = i.reporter_hash) as false_reports
    from input i
    cross join lateral (select first_seen_at from reporters r where r.org_id = i.org_id and r.reporter_hash = i.reporter_hash) r
    where r.first_seen_at::timestamptz <= i.known_before::timestamptz
  ),
  inserted as (
    insert into reports (id, caller, caller_kind, reporter_hash, org_id, category, comment, channel, claimed_org, occurred_at, created_at, import_source, burst_id)
    select id, caller, caller_kind, reporter_hash, org_id, category, comment, channel, claimed_org, occurred_at, created_at, null, null from known
    returning 1
  ),
  locked as (select pg_advisory_xact_lock(${CHANGE_LOG_LOCK}) from (select count(*) as n from inserted) all_inserted where n > 0),
  logged as (
    insert into changes (kind, key, at) select '${REPORT_CHANGE}', k.change_key, $2 from known k, locked order by k.n
  )
  select k.id, k.first_seen_at, k.false_reports, (select pg_notify('${CHANGE_CHANNEL}', $3::text) from locked where $3::text is not null) as notified from known k`;

/** One report as the statement reads it from its JSON parameter (json_to_recordset's columns). */
const knownReportJson = ({ row, knownBefore }: KnownReportInput, i: number) => ({
  id: row.id,
  caller: row.caller,
  caller_kind: row.caller_kind,
  reporter_hash: row.reporter_hash,
  org_id: row.org_id,
  category: row.category,
  comment: row.comment ?? null,
  channel: row.channel ?? null,
  claimed_org: row.claimed_org ?? null,
  occurred_at: row.occurred_at,
  created_at: row.created_at,
  known_before: knownBefore,
  change_key: reportChangeKey(row.id, row.caller),
  n: i + 1,
});

/** KNOWN_REPORTS_SQL's parameters ($1 the reports, $2 the change-log time, $3 the NOTIFY payload). */
export const knownReportsParameters = (reports: readonly KnownReportInput[], notice: string | null): unknown[] => [JSON.stringify(reports.map(knownReportJson)), new Date().toISOString(), notice];

/**
 * PostgreSQL only. Writes the reports whose reporter was first seen by `knownBefore` (known long
 * enough that it cannot join a burst, reputation/burst.ts), each with its change-log entry, in ONE
 * statement that is its own transaction: the reporters' look-up with their credibility, the
 * inserts, the change log's lock, its entries and NOTIFY, in one round trip instead of eight
 * (BENCHMARKS.md, "Report ingestion on one hot caller"), prepared once per connection. All of it
 * commits or none of it does. Returns, by report id, the facts of the reports written; the others
 * were not touched. `notice` is the NOTIFY payload (AppContext.ownChangesNotice: the writing node
 * applied these changes itself), or null for none (AppContext.noticeOfOwnChanges).
 */
export async function writeKnownReports(db: Kysely<Database>, reports: readonly KnownReportInput[], notice: string | null): Promise<Map<string, { firstSeen: string; falseReports: number }>> {
  const rows = await runNamed<{ id: string; first_seen_at: string; false_reports: number | null }>(db, 'callshield_known_reports', KNOWN_REPORTS_SQL, knownReportsParameters(reports, notice));
  return new Map(rows.map((x) => [x.id, { firstSeen: x.first_seen_at, falseReports: Number(x.false_reports ?? 0) }]));
}
