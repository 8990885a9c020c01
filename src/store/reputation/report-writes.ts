// The statements of a report's write: the reporter's first sighting, the row, the reporter's
// credibility, one at a time or for the reports written together. On SQLite they are prepared once
// and run directly (kysely built and compiled each of them anew on every report, a large part of
// the report's CPU: BENCHMARKS.md, "Report ingestion on one hot caller"); on PostgreSQL they are
// kysely queries, one round trip for all the reports written together. Either way they run in the
// write's own transaction (scope.db), which holds the store's connection until it commits.
import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { preparedOnSqlite } from '../open-database.js';
import type { Database, ReportsTable } from '../schema.js';

/** "org_id reporter_hash", the key of firstSeenOf's answer. */
export const reporterKey = (orgId: string, reporterHash: string): string => `${orgId} ${reporterHash}`;
import { rememberReporter } from './bursts.js';
import { falseReportsOf, insertReports } from './reports.js';

export interface ReportWrites {
  /** Records when a reporter of an organisation was first seen (server time) and returns that time. */
  rememberReporter(orgId: string, reporterHash: string, at: string): Promise<string> | string;
  insertReport(row: ReportsTable): Promise<void> | void;
  /** How many of a reporter's reports were on callers later cleared by an upheld appeal. */
  falseReportsOf(reporterHash: string): Promise<number> | number;
  /** When each of these reporters was first seen (reporterKey → time); the unknown ones are missing. */
  firstSeenOf(reporters: readonly { orgId: string; reporterHash: string }[]): Promise<Map<string, string>> | Map<string, string>;
  insertReports(rows: readonly ReportsTable[]): Promise<void> | void;
  /** falseReportsOf for many reporters (only those with any). */
  falseReportsOfMany(reporterHashes: readonly string[]): Promise<Map<string, number>> | Map<string, number>;
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
    falseReportsOf(reporterHash) {
      return Number(falseReports.get(reporterHash)?.false_reports ?? 0);
    },
    firstSeenOf(reporters) {
      const out = new Map<string, string>();
      for (const r of reporters) {
        const known = firstSeen.get(r.orgId, r.reporterHash);
        if (known) out.set(reporterKey(r.orgId, r.reporterHash), known.first_seen_at);
      }
      return out;
    },
    insertReports(rows) {
      for (const row of rows) insert.run(REPORT_COLUMNS.map((c) => row[c] ?? null));
    },
    falseReportsOfMany(reporterHashes) {
      const out = new Map<string, number>();
      for (const h of new Set(reporterHashes)) {
        const n = Number(falseReports.get(h)?.false_reports ?? 0);
        if (n) out.set(h, n);
      }
      return out;
    },
  };
}

async function firstSeenOf(trx: Kysely<Database>, reporters: readonly { orgId: string; reporterHash: string }[]): Promise<Map<string, string>> {
  const byOrg = new Map<string, Set<string>>();
  for (const r of reporters) {
    let hashes = byOrg.get(r.orgId);
    if (!hashes) byOrg.set(r.orgId, (hashes = new Set()));
    hashes.add(r.reporterHash);
  }
  const out = new Map<string, string>();
  for (const [orgId, hashes] of byOrg) {
    const all = [...hashes];
    for (let i = 0; i < all.length; i += 500) {
      const rows = await trx.selectFrom('reporters').select(['reporter_hash', 'first_seen_at']).where('org_id', '=', orgId).where('reporter_hash', 'in', all.slice(i, i + 500)).execute();
      for (const r of rows) out.set(reporterKey(orgId, r.reporter_hash), r.first_seen_at);
    }
  }
  return out;
}

async function falseReportsOfMany(trx: Kysely<Database>, reporterHashes: readonly string[]): Promise<Map<string, number>> {
  const all = [...new Set(reporterHashes)];
  const out = new Map<string, number>();
  for (let i = 0; i < all.length; i += 500) {
    const rows = await trx.selectFrom('reporter_stats').select(['reporter_hash', 'false_reports']).where('reporter_hash', 'in', all.slice(i, i + 500)).execute();
    for (const r of rows) if (Number(r.false_reports)) out.set(r.reporter_hash, Number(r.false_reports));
  }
  return out;
}

/** The report's statements for a write in `trx`, a transaction opened on `root` (ctx.db). */
export function reportWrites(root: Kysely<Database>, trx: Kysely<Database>): ReportWrites {
  return (
    preparedOnSqlite(root, prepare) ?? {
      rememberReporter: (orgId, reporterHash, at) => rememberReporter(trx, orgId, reporterHash, at),
      insertReport: (row) => insertReports(trx, [row]),
      falseReportsOf: (reporterHash) => falseReportsOf(trx, reporterHash),
      firstSeenOf: (reporters) => firstSeenOf(trx, reporters),
      insertReports: (rows) => insertReports(trx, [...rows]),
      falseReportsOfMany: (reporterHashes) => falseReportsOfMany(trx, reporterHashes),
    }
  );
}
