import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Role } from '../auth/index.js';
import type { Database } from './schema.js';

export interface OrgRow {
  id: string;
  name: string;
  role: Role;
}

export interface KeyOwner extends OrgRow {
  keyId: string;
  person: string | null;
}

export async function findOrgByName(db: Kysely<Database>, name: string): Promise<OrgRow | undefined> {
  const r = await db.selectFrom('orgs').select(['id', 'name', 'role']).where('name', '=', name).executeTakeFirst();
  return r ? { id: r.id, name: r.name, role: r.role as Role } : undefined;
}

export async function findOrgById(db: Kysely<Database>, id: string): Promise<OrgRow | undefined> {
  const r = await db.selectFrom('orgs').select(['id', 'name', 'role']).where('id', '=', id).executeTakeFirst();
  return r ? { id: r.id, name: r.name, role: r.role as Role } : undefined;
}

export async function insertOrg(db: Kysely<Database>, name: string, role: Role, at: string): Promise<OrgRow> {
  const org = { id: randomUUID(), name, role };
  await db.insertInto('orgs').values({ ...org, created_at: at }).execute();
  return org;
}

export async function listOrgs(db: Kysely<Database>): Promise<(OrgRow & { createdAt: string; keys: number })[]> {
  const rows = await db
    .selectFrom('orgs')
    .leftJoin('api_keys', (j) => j.onRef('api_keys.org_id', '=', 'orgs.id').on('api_keys.revoked_at', 'is', null))
    .select(({ fn }) => ['orgs.id', 'orgs.name', 'orgs.role', 'orgs.created_at', fn.count<number>('api_keys.id').as('keys')])
    .groupBy(['orgs.id', 'orgs.name', 'orgs.role', 'orgs.created_at'])
    .orderBy('orgs.name')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, role: r.role as Role, createdAt: r.created_at, keys: Number(r.keys) }));
}

export async function insertApiKey(db: Kysely<Database>, orgId: string, keyHash: string, prefix: string, label: string | null, person: string, at: string): Promise<string> {
  const id = randomUUID();
  await db.insertInto('api_keys').values({ id, org_id: orgId, key_hash: keyHash, prefix, label, person, created_at: at, revoked_at: null }).execute();
  return id;
}

export async function findKeyOwner(db: Kysely<Database>, keyHash: string): Promise<KeyOwner | undefined> {
  const r = await db
    .selectFrom('api_keys')
    .innerJoin('orgs', 'orgs.id', 'api_keys.org_id')
    .select(['api_keys.id as keyId', 'api_keys.person', 'orgs.id', 'orgs.name', 'orgs.role'])
    .where('api_keys.key_hash', '=', keyHash)
    .where('api_keys.revoked_at', 'is', null)
    .executeTakeFirst();
  return r ? { keyId: r.keyId, person: r.person, id: r.id, name: r.name, role: r.role as Role } : undefined;
}

export async function revokeApiKey(db: Kysely<Database>, keyId: string, at: string): Promise<boolean> {
  const r = await db.updateTable('api_keys').set({ revoked_at: at }).where('id', '=', keyId).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
