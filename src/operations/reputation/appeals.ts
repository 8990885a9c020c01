import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../app-context.js';
import { CallshieldError } from '../../errors.js';
import { parseIdentifier } from '../../identity/index.js';
import { OVERSEERS } from '../../auth/index.js';
import type { Evidence, EvidenceSource } from '../../reputation/index.js';
import { chargeFalseReports, decideAppeal as storeDecide, findAppeal, insertAppeal, insertAppealNotices, listAppealNotices, listAppeals as storeList } from '../../store/reputation/appeals.js';
import type { AppealRow } from '../../store/reputation/appeals.js';
import { heldReporters } from '../../store/reputation/bursts.js';
import { loadEvidence } from '../../store/reputation/evidence.js';
import { liftListEntry, listsHolding } from '../../store/reputation/lists.js';
import type { AppealNoticesTable, AppealsTable } from '../../store/schema.js';
import { describeActor } from '../actor.js';
import type { Actor } from '../actor.js';
import { loadGovernance } from '../governance/state.js';
import { enqueueEvent, orgTargets } from '../payments/events.js';
import { inTransaction } from '../write.js';
import { lookupReputation, mayReadListName } from './lookup.js';

/** At most this many listings named in one appeal. */
export const MAX_APPEAL_LISTINGS = 20;

export interface AppealView {
  id: string;
  identifier: string;
  status: 'pending' | 'upheld' | 'rejected';
  evidence: string;
  contact: string | null;
  /** Who filed it: the organisation and the person behind the key. */
  appellant: { org: { id: string; name: string | null }; person: string | null };
  /** True when the appellant is the registered holder of the number (holder entries that name the business organisation). */
  holderVerified: boolean;
  /** The partner lists the appeal contests: an upheld appeal lifts exactly these entries. */
  listings: string[];
  createdAt: string;
  decidedAt: string | null;
  decisionReason: string | null;
  /** What the decider (a regulator or admin) sees: holder match, current score and evidence by source. */
  context?: AppealContext;
}

export interface AppealContext {
  holder: { registered: boolean; holder: string | null; org: string | null; carrier: string | null; appellantIsHolder: boolean };
  score: number;
  category: string | null;
  label: string;
  confirmed: boolean;
  evidence: {
    crowd: { reports: number; reporters: number; organisations: number; complaints: number; heldForReview: number };
    notSpam: { reporters: number; organisations: number };
    lists: { list: string; source: string; name: string | null; owner: string; named: boolean }[];
    pattern: number;
    attestation: number;
  };
}

