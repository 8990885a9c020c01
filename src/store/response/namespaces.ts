import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { PlatformNamespacesTable } from './schema.js';

export async function insertNamespace(db: Kysely<Database>, row: PlatformNamespacesTable): Promise<void> {
  await db.insertInto('platform_namespaces').values(row).execute();
}

export async function findNamespace(db: Kysely<Database>, id: string): Promise<PlatformNamespacesTable | undefined> {
  return db.selectFrom('platform_namespaces').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Every live claim (approved or pending) on one identifier space. */
export async function claimsOn(db: Kysely<Database>, kind: string, value: string): Promise<PlatformNamespacesTable[]> {
  return db.selectFrom('platform_namespaces').selectAll().where('kind', '=', kind).where('value', '=', value).where('status', 'in', ['approved', 'pending']).orderBy('created_at').execute();
}

/** The approved holders of any of the given spaces of one kind. */
export async function approvedHolders(db: Kysely<Database>, kind: string, values: readonly string[]): Promise<PlatformNamespacesTable[]> {
  if (values.length === 0) return [];
  return db.selectFrom('platform_namespaces').selectAll().where('kind', '=', kind).where('value', 'in', [...values]).where('status', '=', 'approved').execute();
}

export async function listNamespaces(db: Kysely<Database>, opts: { orgId?: string; status?: string }): Promise<PlatformNamespacesTable[]> {
  let q = db.selectFrom('platform_namespaces').selectAll();
  if (opts.orgId) q = q.where('org_id', '=', opts.orgId);
  if (opts.status) q = q.where('status', '=', opts.status);
  return q.orderBy('created_at').orderBy('value').limit(1000).execute();
}

export async function setNamespaceStatus(db: Kysely<Database>, id: string, from: string, to: string, by: string, at: string): Promise<boolean> {
  const r = await db.updateTable('platform_namespaces').set({ status: to, decided_by: by, decided_at: at }).where('id', '=', id).where('status', '=', from).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
