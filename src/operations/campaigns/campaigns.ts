import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../app-context.js';
import { CallshieldError } from '../../errors.js';
import type { CampaignGroup, EvidenceKind } from '../../campaigns/index.js';
import { campaignIdsOf, getCampaign, listCampaigns, membersOf, upsertCampaign, upsertMembers } from '../../store/campaigns/campaigns.js';
import type { CampaignMembersTable } from '../../store/campaigns/schema.js';
import { inTransaction } from '../write.js';

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Stores groups found by the grouping: a group with members of a known campaign joins it (the
 * biggest one it touches), otherwise it is a new campaign. New members get the CAMPAIGN evidence
 * at once (their reputations are refreshed here). Returns the campaign ids touched.
 */
export async function mergeCampaignGroups(ctx: AppContext, groups: readonly CampaignGroup[], source: string): Promise<string[]> {
  if (groups.length === 0) return [];
  const now = ctx.now();
  const touched: string[] = [];
  const fresh: string[] = [];
  await inTransaction(ctx, async ({ db, audit, publish }) => {
    const known = await campaignIdsOf(db, groups.flatMap((g) => g.members));
    for (const g of groups) {
      const ids = [...new Set(g.members.map((m) => known.get(m)).filter((x): x is string => x !== undefined))];
      let id = ids[0];
      let existing = id ? await getCampaign(db, id) : undefined;
      for (const other of ids.slice(1)) {
        const c = await getCampaign(db, other);
        if (c && (!existing || c.members > existing.members)) [id, existing] = [other, c];
      }
      id ??= randomUUID();
      const old = existing ? await membersOf(db, id) : [];
      const oldBy = new Map(old.map((m) => [m.caller, m]));
      const rows: CampaignMembersTable[] = g.members.map((m) => {
        const prev = oldBy.get(m);
        const kinds = new Set<string>([...(prev ? (JSON.parse(prev.kinds) as string[]) : []), ...(g.kinds.get(m) ?? [])]);
        const first = Number.isFinite(g.firstSeen) ? g.firstSeen : now;
        const last = Number.isFinite(g.lastSeen) ? Math.min(g.lastSeen, now) : now;
        return { campaign_id: id!, caller: m, kinds: JSON.stringify([...kinds].sort()), first_seen: prev?.first_seen ?? iso(Math.min(first, now)), last_seen: iso(last), joined_at: prev?.joined_at ?? iso(now) };
      });
      const newMembers = rows.filter((r) => !oldBy.has(r.caller)).map((r) => r.caller);
      await upsertMembers(db, rows);
      const evidence = new Map<EvidenceKind, number>();
      for (const e of existing ? (JSON.parse(existing.evidence) as { kind: EvidenceKind; count: number }[]) : []) evidence.set(e.kind, e.count);
      for (const e of g.evidence) evidence.set(e.kind, Math.max(evidence.get(e.kind) ?? 0, e.count));
      const members = new Set([...old.map((m) => m.caller), ...g.members]).size;
      const firstSeen = [existing?.first_seen, ...rows.map((r) => r.first_seen)].filter((x): x is string => !!x).sort()[0]!;
      const lastSeen = [existing?.last_seen, ...rows.map((r) => r.last_seen)].filter((x): x is string => !!x).sort().at(-1)!;
      await upsertCampaign(db, { id, first_seen: firstSeen, last_seen: lastSeen, members, evidence: JSON.stringify([...evidence].map(([kind, count]) => ({ kind, count })).sort((a, b) => a.kind.localeCompare(b.kind))), created_at: existing?.created_at ?? iso(now), updated_at: iso(now) });
      if (newMembers.length) {
        await audit({ actor: `campaigns:${source}`, action: existing ? 'campaign.join' : 'campaign.create', subject: `campaign:${id}`, details: { members, joined: newMembers.slice(0, 100) }, at: iso(now) });
      }
      // Every member's evidence text names the campaign's size: all are re-scored.
      publish('reputation', [...new Set([...old.map((m) => m.caller), ...g.members])]);
      fresh.push(...old.map((m) => m.caller), ...g.members);
      touched.push(id);
    }
  });
  await ctx.refreshReputation([...new Set(fresh)], { publish: false });
  return touched;
}

export interface CampaignView {
  id: string;
  memberCount: number;
  firstSeen: string;
  lastSeen: string;
  evidence: { kind: string; count: number }[];
}

const view = (c: { id: string; members: number; first_seen: string; last_seen: string; evidence: string }): CampaignView => ({
  id: c.id,
  memberCount: c.members,
  firstSeen: c.first_seen,
  lastSeen: c.last_seen,
  evidence: JSON.parse(c.evidence) as { kind: string; count: number }[],
});

/** GET /v1/campaigns: the most recently active first. */
export async function campaignsList(ctx: AppContext, limit = 100): Promise<{ items: CampaignView[] }> {
  return { items: (await listCampaigns(ctx.db, limit)).map(view) };
}

/** GET /v1/campaigns/{id}: with its members, when each was seen and what ties it in. */
export async function campaignDetail(ctx: AppContext, id: string): Promise<CampaignView & { members: { caller: string; firstSeen: string; lastSeen: string; joinedAt: string; kinds: string[] }[] }> {
  const c = await getCampaign(ctx.db, id);
  if (!c) throw new CallshieldError('CAMPAIGN_NOT_FOUND', `no campaign ${id}`, { field: 'id' });
  const members = await membersOf(ctx.db, id);
  return { ...view(c), members: members.map((m) => ({ caller: m.caller, firstSeen: m.first_seen, lastSeen: m.last_seen, joinedAt: m.joined_at, kinds: JSON.parse(m.kinds) as string[] })) };
}
