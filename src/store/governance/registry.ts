import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { GovernanceConsentsTable, GovernanceDncTable, GovernanceHoldersTable } from './schema.js';

// Do-not-call registrations, consents and number-holder blocks: the store behind the in-memory
// indexes of src/operations/governance/state.ts.

export async function upsertDnc(db: Kysely<Database>, row: GovernanceDncTable): Promise<void> {
  await db
    .insertInto('governance_dnc')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['person_hash', 'org_id']).doUpdateSet({ registered_at: row.registered_at, withdrawn_at: null, via: row.via, registered_by: row.registered_by, index_key: row.index_key }),
    )
    .execute();
}

/** One organisation's registration of a person (active or withdrawn). */
export async function findDnc(db: Kysely<Database>, personHash: string, orgId: string): Promise<GovernanceDncTable | undefined> {
  return db.selectFrom('governance_dnc').selectAll().where('person_hash', '=', personHash).where('org_id', '=', orgId).executeTakeFirst();
}

/** Every organisation's registrations of some people (active or withdrawn), to bring one node's set up to date. */
export async function dncByPersonHashes(db: Kysely<Database>, personHashes: readonly string[]): Promise<GovernanceDncTable[]> {
  const out: GovernanceDncTable[] = [];
  for (let i = 0; i < personHashes.length; i += 500) {
    out.push(...(await db.selectFrom('governance_dnc').selectAll().where('person_hash', 'in', personHashes.slice(i, i + 500)).execute()));
  }
  return out;
}

/** Withdraws the active registrations of a person: one organisation's, or (orgId null, an admin) all. Returns how many. */
export async function withdrawDnc(db: Kysely<Database>, personHash: string, orgId: string | null, at: string): Promise<number> {
  let q = db.updateTable('governance_dnc').set({ withdrawn_at: at }).where('person_hash', '=', personHash).where('withdrawn_at', 'is', null);
  if (orgId !== null) q = q.where('org_id', '=', orgId);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Index keys of every number with an active registration, in pages (to build the in-memory set at start-up). */
export async function* activeDncKeys(db: Kysely<Database>, pageSize = 20_000): AsyncGenerator<string[]> {
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom('governance_dnc')
      .select(['person_hash', 'index_key'])
      .distinct()
      .where('person_hash', '>', after)
      .where('withdrawn_at', 'is', null)
      .orderBy('person_hash')
      .limit(pageSize)
      .execute();
    if (rows.length === 0) return;
    yield rows.map((r) => r.index_key);
    after = rows[rows.length - 1]!.person_hash;
  }
}

/**
 * When each number that has consents on record was last registered (active registrations only):
 * the scrub needs the time only where a consent could outrank the registration.
 */
export async function dncTimesOfConsented(db: Kysely<Database>): Promise<{ index_key: string; registered_at: string }[]> {
  return db
    .selectFrom('governance_dnc as d')
    .select(['d.index_key', (eb) => eb.fn.max('d.registered_at').as('registered_at')])
    .where('d.withdrawn_at', 'is', null)
    .where((eb) => eb.exists(eb.selectFrom('governance_consents as c').select('c.id').whereRef('c.person_hash', '=', 'd.person_hash')))
    .groupBy('d.index_key')
    .execute() as Promise<{ index_key: string; registered_at: string }[]>;
}

/** Numbers on the list (a number several organisations registered counts once). */
export async function countActiveDnc(db: Kysely<Database>): Promise<number> {
  const r = await db
    .selectFrom('governance_dnc')
    .select(({ fn }) => fn.count<number>('person_hash').distinct().as('n'))
    .where('withdrawn_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function insertConsent(db: Kysely<Database>, row: GovernanceConsentsTable): Promise<void> {
  await db.insertInto('governance_consents').values(row).execute();
}

export async function findConsent(db: Kysely<Database>, id: string): Promise<GovernanceConsentsTable | undefined> {
  return db.selectFrom('governance_consents').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function consentsByIds(db: Kysely<Database>, ids: readonly string[]): Promise<GovernanceConsentsTable[]> {
  const out: GovernanceConsentsTable[] = [];
  for (let i = 0; i < ids.length; i += 500) out.push(...(await db.selectFrom('governance_consents').selectAll().where('id', 'in', ids.slice(i, i + 500)).execute()));
  return out;
}

export async function setConsentRevoked(db: Kysely<Database>, id: string, at: string, by: string): Promise<void> {
  await db.updateTable('governance_consents').set({ revoked_at: at, revoked_by: by }).where('id', '=', id).execute();
}

/** A person's consents to one business that are not withdrawn (expired ones included: withdrawing them is harmless). */
export async function unrevokedConsentsOf(db: Kysely<Database>, personHash: string, businessKey: string): Promise<GovernanceConsentsTable[]> {
  return db.selectFrom('governance_consents').selectAll().where('person_hash', '=', personHash).where('business_key', '=', businessKey).where('revoked_at', 'is', null).execute();
}

export async function listConsents(db: Kysely<Database>, filter: { personHash?: string; businessKey?: string; orgId?: string }, limit = 500): Promise<GovernanceConsentsTable[]> {
  let q = db.selectFrom('governance_consents').selectAll().orderBy('created_at', 'desc').limit(limit);
  if (filter.personHash) q = q.where('person_hash', '=', filter.personHash);
  if (filter.businessKey) q = q.where('business_key', '=', filter.businessKey);
  if (filter.orgId) q = q.where('org_id', '=', filter.orgId);
  return q.execute();
}

export async function* allConsents(db: Kysely<Database>, pageSize = 20_000): AsyncGenerator<GovernanceConsentsTable[]> {
  let after = '';
  for (;;) {
    const rows = await db.selectFrom('governance_consents').selectAll().where('id', '>', after).orderBy('id').limit(pageSize).execute();
    if (rows.length === 0) return;
    yield rows;
    after = rows[rows.length - 1]!.id;
  }
}

export async function allHolderBlocks(db: Kysely<Database>): Promise<GovernanceHoldersTable[]> {
  return db.selectFrom('governance_holders').selectAll().execute();
}

export async function insertHolderBlocks(db: Kysely<Database>, rows: GovernanceHoldersTable[]): Promise<void> {
  // 12 columns a row: 2,000 rows stay under SQLite's 32,766 bound variables.
  for (let i = 0; i < rows.length; i += 2000) await db.insertInto('governance_holders').values(rows.slice(i, i + 2000)).execute();
}

export async function updateHolderBlock(db: Kysely<Database>, id: string, set: Pick<GovernanceHoldersTable, 'holder' | 'identity_level' | 'use' | 'updated_at' | 'holder_org_id'>): Promise<void> {
  await db.updateTable('governance_holders').set(set).where('id', '=', id).execute();
}
