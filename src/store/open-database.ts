import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, SqliteDriver } from 'kysely';
import type { DatabaseConnection, Driver, SqliteDatabase } from 'kysely';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import type { Database } from './schema.js';

export type Engine = 'sqlite' | 'postgres';

export interface OpenDatabase {
  readonly db: Kysely<Database>;
  readonly engine: Engine;
}

// Write transactions take SQLite's write lock up front (BEGIN IMMEDIATE). With kysely's default
// deferred BEGIN, two processes on one file (a server and `callshield import`, or two nodes) can
// both read the audit chain's head and then collide on the insert; IMMEDIATE makes the second one
// wait (busy_timeout) and read the new head instead.
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: ConstructorParameters<typeof SqliteDialect>[0];
  constructor(config: ConstructorParameters<typeof SqliteDialect>[0]) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

// kysely's SQLite driver prepares every statement anew; preparing took about a sixth of a transfer
// check's CPU in a profile. The same few hundred SQL texts recur, so kysely gets the database
// through this small adapter (its SqliteDatabase contract is just prepare and close), which keeps
// prepared statements by their text (bounded, oldest dropped first).
function withStatementCache(db: SQLite.Database, limit = 500): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => db.close(),
    prepare(source: string): SQLite.Statement {
      let stmt = cache.get(source);
      if (!stmt) {
        if (cache.size >= limit) cache.delete(cache.keys().next().value!);
        stmt = db.prepare(source);
        cache.set(source, stmt);
      }
      return stmt;
    },
  };
}

// The better-sqlite3 handle under each SQLite store, for the few hot writes that run their own
// prepared statements (preparedOnSqlite).
const sqliteHandles = new WeakMap<Kysely<Database>, SQLite.Database>();
const preparedSets = new WeakMap<SQLite.Database, Map<unknown, unknown>>();

/**
 * Statements prepared once per SQLite store by `prepare` (undefined on PostgreSQL), for a hot write
 * that skips kysely's query building. Run them only inside a transaction kysely opened on `db`
 * (which holds the store's one connection until it commits): never outside one, where they would
 * land in whatever transaction another request has open.
 */
export function preparedOnSqlite<T>(db: Kysely<Database>, prepare: (sqlite: SQLite.Database) => T): T | undefined {
  const sqlite = sqliteHandles.get(db);
  if (!sqlite) return undefined;
  let sets = preparedSets.get(sqlite);
  if (!sets) preparedSets.set(sqlite, (sets = new Map()));
  let set = sets.get(prepare) as T | undefined;
  if (set === undefined) sets.set(prepare, (set = prepare(sqlite)));
  return set;
}

const postgresPools = new WeakMap<Kysely<Database>, pg.Pool>();

/**
 * The pg pool under a PostgreSQL store (undefined on SQLite), for a hot statement that is its own
 * transaction and runs as a named prepared statement: PostgreSQL parses and plans it once per
 * connection instead of on every call. The pool hands out an idle connection, never one inside a
 * transaction kysely holds, so use it only for statements that need no transaction around them.
 */
export function postgresPool(db: Kysely<Database>): pg.Pool | undefined {
  return postgresPools.get(db);
}

/**
 * Runs `text` as the named prepared statement `name` on the pool under `db` (postgresPool), or,
 * where there is none (a transaction, a store opened without one), as a plain statement through
 * kysely. Either way one statement, its own transaction unless `db` is one.
 */
export async function runNamed<R>(db: Kysely<Database>, name: string, text: string, values: unknown[]): Promise<R[]> {
  const pool = postgresPools.get(db);
  return pool ? (await pool.query<R & pg.QueryResultRow>({ name, text, values })).rows : (await db.executeQuery<R>(CompiledQuery.raw(text, values))).rows;
}

/** Opens the store: PostgreSQL when a URL is given, else the embedded SQLite file (created if missing). */
export function openDatabase(options: { dbPath: string; databaseUrl?: string | undefined; sqliteSync?: 'normal' | 'full' }): OpenDatabase {
  if (options.databaseUrl) {
    // A short connect timeout turns "the database is away" into a fast 503 instead of a hung request.
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10, connectionTimeoutMillis: 3000 });
    pool.on('error', () => {}); // an idle client losing its connection is not fatal; the next query reconnects
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    postgresPools.set(db, pool);
    return { db, engine: 'postgres' };
  }
  if (options.dbPath !== ':memory:') mkdirSync(dirname(options.dbPath), { recursive: true });
  const sqlite = new SQLite(options.dbPath);
  // WAL lets the CLI read (audit verify, imports) while the server writes. NORMAL sync (the default)
  // is durable across application crashes; a power cut or OS crash can lose the last commits (the
  // file stays consistent). CALLSHIELD_SQLITE_SYNC=full syncs the WAL on every commit instead: no
  // acknowledged write lost, one fsync per write transaction.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${options.sqliteSync === 'full' ? 'FULL' : 'NORMAL'}`);
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }) });
  sqliteHandles.set(db, sqlite);
  return { db, engine: 'sqlite' };
}