function parseListings(raw: string | null | undefined): string[] {
  if (!raw) return [];
  try {
    const v = JSON.parse(raw) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

function view(a: AppealRow | (AppealsTable & { org_name?: string | null })): AppealView {
  return {
    id: a.id,
    identifier: a.identifier,
    status: a.status as AppealView['status'],
    evidence: a.evidence,
    contact: a.contact,
    appellant: { org: { id: a.org_id, name: a.org_name ?? null }, person: a.person ?? null },
    holderVerified: Number(a.holder_verified ?? 0) === 1,
    listings: parseListings(a.listings),
    createdAt: a.created_at,
    decidedAt: a.decided_at,
    decisionReason: a.decision_reason,
  };
}

/** The registered holder block of a phone number, from the in-memory registry. */
async function holderOf(ctx: AppContext, canonical: string): Promise<{ holder: string; holderOrgId: string | null; carrierOrgId: string; carrierName: string } | undefined> {
  if (!canonical.startsWith('+')) return undefined;
  const b = (await loadGovernance(ctx)).holders.lookup(canonical.slice(1));
  return b ? { holder: b.holder, holderOrgId: b.holderOrgId ?? null, carrierOrgId: b.carrierOrgId, carrierName: b.carrierName } : undefined;
}

/**
 * A business says a label on its number is wrong, with evidence (licence, registration, call
 * purpose). When the number's holder block names a business organisation, only that organisation
 * (or the carrier that registered the block, or an admin) may appeal: anyone else gets 403
 * APPEAL_NOT_HOLDER. An appeal may name the partner listings it contests.
 */
export async function fileAppeal(ctx: AppContext, input: { identifier: string; evidence: string; contact?: string; listings?: string[] }, actor: Actor): Promise<AppealView> {
  const id = parseIdentifier(input.identifier, { defaultRegion: ctx.config.defaultRegion }, 'identifier');
  if (id.kind === 'anonymous') throw new CallshieldError('IDENTITY_ANONYMOUS_NOT_ALLOWED', 'an appeal names an identifier', { field: 'identifier' });
  if (typeof input.evidence !== 'string' || input.evidence.trim().length < 10) {
    throw new CallshieldError('REQUEST_INVALID_BODY', 'evidence must describe why the label is wrong (at least 10 characters)', { field: 'evidence' });
  }
  const holder = await holderOf(ctx, id.canonical);
  const holderVerified = !!holder?.holderOrgId && holder.holderOrgId === actor.orgId;
  if (holder?.holderOrgId && !holderVerified && actor.role !== 'admin' && actor.orgId !== holder.carrierOrgId) {
    throw new CallshieldError('APPEAL_NOT_HOLDER', `${id.canonical} is registered to another organisation; only its holder may appeal its label`, { field: 'identifier' });
  }
  const listings = [...new Set(input.listings ?? [])];
  if (listings.length > MAX_APPEAL_LISTINGS) throw new CallshieldError('REQUEST_INVALID_BODY', `an appeal names at most ${MAX_APPEAL_LISTINGS} listings`, { field: 'listings' });
  if (listings.length) {
    const live = new Set((await listsHolding(ctx.db, id.canonical)).map((l) => l.id));
    listings.forEach((l, i) => {
      if (!live.has(l)) throw new CallshieldError('REQUEST_INVALID_BODY', `list ${l} has no live entry for ${id.canonical} (the look-up timeline names each list's id)`, { field: `listings.${i}` });
    });
  }
  const at = new Date(ctx.now()).toISOString();
  const row: AppealsTable = {
    id: randomUUID(),
    identifier: id.canonical,
    org_id: actor.orgId,
    evidence: input.evidence.trim(),
    contact: input.contact?.trim() || null,
    status: 'pending',
    created_at: at,
    decided_at: null,
    decided_by: null,
    decision_reason: null,
    person: actor.person,
    holder_verified: holderVerified ? 1 : 0,
    listings: listings.length ? JSON.stringify(listings) : null,
    decided_person: null,
  };
  await inTransaction(ctx, async ({ db, audit }) => {
    await insertAppeal(db, row);
    await audit({ actor: describeActor(actor), action: 'appeal.file', subject: `appeal:${row.id}`, details: { identifier: id.canonical, holderVerified, listings }, at });
  });
  return view({ ...row, org_name: actor.orgName });
}

const isOverseer = (actor: Actor): boolean => OVERSEERS.includes(actor.role);

export async function listAppeals(ctx: AppContext, actor: Actor, status?: string): Promise<(AppealView & { score?: number })[]> {
  const own = isOverseer(actor) ? undefined : actor.orgId;
  const rows = await storeList(ctx.db, { ...(own ? { orgId: own } : {}), ...(status ? { status } : {}) });
  // The decider's queue shows each number's current score from the hot index; the full context is on GET /v1/appeals/{id}.
  return rows.map((a) => (own ? view(a) : { ...view(a), score: ctx.index.get(a.identifier)?.score ?? 0 }));
}

/** What the decider sees of an appeal: holder match, current score and the evidence by source. */
async function appealContext(ctx: AppContext, a: AppealRow, actor: Actor): Promise<AppealContext> {
  const rep = await lookupReputation(ctx, a.identifier);
  const holder = await holderOf(ctx, a.identifier);
  const bundle = (await loadEvidence(ctx.db, [a.identifier])).get(a.identifier);
  const now = ctx.now();
  const counting = (bundle?.evidence ?? []).filter(
    (e) => e.at <= now && (e.expiresAt === undefined || e.expiresAt > now) && !(bundle?.clearance && e.source === 'crowd' && e.at <= bundle.clearance.clearedAt),
  );
  const named = new Set(parseListings(a.listings));
  const crowd = counting.filter((e) => e.source === 'crowd' && !e.negative);
  const notSpam = counting.filter((e) => e.source === 'crowd' && e.negative);
  const distinct = (xs: Evidence[], key: (e: Evidence) => string | undefined): number => new Set(xs.map(key).filter((k) => k !== undefined)).size;
  const lists = new Map<string, AppealContext['evidence']['lists'][number]>();
  const listNames = new Map<string, string>();
  for (const l of await listsHolding(ctx.db, a.identifier)) listNames.set(l.id, l.name);
  for (const e of counting) {
    if (!e.listId || lists.has(e.listId)) continue;
    const owner = e.org ?? '';
    lists.set(e.listId, { list: e.listId, source: e.source, name: mayReadListName(actor, owner) ? (listNames.get(e.listId) ?? e.origin ?? null) : null, owner, named: named.has(e.listId) });
  }
  const count = (source: EvidenceSource): number => counting.filter((e) => e.source === source).length;
  return {
    holder: {
      registered: !!holder,
      holder: holder?.holder ?? null,
      org: holder?.holderOrgId ?? null,
      carrier: holder?.carrierName ?? null,
      appellantIsHolder: !!holder?.holderOrgId && holder.holderOrgId === a.org_id,
    },
    score: rep.score,
    category: rep.category,
    label: rep.label,
    confirmed: rep.confirmed,
    evidence: {
      crowd: {
        reports: crowd.length,
        reporters: distinct(crowd, (e) => e.reporter),
        organisations: distinct(crowd, (e) => e.org),
        complaints: crowd.filter((e) => e.reporter?.startsWith('complaint:')).length,
        heldForReview: await heldReporters(ctx.db, a.identifier),
      },
      notSpam: { reporters: distinct(notSpam, (e) => e.reporter), organisations: distinct(notSpam, (e) => e.org) },
      lists: [...lists.values()],
      pattern: count('pattern'),
      attestation: count('attestation'),
    },
  };
}

/** One appeal: its appellant sees it as filed; a regulator or admin also sees the decider's context. */
export async function getAppeal(ctx: AppContext, id: string, actor: Actor): Promise<AppealView> {
  const a = await findAppeal(ctx.db, id);
  if (!a || (!isOverseer(actor) && a.org_id !== actor.orgId)) throw new CallshieldError('REPUTATION_APPEAL_NOT_FOUND', `no appeal ${id}`, { field: 'id' });
  const v = view(a);
  if (isOverseer(actor)) v.context = await appealContext(ctx, a, actor);
  return v;
}

/**
 * An admin or regulator decides. Upholding clears the crowd evidence from before the decision and
 * charges its reporters; it lifts exactly the listings the appeal named. Every other listing stays
 * until its owner lifts it, and every organisation with a listing on the number is told: a notice
 * (GET /v1/lists/notices) and a signed `appeal.upheld` webhook through the outbox.
 */
export async function decideAppeal(ctx: AppContext, id: string, input: { decision: 'upheld' | 'rejected'; reason: string }, actor: Actor): Promise<AppealView> {
  if (input.decision !== 'upheld' && input.decision !== 'rejected') {
    throw new CallshieldError('REQUEST_INVALID_BODY', 'decision must be "upheld" or "rejected"', { field: 'decision' });
  }
  if (typeof input.reason !== 'string' || !input.reason.trim()) {
    throw new CallshieldError('REQUEST_INVALID_BODY', 'every decision needs a reason', { field: 'reason' });
  }
  const at = new Date(ctx.now()).toISOString();
  const reason = input.reason.trim();
  const decided = await inTransaction(ctx, async ({ db, audit, publish }) => {
    const appeal = await findAppeal(db, id);
    if (!appeal) throw new CallshieldError('REPUTATION_APPEAL_NOT_FOUND', `no appeal ${id}`, { field: 'id' });
    if (!(await storeDecide(db, id, input.decision, actor.orgId, actor.person, reason, at))) {
      throw new CallshieldError('REPUTATION_APPEAL_ALREADY_DECIDED', `appeal ${id} is already ${appeal.status}`);
    }
    let charged = 0;
    const lifted: string[] = [];
    const kept: string[] = [];
    if (input.decision === 'upheld') {
      charged = await chargeFalseReports(db, appeal.identifier, at);
      const named = new Set(parseListings(appeal.listings));
      const listings = await listsHolding(db, appeal.identifier);
      const notices: AppealNoticesTable[] = [];
      const byOwner = new Map<string, { list: string; name: string; source: string; lifted: boolean }[]>();
      for (const l of listings) {
        const lift = named.has(l.id) && (await liftListEntry(db, l.id, appeal.identifier, `appeal:${id}`, at));
        (lift ? lifted : kept).push(l.id);
        notices.push({ id: randomUUID(), org_id: l.org_id, appeal_id: id, identifier: appeal.identifier, list_id: l.id, lifted: lift ? 1 : 0, created_at: at });
        let mine = byOwner.get(l.org_id);
        if (!mine) byOwner.set(l.org_id, (mine = []));
        mine.push({ list: l.id, name: l.name, source: l.source, lifted: lift });
      }
      await insertAppealNotices(db, notices);
      for (const [owner, lists] of byOwner) {
        const targets = await orgTargets(db, [owner]);
        if (targets.length) await enqueueEvent(ctx, db, 'appeal.upheld', { appeal: id, identifier: appeal.identifier, decidedAt: at, reason, lists }, targets);
      }
    }
    await audit({
      actor: describeActor(actor),
      action: `appeal.${input.decision}`,
      subject: `appeal:${id}`,
      details: { identifier: appeal.identifier, reason, reportersCharged: charged, listingsLifted: lifted, listingsKept: kept },
      at,
    });
    publish('reputation', [appeal.identifier]);
    return (await findAppeal(db, id))!;
  });
  // Charged reporters weigh less on every caller they reported: incremental tallies start again from the store.
  if (decided.status === 'upheld') ctx.tallies.clear();
  await ctx.refreshReputation([decided.identifier], { publish: false });
  const v = view(decided);
  v.context = await appealContext(ctx, decided, actor);
  return v;
}

/** A list owner's notices: upheld appeals on numbers its lists hold, and whether its entry was lifted. */
export async function listNotices(ctx: AppContext, actor: Actor): Promise<{ appeal: string; identifier: string; list: string; listName: string; lifted: boolean; decidedAt: string | null; decisionReason: string | null }[]> {
  const rows = await listAppealNotices(ctx.db, isOverseer(actor) ? undefined : actor.orgId);
  return rows.map((n) => ({ appeal: n.appeal_id, identifier: n.identifier, list: n.list_id, listName: n.list_name, lifted: Number(n.lifted) === 1, decidedAt: n.decided_at, decisionReason: n.decision_reason }));
}
