import SQLite from 'better-sqlite3';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema.js';
import type { BlocklistEntriesTable, BlocklistVersionsTable } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export type BlocklistRow = BlocklistEntriesTable;
export type BlocklistVersionRow = BlocklistVersionsTable;

export async function latestBlocklistVersion(db: Db): Promise<BlocklistVersionRow | undefined> {
  return db.selectFrom('blocklist_versions').selectAll().orderBy('version', 'desc').limit(1).executeTakeFirst();
}

export async function blocklistVersion(db: Db, version: number): Promise<BlocklistVersionRow | undefined> {
  return db.selectFrom('blocklist_versions').selectAll().where('version', '=', version).executeTakeFirst();
}

/** Every entry on a list now, page by page (keyset on the primary key). */
export async function* currentBlocklistEntries(db: Db, pageSize = 50_000): AsyncGenerator<BlocklistRow[]> {
  let after: { list: string; identifier: string } | undefined;
  for (;;) {
    let q = db.selectFrom('blocklist_entries').selectAll().where('removed_version', 'is', null);
    if (after) {
      const a = after;
      q = q.where((eb) => eb.or([eb('list', '>', a.list), eb.and([eb('list', '=', a.list), eb('identifier', '>', a.identifier)])]));
    }
    const rows = await q.orderBy('list').orderBy('identifier').limit(pageSize).execute();
    if (rows.length === 0) return;
    yield rows;
    const last = rows[rows.length - 1]!;
    after = { list: last.list, identifier: last.identifier };
    if (rows.length < pageSize) return;
  }
}

/** Entries of one list as of `version`, in identifier order or (phones only) number order, page by page. */
export async function* blocklistPages(db: Db, list: string, version: number, order: 'identifier' | 'number', pageSize = 50_000): AsyncGenerator<Pick<BlocklistRow, 'identifier' | 'number_key' | 'category' | 'label'>[]> {
  const col = order === 'number' ? ('number_key' as const) : ('identifier' as const);
  let after: string | undefined;
  for (;;) {
    let q = db
      .selectFrom('blocklist_entries')
      .select(['identifier', 'number_key', 'category', 'label'])
      .where('list', '=', list)
      .where('added_version', '<=', version)
      .where((eb) => eb.or([eb('removed_version', 'is', null), eb('removed_version', '>', version)]));
    if (order === 'number') q = q.where('number_key', 'is not', null);
    if (after !== undefined) q = q.where(col, '>', after);
    const rows = await q.orderBy(col).limit(pageSize).execute();
    if (rows.length === 0) return;
    yield rows;
    after = rows[rows.length - 1]![col]!;
    if (rows.length < pageSize) return;
  }
}

/**
 * What changed on one list after `since` up to `version`: entries added (or relabelled), and
 * entries removed. A removal is sent even for an entry added after `since` (the client never had
 * it; removing what is not there is harmless): a relabel overwrites the version an entry first
 * entered at, so "was it there at `since`" cannot always be told.
 */
export async function blocklistDelta(db: Db, list: string, since: number, version: number): Promise<{ added: BlocklistRow[]; removed: BlocklistRow[] }> {
  const added = await db
    .selectFrom('blocklist_entries')
    .selectAll()
    .where('list', '=', list)
    .where('added_version', '>', since)
    .where('added_version', '<=', version)
    .where((eb) => eb.or([eb('removed_version', 'is', null), eb('removed_version', '>', version)]))
    .orderBy('identifier')
    .execute();
  const removed = await db
    .selectFrom('blocklist_entries')
    .selectAll()
    .where('list', '=', list)
    .where('removed_version', '>', since)
    .where('removed_version', '<=', version)
    .orderBy('identifier')
    .execute();
  return { added, removed };
}

export async function upsertBlocklistEntry(trx: Db, row: BlocklistRow): Promise<void> {
  await trx
    .insertInto('blocklist_entries')
    .values(row)
    .onConflict((oc) => oc.columns(['list', 'identifier']).doUpdateSet({ number_key: row.number_key, category: row.category, label: row.label, added_version: row.added_version, removed_version: null }))
    .execute();
}

export async function removeBlocklistEntries(trx: Db, list: string, identifiers: string[], version: number): Promise<void> {
  for (let i = 0; i < identifiers.length; i += 500) {
    await trx.updateTable('blocklist_entries').set({ removed_version: version }).where('list', '=', list).where('identifier', 'in', identifiers.slice(i, i + 500)).where('removed_version', 'is', null).execute();
  }
}

export async function insertBlocklistVersion(trx: Db, row: BlocklistVersionRow): Promise<void> {
  await trx.insertInto('blocklist_versions').values(row).execute();
}

/**
 * The same pages as blocklistPages, on SQLite through a read-only connection of its own and one
 * prepared statement's iterator: a single read transaction (one consistent snapshot in WAL mode)
 * and no query per page. What `callshield export blocklist` and GET /v1/blocklist use on a SQLite
 * file (an in-memory store has no file to open twice, and PostgreSQL uses blocklistPages).
 */
export async function* blocklistPagesSqlite(dbPath: string, list: string, version: number, order: 'identifier' | 'number', pageSize = 50_000): AsyncGenerator<Pick<BlocklistRow, 'identifier' | 'number_key' | 'category' | 'label'>[]> {
  const db = new SQLite(dbPath, { readonly: true, fileMustExist: true });
  try {
    const stmt = db.prepare(
      `select identifier, number_key, category, label from blocklist_entries
        where list = ? and added_version <= ? and (removed_version is null or removed_version > ?)
        ${order === 'number' ? 'and number_key is not null order by list, number_key' : 'order by list, identifier'}`,
    );
    let page: Pick<BlocklistRow, 'identifier' | 'number_key' | 'category' | 'label'>[] = [];
    for (const r of stmt.iterate(list, version, version) as IterableIterator<Pick<BlocklistRow, 'identifier' | 'number_key' | 'category' | 'label'>>) {
      page.push(r);
      if (page.length === pageSize) {
        yield page;
        page = [];
      }
    }
    if (page.length) yield page;
  } finally {
    db.close();
  }
}
