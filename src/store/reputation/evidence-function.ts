// PostgreSQL: the evidence read (store/reputation/evidence.ts) as a function, so that each
// connection plans it once. Sent as a statement, it is planned at every run: about 0.8 ms of the
// backend's time, twice what running it takes, for every batch of new numbers (BENCHMARKS.md,
// "Ninth session"). A function's plan is kept for its connection; `plan_cache_mode` makes that the
// generic plan from the first call on, and `enable_seqscan = off` keeps that plan on the indexes
// (every table the read filters or joins has one on those columns): a generic plan made while a
// young table was nearly empty would otherwise scan it whole for as long as the connection lives,
// the mistake the eighth session measured with named statements.
//
// The function's body is the same kysely query the statement runs, with the list of identifiers as
// its argument; its name carries a hash of the body, so a node running other code makes and calls
// its own, and a rolling upgrade never changes a function a running node calls. Each read made so
// has a name of its own under the prefix callshield_evidence (the reads by caller, and the reports
// by id that other nodes' writes are applied with), so one pattern finds them all.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Compilable, Kysely } from 'kysely';
import type { Database } from '../schema.js';
import { inlinedForFunction } from '../prepared-query.js';
import type { Engine } from '../open-database.js';

const made = new WeakMap<Kysely<Database>, Map<string, string>>();
const PREFIX = 'callshield_evidence';
// Two nodes starting at once create it one after the other (pg_advisory_xact_lock's key).
const LOCK = 0x63736576; // "csev"

/** The name of the read `what` (undefined: by caller) on this store, once installEvidenceFunction made sure it exists; else undefined. */
export function evidenceFunction(db: Kysely<Database>, what?: string): string | undefined {
  return made.get(db)?.get(what ?? '');
}

/** Creates the function for `build`'s query (the read `what`, or by caller) unless it exists, and remembers its name for this store. */
export async function installEvidenceFunction(db: Kysely<Database>, build: (db: Kysely<Database>, engine: Engine) => Compilable<unknown>, what?: string): Promise<string> {
  const body = inlinedForFunction(build, db, 'ids');
  const name = `${PREFIX}_${what ? `${what}_` : ''}${createHash('sha256').update(body).digest('hex').slice(0, 16)}`;
  const exists = async (q: Kysely<Database>) => (await sql<{ n: number }>`select count(*)::int as n from pg_proc where proname = ${name}`.execute(q)).rows[0]!.n > 0;
  if (!(await exists(db))) {
    await db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${LOCK})`.execute(trx);
      if (await exists(trx)) return;
      await sql
        .raw(
          `create function ${name}(ids text[]) returns json language plpgsql stable
           set search_path from current set plan_cache_mode = force_generic_plan set enable_seqscan = off
           as $callshield$ begin return (select row_to_json(e) from (${body}) e); end $callshield$`,
        )
        .execute(trx);
    });
  }
  let names = made.get(db);
  if (!names) made.set(db, (names = new Map()));
  names.set(what ?? '', name);
  return name;
}
