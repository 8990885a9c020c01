import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { Engine } from '../open-database.js';
import { listIn, preparedQuery } from '../prepared-query.js';
import type { CampaignMembersTable, CampaignsTable } from './schema.js';

export async function campaignIdsOf(db: Kysely<Database>, callers: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < callers.length; i += 1000) {
    const rows = await db.selectFrom('campaign_members').select(['caller', 'campaign_id']).where('caller', 'in', callers.slice(i, i + 1000)).execute();
    for (const r of rows) out.set(r.caller, r.campaign_id);
  }
  return out;
}

export async function getCampaign(db: Kysely<Database>, id: string): Promise<CampaignsTable | undefined> {
  return db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listCampaigns(db: Kysely<Database>, limit: number): Promise<CampaignsTable[]> {
  return db.selectFrom('campaigns').selectAll().orderBy('last_seen', 'desc').orderBy('id').limit(limit).execute();
}

export async function membersOf(db: Kysely<Database>, id: string): Promise<CampaignMembersTable[]> {
  return db.selectFrom('campaign_members').selectAll().where('campaign_id', '=', id).orderBy('first_seen').orderBy('caller').execute();
}

export async function upsertCampaign(db: Kysely<Database>, row: CampaignsTable): Promise<void> {
  await db
    .insertInto('campaigns')
    .values(row)
    .onConflict((oc) => oc.column('id').doUpdateSet({ first_seen: row.first_seen, last_seen: row.last_seen, members: row.members, evidence: row.evidence, updated_at: row.updated_at }))
    .execute();
}

export async function upsertMembers(db: Kysely<Database>, rows: CampaignMembersTable[]): Promise<void> {
  for (const r of rows) {
    await db
      .insertInto('campaign_members')
      .values(r)
      .onConflict((oc) => oc.columns(['campaign_id', 'caller']).doUpdateSet({ kinds: r.kinds, first_seen: r.first_seen, last_seen: r.last_seen }))
      .execute();
  }
}

/** Memberships of these callers with their campaign's size and evidence (the CAMPAIGN evidence). */
export async function membershipsOf(db: Kysely<Database>, callers: readonly string[]): Promise<{ caller: string; campaign_id: string; joined_at: string; members: number; evidence: string }[]> {
  if (callers.length === 0) return [];
  return membershipsOfList(db, callers);
}

// Compiled once, the callers as one list parameter (store/prepared-query.ts): every tally build reads it.
const membershipsOfList = preparedQuery(membershipsQuery);

/** The campaigns these callers (the run's list parameter 0) belong to; also one part of store/reputation/evidence.ts's single read. */
export function membershipsQuery(db: Kysely<Database>, engine: Engine) {
  return db
    .selectFrom('campaign_members as m')
    .innerJoin('campaigns as c', 'c.id', 'm.campaign_id')
    .select(['m.caller', 'm.campaign_id', 'm.joined_at', 'c.members', 'c.evidence'])
    .where(listIn(engine, 'm.caller', 0));
}
