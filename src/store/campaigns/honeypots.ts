import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { Engine } from '../open-database.js';
import { listIn, preparedQuery } from '../prepared-query.js';
import type { HoneypotHitsTable, HoneypotsTable, HoneypotTranscriptsTable } from './schema.js';

export async function allHoneypots(db: Kysely<Database>): Promise<HoneypotsTable[]> {
  return db.selectFrom('honeypots').selectAll().orderBy('number').orderBy('org_id').execute();
}

export async function honeypotsOf(db: Kysely<Database>, orgId: string | null): Promise<HoneypotsTable[]> {
  let q = db.selectFrom('honeypots').selectAll().orderBy('number');
  if (orgId !== null) q = q.where('org_id', '=', orgId);
  return q.execute();
}

/** Inserts the registrations that are new (a number already this owner's stays as it was). */
export async function insertHoneypots(db: Kysely<Database>, rows: HoneypotsTable[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto('honeypots').values(rows).onConflict((oc) => oc.columns(['number', 'org_id']).doNothing()).execute();
}

/** Removes one owner's registration (every owner's when orgId is null); returns how many went. */
export async function deleteHoneypot(db: Kysely<Database>, number: string, orgId: string | null): Promise<number> {
  let q = db.deleteFrom('honeypots').where('number', '=', number);
  if (orgId !== null) q = q.where('org_id', '=', orgId);
  const r = await q.executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function insertHoneypotHits(db: Kysely<Database>, rows: HoneypotHitsTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    await db
      .insertInto('honeypot_hits')
      .values(rows.slice(i, i + 1000))
      .onConflict((oc) => oc.columns(['caller', 'honeypot', 'org_id', 'day']).doNothing())
      .execute();
  }
}

/** Hits on lines still registered by the same owner (a removed line's hits stop counting). */
export async function honeypotHitsOf(db: Kysely<Database>, callers: readonly string[]): Promise<HoneypotHitsTable[]> {
  if (callers.length === 0) return [];
  return honeypotHitsOfList(db, callers);
}

// Compiled once, the callers as one list parameter (store/prepared-query.ts): every tally build reads it.
const honeypotHitsOfList = preparedQuery(honeypotHitsQuery);

/** Calls from these callers (the run's list parameter 0) to registered honeypots; also one part of store/reputation/evidence.ts's single read. */
export function honeypotHitsQuery(db: Kysely<Database>, engine: Engine) {
  return db
    .selectFrom('honeypot_hits as h')
    .innerJoin('honeypots as p', (j) => j.onRef('p.number', '=', 'h.honeypot').onRef('p.org_id', '=', 'h.org_id'))
    .select(['h.caller', 'h.honeypot', 'h.org_id', 'h.day', 'h.at', 'h.source'])
    .where(listIn(engine, 'h.caller', 0));
}

export async function callersOfHoneypot(db: Kysely<Database>, number: string, orgId: string | null): Promise<string[]> {
  let q = db.selectFrom('honeypot_hits').select('caller').distinct().where('honeypot', '=', number);
  if (orgId !== null) q = q.where('org_id', '=', orgId);
  return (await q.execute()).map((r) => r.caller);
}

export async function hitCounts(db: Kysely<Database>, orgId: string | null): Promise<Map<string, number>> {
  let q = db.selectFrom('honeypot_hits').select(['honeypot', (eb) => eb.fn.count<number>('caller').as('n')]).groupBy('honeypot');
  if (orgId !== null) q = q.where('org_id', '=', orgId);
  return new Map((await q.execute()).map((r) => [r.honeypot, Number(r.n)]));
}

export async function insertTranscript(db: Kysely<Database>, row: HoneypotTranscriptsTable): Promise<void> {
  await db.insertInto('honeypot_transcripts').values(row).execute();
}
