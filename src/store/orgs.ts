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
  revokedAt: string | null;
  expiresAt: string | null;
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

export interface NewApiKey {
  orgId: string;
  keyHash: string;
  prefix: string;
  label: string | null;
  person: string;
  at: string;
  expiresAt: string | null;
}

export async function insertApiKey(db: Kysely<Database>, k: NewApiKey): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('api_keys')
    .values({ id, org_id: k.orgId, key_hash: k.keyHash, prefix: k.prefix, label: k.label, person: k.person, created_at: k.at, revoked_at: null, expires_at: k.expiresAt, last_used_at: null, replaced_by: null })
    .execute();
  return id;
}

/** The key behind a hash, revoked and expired ones included (the caller tells the holder which). */
export async function findKeyOwner(db: Kysely<Database>, keyHash: string): Promise<KeyOwner | undefined> {
  const r = await db
    .selectFrom('api_keys')
    .innerJoin('orgs', 'orgs.id', 'api_keys.org_id')
    .select(['api_keys.id as keyId', 'api_keys.person', 'api_keys.revoked_at', 'api_keys.expires_at', 'orgs.id', 'orgs.name', 'orgs.role'])
    .where('api_keys.key_hash', '=', keyHash)
    .executeTakeFirst();
  return r ? { keyId: r.keyId, person: r.person, revokedAt: r.revoked_at, expiresAt: r.expires_at, id: r.id, name: r.name, role: r.role as Role } : undefined;
}

export interface KeyRow {
  id: string;
  orgId: string;
  org: string;
  role: Role;
  person: string | null;
  label: string | null;
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  replacedBy: string | null;
}

function keyQuery(db: Kysely<Database>) {
  return db
    .selectFrom('api_keys')
    .innerJoin('orgs', 'orgs.id', 'api_keys.org_id')
    .select([
      'api_keys.id',
      'api_keys.org_id',
      'orgs.name',
      'orgs.role',
      'api_keys.person',
      'api_keys.label',
      'api_keys.prefix',
      'api_keys.created_at',
      'api_keys.expires_at',
      'api_keys.last_used_at',
      'api_keys.revoked_at',
      'api_keys.replaced_by',
    ]);
}

type KeyQueryRow = { id: string; org_id: string; name: string; role: string; person: string | null; label: string | null; prefix: string; created_at: string; expires_at: string | null; last_used_at: string | null; revoked_at: string | null; replaced_by: string | null };

function keyRowOf(r: KeyQueryRow): KeyRow {
  return {
    id: r.id,
    orgId: r.org_id,
    org: r.name,
    role: r.role as Role,
    person: r.person,
    label: r.label,
    prefix: r.prefix,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
    replacedBy: r.replaced_by,
  };
}

export async function findApiKey(db: Kysely<Database>, keyId: string): Promise<KeyRow | undefined> {
  const r = await keyQuery(db).where('api_keys.id', '=', keyId).executeTakeFirst();
  return r ? keyRowOf(r) : undefined;
}

export async function listApiKeys(db: Kysely<Database>, opts: { orgId?: string; limit?: number } = {}): Promise<KeyRow[]> {
  let q = keyQuery(db);
  if (opts.orgId) q = q.where('api_keys.org_id', '=', opts.orgId);
  const rows = await q.orderBy('orgs.name').orderBy('api_keys.created_at').orderBy('api_keys.id').limit(Math.min(opts.limit ?? 1000, 10_000)).execute();
  return rows.map(keyRowOf);
}

export async function revokeApiKey(db: Kysely<Database>, keyId: string, at: string): Promise<boolean> {
  const r = await db.updateTable('api_keys').set({ revoked_at: at }).where('id', '=', keyId).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Marks a key as replaced by `replacedBy`, ending it at `expiresAt` (the end of the grace period); false when it was rotated or revoked meanwhile. */
export async function retireApiKey(db: Kysely<Database>, keyId: string, replacedBy: string, expiresAt: string): Promise<boolean> {
  const r = await db
    .updateTable('api_keys')
    .set({ replaced_by: replacedBy, expires_at: expiresAt })
    .where('id', '=', keyId)
    .where('revoked_at', 'is', null)
    .where('replaced_by', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Records use of a key; never moves the time backwards (two nodes may write out of order). */
export async function touchApiKey(db: Kysely<Database>, keyId: string, at: string): Promise<void> {
  await db
    .updateTable('api_keys')
    .set({ last_used_at: at })
    .where('id', '=', keyId)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', at)]))
    .execute();
}

/** The names of every organisation with a role (the banks a police unit may address a freeze to). */
export async function orgNamesByRole(db: Kysely<Database>, role: string): Promise<string[]> {
  const rows = await db.selectFrom('orgs').select('name').where('role', '=', role).orderBy('name').execute();
  return rows.map((r) => r.name);
}

/** The language of an organisation's webhook events (migration 0023; null until set). */
export async function orgLanguage(db: Kysely<Database>, id: string): Promise<string | null> {
  const r = await db.selectFrom('orgs').select('language').where('id', '=', id).executeTakeFirst();
  return r?.language ?? null;
}

/** The languages of several organisations at once (one query for an event's targets). */
export async function orgLanguages(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, string | null>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('orgs').select(['id', 'language']).where('id', 'in', [...ids]).execute();
  return new Map(rows.map((r) => [r.id, r.language]));
}

export async function setOrgLanguage(db: Kysely<Database>, id: string, language: string): Promise<boolean> {
  const r = await db.updateTable('orgs').set({ language }).where('id', '=', id).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
