import type { Kysely } from 'kysely';
import type { Database, ListEntriesTable, ListsTable } from '../schema.js';

export async function insertList(db: Kysely<Database>, list: ListsTable, entries: ListEntriesTable[]): Promise<void> {
  await db.insertInto('lists').values(list).execute();
  for (let i = 0; i < entries.length; i += 2000) {
    await db.insertInto('list_entries').values(entries.slice(i, i + 2000)).execute();
  }
}

export async function listLists(db: Kysely<Database>, orgId: string | undefined): Promise<ListsTable[]> {
  let q = db.selectFrom('lists').selectAll().orderBy('created_at', 'desc').limit(500);
  if (orgId) q = q.where('org_id', '=', orgId);
  return q.execute();
}

export async function findList(db: Kysely<Database>, id: string): Promise<ListsTable | undefined> {
  return db.selectFrom('lists').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Lifts a list's live entry for an identifier; false when there is none (or it is already lifted). */
export async function liftListEntry(db: Kysely<Database>, listId: string, identifier: string, by: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('list_entries')
    .set({ lifted_at: at, lifted_by: by })
    .where('list_id', '=', listId)
    .where('identifier', '=', identifier)
    .where('lifted_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** The lists (with their owners) that hold a live, unlifted entry for an identifier. */
export async function listsHolding(db: Kysely<Database>, identifier: string): Promise<Pick<ListsTable, 'id' | 'org_id' | 'source' | 'name' | 'category'>[]> {
  return db
    .selectFrom('list_entries')
    .innerJoin('lists', 'lists.id', 'list_entries.list_id')
    .select(['lists.id', 'lists.org_id', 'lists.source', 'lists.name', 'list_entries.category'])
    .where('list_entries.identifier', '=', identifier)
    .where('list_entries.lifted_at', 'is', null)
    .distinct()
    .execute();
}
