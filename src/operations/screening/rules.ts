// The runtime side of subscriber rules (issue 14): who called each subscriber recently (for
// ringRepeatWithinMinutes) and the decisions waiting to be written to the history (keepHistory).
// Only policies with rules reach this file; screening for everyone else never does.
import { randomUUID } from 'node:crypto';
import { areaState } from '../../app-context.js';
import type { AppContext } from '../../app-context.js';
import type { Decision, SubscriberRules } from '../../screening/index.js';
import { historyOf, insertHistory, pruneHistory } from '../../store/screening/history.js';
import type { SubscriberHistoryTable } from '../../store/screening/history.js';

interface RulesState {
  /** "org:subscriberHash" → caller → time of their last call (ms). */
  recent: Map<string, Map<string, number>>;
  pending: SubscriberHistoryTable[];
  flushing: Promise<void> | undefined;
  timer: NodeJS.Timeout | undefined;
}

const slot = areaState<RulesState>('screening.rules', () => ({ recent: new Map(), pending: [], flushing: undefined, timer: undefined }));

/**
 * Whether this caller called this subscriber within the window before, and notes this call. The
 * memory is this node's (a call back that reaches another node of a cluster is not counted).
 */
export function noteCall(ctx: AppContext, orgId: string, subscriberHash: string, caller: string, at: number, rules: SubscriberRules): boolean {
  const windowMs = rules.ringRepeatWithinMinutes * 60_000;
  const s = ctx.area(slot);
  const key = `${orgId}:${subscriberHash}`;
  let mine = s.recent.get(key);
  if (!mine) s.recent.set(key, (mine = new Map()));
  const last = mine.get(caller);
  mine.set(caller, at);
  if (mine.size > 200) for (const [c, t] of mine) if (at - t > windowMs) mine.delete(c);
  return last !== undefined && at >= last && at - last <= windowMs;
}

/** Queues one decision for the subscriber's history; written within a second, off the screening path. */
export function recordDecision(ctx: AppContext, orgId: string, subscriberHash: string, caller: string, channel: string, at: number, d: Decision): void {
  const s = ctx.area(slot);
  s.pending.push({
    id: randomUUID(),
    org_id: orgId,
    subscriber_hash: subscriberHash,
    at: new Date(at).toISOString(),
    caller,
    channel,
    action: d.action,
    label: d.label,
    reasons: JSON.stringify(d.reasons.map((r) => ({ code: r.code, text: r.text }))),
  });
  if (!s.timer && !s.flushing) {
    s.timer = setTimeout(() => void flushHistory(ctx).catch((err) => ctx.logger.warn({ err: String(err) }, 'could not write subscriber history')), 200);
    s.timer.unref();
  }
}

/** Writes the queued decisions (one transaction) and trims each subscriber's history to the newest 1,000. */
export async function flushHistory(ctx: AppContext): Promise<void> {
  const s = ctx.area(slot);
  if (s.timer) {
    clearTimeout(s.timer);
    s.timer = undefined;
  }
  if (s.flushing) await s.flushing;
  if (s.pending.length === 0) return;
  const rows = s.pending.splice(0);
  s.flushing = ctx.db
    .transaction()
    .execute(async (trx) => {
      await insertHistory(trx, rows);
      const subjects = new Map(rows.map((r) => [`${r.org_id}:${r.subscriber_hash}`, r]));
      for (const r of subjects.values()) await pruneHistory(trx, r.org_id, r.subscriber_hash);
    })
    .finally(() => {
      s.flushing = undefined;
    });
  await s.flushing;
}

/** Forgets a subscriber's queued decisions and recent callers (the policy is gone or history turned off). */
export function forgetSubscriber(ctx: AppContext, orgId: string, subscriberHash: string, what: { history: boolean; recent: boolean } = { history: true, recent: true }): void {
  const s = ctx.area(slot);
  if (what.history) s.pending = s.pending.filter((r) => r.org_id !== orgId || r.subscriber_hash !== subscriberHash);
  if (what.recent) s.recent.delete(`${orgId}:${subscriberHash}`);
}

export async function readHistory(ctx: AppContext, orgId: string, subscriberHash: string): Promise<SubscriberHistoryTable[]> {
  await flushHistory(ctx);
  return historyOf(ctx.db, orgId, subscriberHash);
}
