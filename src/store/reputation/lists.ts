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
