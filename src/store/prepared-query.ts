// A read that runs often with new values and the same shape, built with kysely once instead of on
// every call. Building and compiling a query with joins costs kysely tens of µs, more than SQLite
// takes to run it; and on PostgreSQL a statement sent without a name is parsed and planned anew
// every time. Here the query is compiled once per store with placeholders (slots), then run with
// the call's values: on SQLite through kysely's connection (its statement cache prepares it once),
// on PostgreSQL as a named prepared statement, planned once per connection. A list of identifiers
// goes in as one parameter (listIn), so its length does not change the statement's text.
import { CompiledQuery, PostgresAdapter, sql } from 'kysely';
import type { Compilable, Kysely, RawBuilder } from 'kysely';
import { postgresPool } from './open-database.js';
import type { Database } from './schema.js';

const SLOT = Symbol('callshield.slot');

/** A parameter filled at each run: the index of the run's argument, and whether it is a list. */
interface Slot {
  readonly [SLOT]: { index: number; list: boolean };
}

const isSlot = (v: unknown): v is Slot => typeof v === 'object' && v !== null && SLOT in v;

/**
 * `column` is one of the strings of the run's argument at `index` (a string[]). On PostgreSQL the
 * array goes in through a one-row subquery: a custom plan then knows its length no better than the
 * generic plan, so after five runs the statement keeps the generic plan instead of planning every
 * run (as with the report statement, BENCHMARKS.md "Sixth session"); the index is used either way.
 */
export function listIn(engine: 'sqlite' | 'postgres', column: string, index: number): RawBuilder<boolean> {
  const slot: Slot = { [SLOT]: { index, list: true } };
  return engine === 'postgres' ? sql<boolean>`${sql.ref(column)} = any((select ${slot}::text[])::text[])` : sql<boolean>`${sql.ref(column)} in (select value from json_each(${slot}))`;
}

/** The run's argument at `index`, as a plain parameter. */
export function valueAt<T = string>(index: number): RawBuilder<T> {
  const slot: Slot = { [SLOT]: { index, list: false } };
  return sql<T>`${slot}`;
}

/**
 * A query compiled once per store by `build` (with listIn and valueAt for the run's arguments) and
 * run with `args`. `name` names the PostgreSQL prepared statement: unique per query.
 */
export function preparedQuery<Row, Args extends unknown[]>(name: string, build: (db: Kysely<Database>, engine: 'sqlite' | 'postgres') => Compilable<Row>): (db: Kysely<Database>, ...args: Args) => Promise<Row[]> {
  const compiled = new WeakMap<Kysely<Database>, CompiledQuery<Row>>();
  return async (db, ...args) => {
    // A transaction (a Kysely of its own) has no pool: it runs through kysely, on its connection.
    const pool = postgresPool(db);
    const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
    let query = compiled.get(db);
    if (!query) compiled.set(db, (query = build(db, postgres ? 'postgres' : 'sqlite').compile()));
    const values = query.parameters.map((p) => {
      if (!isSlot(p)) return p;
      const { index, list } = p[SLOT];
      const v = args[index];
      return list && !postgres ? JSON.stringify(v) : v;
    });
    if (pool) return (await pool.query({ name: `callshield_${name}`, text: query.sql, values })).rows as Row[];
    return (await db.executeQuery(CompiledQuery.raw(query.sql, values))).rows as Row[];
  };
}
