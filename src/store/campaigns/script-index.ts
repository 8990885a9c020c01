import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { MAX_SCRIPTS_PER_CALLER, scriptBandKeys } from '../../campaigns/index.js';
import type { IndexedScript, ScriptIndex, ScriptMembership } from '../../campaigns/index.js';
import type { Database } from '../schema.js';
import type { ScriptFingerprintsTable } from './schema.js';
import { membershipsOf } from './campaigns.js';

// The script fingerprint index (migration 0028): one row per fingerprint, one per band key. A new
// script reads the rows that share a band key with it, never the whole table.

const CHUNK = 500;
/** Bound parameters per statement, under SQLite's 32,766 and PostgreSQL's 65,535. */
const MAX_PARAMS = 20_000;
/** Keys paged in one statement (SQLite allows 500 terms in a compound select). */
const PAGES_PER_QUERY = 100;
/** Keys holding at most this many index rows together are read in one go, not a page at a time. */
const ALL_AT_ONCE = 1_000;

function chunks<T>(xs: readonly T[], n = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

/** The index rows of one stored script (empty when the fingerprint has no band keys). */
export function scriptIndexRows(s: ScriptFingerprintsTable): { script: ScriptFingerprintsTable; bands: { band: number; script_id: string }[] } | undefined {
  const keys = scriptBandKeys(JSON.parse(s.fingerprint) as number[]);
  if (keys.length === 0) return undefined;
  return { script: s, bands: [...new Set(keys)].map((band) => ({ band, script_id: s.id })) };
}

/** Indexes scripts inside the caller's transaction (the transcript or guard call commits with its index rows). */
export async function indexScripts(db: Kysely<Database>, scripts: readonly ScriptFingerprintsTable[]): Promise<void> {
  const rows = scripts.map(scriptIndexRows).filter((r) => r !== undefined);
  for (const part of chunks(rows, 200)) {
    if (part.length === 0) continue;
    await db.insertInto('script_fingerprints').values(part.map((r) => r.script)).onConflict((oc) => oc.column('id').doNothing()).execute();
    await db.insertInto('script_bands').values(part.flatMap((r) => r.bands)).onConflict((oc) => oc.columns(['band', 'script_id']).doNothing()).execute();
  }
}

const toScript = (r: ScriptFingerprintsTable): IndexedScript => ({
  id: r.id,
  caller: r.caller,
  fingerprint: JSON.parse(r.fingerprint) as number[],
  at: Date.parse(r.at),
  ...(r.party === null ? {} : { party: r.party }),
});

/** Whether these keys hold at most `most` index rows together (counted along the primary key, at most most + 1 looked at). */
async function fewRows(db: Kysely<Database>, keys: readonly number[], most: number): Promise<boolean> {
  if (keys.length > MAX_PARAMS) return false;
  // Ordered by band so PostgreSQL walks the primary key: unordered, with few statistics it may scan
  // the whole table for rare keys.
  const within = db.selectFrom('script_bands').select('script_id').where('band', 'in', keys).orderBy('band').limit(most + 1);
  const r = await db.selectFrom(within.as('rows')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n) <= most;
}

async function scriptsById(db: Kysely<Database>, ids: readonly string[]): Promise<IndexedScript[]> {
  const out: IndexedScript[] = [];
  for (const part of chunks(ids)) out.push(...(await db.selectFrom('script_fingerprints').selectAll().where('id', 'in', part).execute()).map(toScript));
  return out;
}

/** The ScriptIndex the campaign search reads, over this database (or transaction). */
export function scriptIndexOf(db: Kysely<Database>): ScriptIndex {
  return {
    async scriptsOf(callers, guardOf) {
      const out: IndexedScript[] = [];
      const guard = guardOf && new Set(guardOf);
      for (const part of chunks(callers)) {
        // Each caller's scripts ranked (honeypot first, then newest) by their ids alone, and only the
        // first MAX_SCRIPTS_PER_CALLER fetched and parsed: a number with thousands stays one bounded read.
        let ranked = db
          .selectFrom('script_fingerprints')
          .select(['id', sql<number>`row_number() over (partition by caller order by (party is null) desc, at desc, id desc)`.as('rank')])
          .where('caller', 'in', part);
        if (guard) {
          // Guard scripts of the other callers do not count: not read (nor parsed), however many.
          const counted = part.filter((c) => guard.has(c));
          ranked = counted.length ? ranked.where((eb) => eb.or([eb('party', 'is', null), eb('caller', 'in', counted)])) : ranked.where('party', 'is', null);
        }
        const q = db
          .selectFrom('script_fingerprints')
          .selectAll()
          .where('id', 'in', (eb) => eb.selectFrom(ranked.as('ranked')).select('ranked.id').where('ranked.rank', '<=', MAX_SCRIPTS_PER_CALLER));
        out.push(...(await q.execute()).map(toScript));
      }
      return out;
    },
    async candidates(keys, except, perKey, after) {
      // Usually the keys hold a few dozen scripts (one script read tens of times): then they are
      // read at once, as before pages, and no key is left with more. A crowded key costs the count.
      if ((!after || after.size === 0) && (await fewRows(db, keys, ALL_AT_ONCE))) {
        const scripts: IndexedScript[] = [];
        let q = db
          .selectFrom('script_fingerprints')
          .selectAll()
          .where('id', 'in', (eb) => eb.selectFrom('script_bands').select('script_id').where('band', 'in', keys));
        if (except.length > 0) q = q.where('caller', 'not in', except);
        scripts.push(...(await q.execute()).map(toScript));
        return { scripts, byKey: new Map() };
      }
      // One statement per chunk of keys: each key's page, walked backwards along the primary key
      // (band, script_id) from the cursor and skipping the excepted callers; then each script read
      // once. Highest id first puts `honeypot:` before `guard:` rows (ids are random UUIDs otherwise).
      const byKey = new Map<number, string[]>();
      const keysPerQuery = Math.max(1, Math.min(PAGES_PER_QUERY, Math.floor(MAX_PARAMS / (except.length + 2))));
      for (const part of chunks(keys, keysPerQuery)) {
        const pages = part.map((k) => {
          let q = db
            .selectFrom('script_bands as b')
            .innerJoin('script_fingerprints as f', 'f.id', 'b.script_id')
            .select(['b.band', 'b.script_id'])
            .where('b.band', '=', k);
          const from = after?.get(k);
          if (from !== undefined) q = q.where('b.script_id', '<', from);
          if (except.length > 0) q = q.where('f.caller', 'not in', except);
          return db.selectFrom(q.orderBy('b.script_id', 'desc').limit(perKey).as('page')).selectAll();
        });
        // Sorted by the database, whose collation the cursor (`script_id < after`) compares with.
        const union = pages.slice(1).reduce((u, q) => u.unionAll(q), pages[0]!);
        const rows = await db.selectFrom(union.as('pages')).selectAll().orderBy('band').orderBy('script_id', 'desc').execute();
        for (const r of rows) {
          const k = Number(r.band);
          let ids = byKey.get(k);
          if (!ids) byKey.set(k, (ids = []));
          ids.push(r.script_id);
        }
      }
      return { scripts: await scriptsById(db, [...new Set([...byKey.values()].flat())]), byKey };
    },
    async guardParties(callers) {
      const out = new Map<string, number>();
      for (const part of chunks(callers)) {
        const rows = await db
          .selectFrom('script_fingerprints')
          .select(['caller', (eb) => eb.fn.count<number>('party').distinct().as('n')])
          .where('caller', 'in', part)
          .where('party', 'is not', null)
          .groupBy('caller')
          .execute();
        for (const r of rows) out.set(r.caller, Number(r.n));
      }
      return out;
    },
    async memberships(callers) {
      const out = new Map<string, ScriptMembership>();
      for (const part of chunks(callers)) {
        for (const r of await membershipsOf(db, part)) {
          const had = out.get(r.caller);
          if (!had || r.members > had.members) out.set(r.caller, { campaignId: r.campaign_id, members: Number(r.members) });
        }
      }
      return out;
    },
  };
}

/** How many organisations' guard calls carry a fingerprint of this caller, leaving one script out (was it corroborated before it?). */
export async function guardPartiesWithout(db: Kysely<Database>, caller: string, scriptId: string): Promise<number> {
  const r = await db
    .selectFrom('script_fingerprints')
    .select((eb) => eb.fn.count<number>('party').distinct().as('n'))
    .where('caller', '=', caller)
    .where('party', 'is not', null)
    .where('id', '!=', scriptId)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}
