import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { Engine } from './open-database.js';

/** 'reputation' and 'policy' are the foundation's; areas add their own ("governance.holders", ...). */
export type ChangeKind = string;

export interface ChangeRow {
  seq: number;
  kind: ChangeKind;
  key: string;
}

export const CHANGE_CHANNEL = 'callshield_changes';

export async function recordChanges(db: Kysely<Database>, engine: Engine, kind: ChangeKind, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  const at = new Date().toISOString();
  const insert = async (trx: Kysely<Database>): Promise<void> => {
    for (let i = 0; i < keys.length; i += 1000) {
      await trx.insertInto('changes').values(keys.slice(i, i + 1000).map((key) => ({ kind, key, at }))).execute();
    }
  };
  if (engine === 'postgres') {
    // bigserial numbers are handed out at insert but become visible at commit: two writers could
    // commit out of order and a reader between the commits would step over the lower number for
    // good. A transaction lock makes writers take numbers and commit one after the other (SQLite
    // has a single writer already). NOTIFY is delivered at commit.
    await db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(7402)`.execute(trx);
      await insert(trx);
      await sql`select pg_notify(${CHANGE_CHANNEL}, '')`.execute(trx);
    });
  } else {
    await insert(db);
  }
}

/**
 * The same, inside a write transaction the caller already holds (the change commits with the write:
 * one commit instead of two). On PostgreSQL the lock is then held until that transaction commits.
 */
export async function recordChangesIn(trx: Kysely<Database>, engine: Engine, kind: ChangeKind, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  const at = new Date().toISOString();
  if (engine === 'postgres') await sql`select pg_advisory_xact_lock(7402)`.execute(trx);
  await trx.insertInto('changes').values(keys.map((key) => ({ kind, key, at }))).execute();
  if (engine === 'postgres') await sql`select pg_notify(${CHANGE_CHANNEL}, '')`.execute(trx);
}

export async function readChangesAfter(db: Kysely<Database>, after: number, limit = 5000): Promise<ChangeRow[]> {
  const rows = await db.selectFrom('changes').select(['seq', 'kind', 'key']).where('seq', '>', after).orderBy('seq').limit(limit).execute();
  return rows.map((r) => ({ seq: Number(r.seq), kind: r.kind, key: r.key }));
}

export async function latestChangeSeq(db: Kysely<Database>): Promise<number> {
  const r = await db.selectFrom('changes').select(({ fn }) => fn.max('seq').as('seq')).executeTakeFirst();
  return Number(r?.seq ?? 0);
}

/** Entries older than a day are only needed by a node that was away that long; it reloads in full. */
export async function pruneChanges(db: Kysely<Database>, olderThan: string): Promise<void> {
  await db.deleteFrom('changes').where('at', '<', olderThan).execute();
}
