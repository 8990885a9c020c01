// Bursts of new reporters (reputation/burst.ts): found when a report or "not spam" arrives, held
// out of the score, shown to regulators, and accepted (they count) or rejected (they never do).
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../app-context.js';
import { CallshieldError } from '../../errors.js';
import { BURST_NEW_REPORTER_MS, BURST_WINDOW_MS, isNewReporter, startsBurst } from '../../reputation/index.js';
import { countedNewReporters, decideBurst as storeDecide, findBurst, insertBurst, listBursts as storeList, openBurst } from '../../store/reputation/bursts.js';
import { reportWrites } from '../../store/reputation/report-writes.js';
import type { ReputationBurstsTable } from '../../store/schema.js';
import { describeActor } from '../actor.js';
import type { Actor } from '../actor.js';
import { enqueueEvent, roleTargets } from '../payments/events.js';
import { inTransaction } from '../write.js';
import type { WriteScope } from '../write.js';

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Where a new report or feedback goes, in the writer's transaction: records when its reporter was
 * first seen, and returns the burst it joins (null: it counts at once). A new reporter joins the
 * organisation's open burst on that caller, or starts one when it is the BURST_AT-th distinct new
 * reporter within the window; a reporter seen for a week or more never joins one.
 */
export async function placeInBurst(ctx: AppContext, scope: WriteScope, input: { caller: string; actor: Actor; reporterHash: string; now: number }): Promise<{ burstId: string | null; held: boolean; firstSeen: string }> {
  const { db } = scope;
  const at = iso(input.now);
  const orgId = input.actor.orgId;
  const firstSeen = await reportWrites(ctx.db, db).rememberReporter(orgId, input.reporterHash, at);
  if (!isNewReporter(Date.parse(firstSeen), input.now)) return { burstId: null, held: false, firstSeen };
  const since = iso(input.now - BURST_WINDOW_MS);
  const open = await openBurst(db, input.caller, orgId, since);
  if (open) return { burstId: open.id, held: open.status !== 'accepted', firstSeen };
  const counted = await countedNewReporters(db, input.caller, orgId, since, iso(input.now - BURST_NEW_REPORTER_MS));
  if (counted.has(input.reporterHash) || !startsBurst(counted.size)) return { burstId: null, held: false, firstSeen };
  const burst: ReputationBurstsTable = {
    id: randomUUID(),
    caller: input.caller,
    org_id: orgId,
    status: 'pending',
    reporters: 1,
    first_at: at,
    last_at: at,
    created_at: at,
    decided_at: null,
    decided_by: null,
    decision_reason: null,
  };
  await insertBurst(db, burst);
  await scope.audit({ actor: describeActor(input.actor), action: 'burst.held', subject: `burst:${burst.id}`, details: { caller: input.caller, org: input.actor.orgName, newReportersBefore: counted.size }, at });
  await enqueueEvent(ctx, db, 'burst.held', { burst: burst.id, caller: input.caller, org: input.actor.orgName, at }, await roleTargets(db, 'regulator'));
  return { burstId: burst.id, held: true, firstSeen };
}

export interface BurstView {
  id: string;
  caller: string;
  org: { id: string; name: string | null };
  status: 'pending' | 'accepted' | 'rejected';
  /** Distinct reporters in the burst. */
  reporters: number;
  reports: number;
  feedback: number;
  firstAt: string;
  lastAt: string;
  /** The caller's score now (held reports not counted while pending). */
  score: number;
  decidedAt: string | null;
  decidedBy: string | null;
  decisionReason: string | null;
}

function view(ctx: AppContext, b: ReputationBurstsTable & { org_name?: string | null; reports?: number; feedback?: number }): BurstView {
  return {
    id: b.id,
    caller: b.caller,
    org: { id: b.org_id, name: b.org_name ?? null },
    status: b.status as BurstView['status'],
    reporters: Number(b.reporters),
    reports: b.reports ?? 0,
    feedback: b.feedback ?? 0,
    firstAt: b.first_at,
    lastAt: b.last_at,
    score: ctx.index.get(b.caller)?.score ?? 0,
    decidedAt: b.decided_at,
    decidedBy: b.decided_by,
    decisionReason: b.decision_reason,
  };
}

/** The review queue: regulators and admins see every organisation's bursts. */
export async function listBursts(ctx: AppContext, query: { status?: string }): Promise<BurstView[]> {
  return (await storeList(ctx.db, query.status ? { status: query.status } : {})).map((b) => view(ctx, b));
}

/** A regulator or admin accepts a burst (its reports count from now on) or rejects it (they never count). */
export async function decideBurst(ctx: AppContext, id: string, input: { decision: 'accepted' | 'rejected'; reason: string }, actor: Actor): Promise<BurstView> {
  if (input.decision !== 'accepted' && input.decision !== 'rejected') {
    throw new CallshieldError('REQUEST_INVALID_BODY', 'decision must be "accepted" or "rejected"', { field: 'decision' });
  }
  if (typeof input.reason !== 'string' || !input.reason.trim()) throw new CallshieldError('REQUEST_INVALID_BODY', 'every decision needs a reason', { field: 'reason' });
  const at = iso(ctx.now());
  const decided = await inTransaction(ctx, async ({ db, audit, publish }) => {
    const burst = await findBurst(db, id);
    if (!burst) throw new CallshieldError('REPUTATION_BURST_NOT_FOUND', `no burst ${id}`, { field: 'id' });
    if (!(await storeDecide(db, id, input.decision, describeActor(actor), input.reason.trim(), at))) {
      throw new CallshieldError('REPUTATION_BURST_ALREADY_DECIDED', `burst ${id} is already ${burst.status}`);
    }
    await audit({ actor: describeActor(actor), action: `burst.${input.decision}`, subject: `burst:${id}`, details: { caller: burst.caller, org: burst.org_id, reporters: Number(burst.reporters), reason: input.reason.trim() }, at });
    publish('reputation', [burst.caller]);
    return (await findBurst(db, id))!;
  });
  await ctx.refreshReputation([decided.caller], { publish: false });
  const [withCounts] = await storeList(ctx.db, { id });
  return view(ctx, withCounts ?? decided);
}
