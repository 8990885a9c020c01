import type SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import { preparedOnSqlite } from './open-database.js';
import type { Engine } from './open-database.js';

/** 'reputation' and 'policy' are the foundation's; areas add their own ("governance.holders", ...). */
export type ChangeKind = string;

export interface ChangeRow {
  seq: number;
  kind: ChangeKind;
  key: string;
}

export const CHANGE_CHANNEL = 'callshield_changes';

/**
 * A report's entry: kind 'report', key "<report id> <caller>" (ids hold no space). A node that did
 * not write it adds that one report to the caller's tally instead of re-reading all the caller's
 * evidence, which for a number everybody reports is every report ever made (issue 17).
 */
export const REPORT_CHANGE = 'report';
export const reportChangeKey = (id: string, caller: string): string => `${id} ${caller}`;
export function parseReportChangeKey(key: string): { id: string; caller: string } {
  const sp = key.indexOf(' ');
  return { id: key.slice(0, sp), caller: key.slice(sp + 1) };
}

/** Where pruning stopped: a node that applied less than this missed entries and must reload in full. */
const PRUNED_THROUGH = 'changes.pruned_through';

export type ChangeBatch = readonly (readonly [kind: ChangeKind, keys: readonly string[]])[];

/**
 * The transaction lock that orders the change log's writers on PostgreSQL: bigserial numbers are
 * handed out at insert but become visible at commit, so two writers could commit out of order and a
 * reader between the commits would step over the lower number for good. Writers take this lock
 * before their numbers and hold it to their commit, so they take numbers and commit one after the
 * other (SQLite has a single writer already). Take it last in a transaction: it is held to the commit.
 */
export const CHANGE_LOG_LOCK = 7402;

/**
 * Appends change-log entries inside the caller's transaction, so they commit (or roll back) with
 * the change they describe: no crash can separate the two. Call it last in the transaction.
 * `notice` is the PostgreSQL NOTIFY payload: '' wakes every node; AppContext.ownChangesNotice wakes
 * every node but the writer, for entries the writer has applied itself; null sends none (no other
 * node listens: AppContext.noticeOfOwnChanges). `root`, the store `trx`
 * was opened on, lets SQLite run its insert prepared once (every write transaction ends here).
 */
export async function recordChangesIn(trx: Kysely<Database>, engine: Engine, batch: ChangeBatch, notice: string | null = '', root?: Kysely<Database>): Promise<void> {
  const at = new Date().toISOString();
  const rows = batch.flatMap(([kind, keys]) => keys.map((key) => ({ kind, key, at })));
  if (rows.length === 0) return;
  if (engine === 'postgres') {
    // One round trip: the lock, the entries (numbered only once the lock is held: each row of the
    // insert joins the lock's one row) and NOTIFY, which is delivered at commit.
    await sql`with locked as (select pg_advisory_xact_lock(${CHANGE_LOG_LOCK})),
      logged as (
        insert into changes (kind, key, at)
        select e.kind, e.key, ${at} from unnest(${rows.map((r) => r.kind)}::text[], ${rows.map((r) => r.key)}::text[]) with ordinality as e(kind, key, n), locked
        order by e.n
      )
      select pg_notify(${CHANGE_CHANNEL}, ${notice}::text) from locked where ${notice}::text is not null`.execute(trx);
    return;
  }
  const insert = root && preparedOnSqlite(root, prepareChangeInsert);
  if (insert) {
    for (const r of rows) insert.run(r.kind, r.key, r.at);
    return;
  }
  for (let i = 0; i < rows.length; i += 1000) await trx.insertInto('changes').values(rows.slice(i, i + 1000)).execute();
}

// SQLite: kysely built and compiled the entries' insert for every transaction, and better-sqlite3
// prepared it again each time: 6% of a hot-caller report's CPU (BENCHMARKS.md, "Tenth session").
const prepareChangeInsert = (sqlite: SQLite.Database) => sqlite.prepare<[string, string, string]>('insert into changes (kind, key, at) values (?, ?, ?)');

/** Entries on their own (writes that are not in a transaction of their own, e.g. batched payment history). */
export async function recordChanges(db: Kysely<Database>, engine: Engine, kind: ChangeKind, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  await db.transaction().execute((trx) => recordChangesIn(trx, engine, [[kind, keys]], '', db));
}

export async function readChangesAfter(db: Kysely<Database>, after: number, limit = 5000): Promise<ChangeRow[]> {
  const rows = await db.selectFrom('changes').select(['seq', 'kind', 'key']).where('seq', '>', after).orderBy('seq').limit(limit).execute();
  return rows.map((r) => ({ seq: Number(r.seq), kind: r.kind, key: r.key }));
}

/** The last sequence number handed out: the newest entry, or where pruning stopped when the log is empty. */
export async function latestChangeSeq(db: Kysely<Database>): Promise<number> {
  const r = await db.selectFrom('changes').select(({ fn }) => fn.max('seq').as('seq')).executeTakeFirst();
  return Math.max(Number(r?.seq ?? 0), await prunedThrough(db));
}

/** The highest sequence number pruning removed (0 before the first prune). */
export async function prunedThrough(db: Kysely<Database>): Promise<number> {
  const r = await db.selectFrom('meta').select('value').where('key', '=', PRUNED_THROUGH).executeTakeFirst();
  return r ? Number(r.value) : 0;
}

/**
 * Removes entries written before `olderThan` and records how far it went, in one transaction: a
 * node whose last applied entry is below that mark cannot catch up entry by entry and reloads in
 * full (AppContext.applyChanges). Returns how many entries went.
 */
export async function pruneChanges(db: Kysely<Database>, olderThan: string): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const r = await trx.selectFrom('changes').select(({ fn }) => fn.max('seq').as('seq')).where('at', '<', olderThan).executeTakeFirst();
    const upTo = Number(r?.seq ?? 0);
    if (upTo === 0) return 0;
    const gone = await trx.deleteFrom('changes').where('seq', '<=', upTo).executeTakeFirst();
    const value = String(Math.max(upTo, await prunedThrough(trx)));
    await trx.insertInto('meta').values({ key: PRUNED_THROUGH, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();
    return Number(gone.numDeletedRows);
  });
}
