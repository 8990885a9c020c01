// A read that runs often with new values and the same shape, built with kysely once instead of on
// every call. Building and compiling a query with joins costs kysely tens of µs, more than SQLite
// takes to run it. Here the query is compiled once per store with placeholders (slots), then run
// through kysely with the call's values (SQLite's statement cache then prepares it once). A list
// of identifiers goes in as one parameter (listIn), so its length does not change the text.
// On PostgreSQL the statement is sent unnamed on purpose, planned at every run with the values in
// view. A named statement lets PostgreSQL keep a generic plan after five runs, and a generic plan
// made while a young table is nearly empty scans that table whole until the next ANALYZE: 3,416
// scans of `reports` reading 28.9 M rows in a 10 s bench on a fresh database (BENCHMARKS.md,
// "Eighth session"); planning one such read costs 0.1-0.2 ms. The evidence read of new numbers,
// which runs for every batch of reports, keeps its plan inside a function instead
// (store/reputation/evidence-function.ts).
import { CompiledQuery, PostgresAdapter, sql } from 'kysely';
import type { Compilable, Kysely, RawBuilder } from 'kysely';
import type { Engine } from './open-database.js';
import type { Database } from './schema.js';

const SLOT = Symbol('callshield.slot');

/** Whether this store (or transaction) is PostgreSQL's. */
export function onPostgres(db: Kysely<Database>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** A parameter filled at each run: the index of the run's argument, and whether it is a list. */
interface Slot {
  readonly [SLOT]: { index: number; list: boolean };
}

const isSlot = (v: unknown): v is Slot => typeof v === 'object' && v !== null && SLOT in v;

/** `column` is one of the strings of the run's argument at `index` (a string[]). */
export function listIn(engine: Engine, column: string, index: number): RawBuilder<boolean> {
  const slot: Slot = { [SLOT]: { index, list: true } };
  return engine === 'postgres' ? sql<boolean>`${sql.ref(column)} = any(${slot}::text[])` : sql<boolean>`${sql.ref(column)} in (select value from json_each(${slot}))`;
}

/** The run's argument at `index`, as a plain parameter. */
export function valueAt<T = string>(index: number): RawBuilder<T> {
  const slot: Slot = { [SLOT]: { index, list: false } };
  return sql<T>`${slot}`;
}

/** A query compiled once per store by `build` (with listIn and valueAt for the run's arguments) and run with `args`. */
export function preparedQuery<Row, Args extends unknown[]>(build: (db: Kysely<Database>, engine: Engine) => Compilable<Row>): (db: Kysely<Database>, ...args: Args) => Promise<Row[]> {
  const compiled = new WeakMap<Kysely<Database>, CompiledQuery<Row>>();
  return async (db, ...args) => {
    const postgres = onPostgres(db);
    let query = compiled.get(db);
    if (!query) compiled.set(db, (query = build(db, postgres ? 'postgres' : 'sqlite').compile()));
    const values = query.parameters.map((p) => {
      if (!isSlot(p)) return p;
      const { index, list } = p[SLOT];
      const v = args[index];
      return list && !postgres ? JSON.stringify(v) : v;
    });
    return (await db.executeQuery(CompiledQuery.raw(query.sql, values))).rows as Row[];
  };
}

/**
 * The query `build` makes, as SQL text with no parameters left, for a PostgreSQL function's body:
 * each list slot becomes `list` (the function's text[] argument), every other parameter a quoted
 * literal. Only for queries whose other parameters are the code's own constants, never input.
 */
export function inlinedForFunction(build: (db: Kysely<Database>, engine: Engine) => Compilable<unknown>, db: Kysely<Database>, list: string): string {
  const query = build(db, 'postgres').compile();
  return query.sql.replace(/\$(\d+)/g, (_, n: string) => {
    const p = query.parameters[Number(n) - 1];
    if (isSlot(p)) {
      if (!p[SLOT].list) throw new Error('inlinedForFunction: only list slots can become the argument');
      return list;
    }
    if (typeof p !== 'string') throw new Error(`inlinedForFunction: parameter $${n} is not a string constant`);
    return `'${p.replace(/'/g, "''")}'`;
  });
}
