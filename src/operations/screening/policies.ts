import { policyChangeKey } from '../../app-context.js';
import type { AppContext } from '../../app-context.js';
import { CallshieldError } from '../../errors.js';
import { parseIdentifier } from '../../identity/index.js';
import { compilePolicy, describePolicy, serialisePolicy } from '../../screening/index.js';
import type { PolicyInput } from '../../screening/index.js';
import { deletePolicy as storeDelete, findPolicy, upsertPolicy } from '../../store/screening/policies.js';
import { describeActor } from '../actor.js';
import type { Actor } from '../actor.js';
import { inTransaction } from '../write.js';
import { deleteHistory } from '../../store/screening/history.js';
import { forgetSubscriber, readHistory } from './rules.js';

// A subscriber's policy belongs to the organisation that set it (the subscriber's app): each app
// reads, changes and screens with its own policy only. Another organisation asking about the same
// subscriber gets the same 404 as for a subscriber nobody registered, so it learns nothing — not
// even that another app serves them.

function subscriberKey(ctx: AppContext, subscriber: string): string {
  const id = parseIdentifier(subscriber, { defaultRegion: ctx.config.defaultRegion }, 'subscriber');
  if (id.kind === 'anonymous') throw new CallshieldError('IDENTITY_ANONYMOUS_NOT_ALLOWED', 'a subscriber needs an identifier', { field: 'subscriber' });
  return ctx.hash(id.canonical);
}

const subjectOf = (subscriberHash: string): string => `subscriber:${subscriberHash.slice(0, 16)}`;

/** The subscriber's app sets their policy; the subscriber's own number is stored only as a hash. */
export async function setPolicy(ctx: AppContext, subscriber: string, input: PolicyInput, actor: Actor): Promise<Record<string, unknown>> {
  const key = subscriberKey(ctx, subscriber);
  const policy = compilePolicy(input, ctx.hash, ctx.config.defaultRegion);
  const view = describePolicy(policy);
  const at = new Date(ctx.now()).toISOString();
  await inTransaction(ctx, async ({ db, audit, publish }) => {
    const created = !(await findPolicy(db, actor.orgId, key));
    await upsertPolicy(db, actor.orgId, key, serialisePolicy(policy), at);
    // History is opt-in: turning it off deletes what was kept.
    if (!policy.rules?.keepHistory) await deleteHistory(db, actor.orgId, key);
    // Counts and switches only: the contacts themselves are not the log's business.
    await audit({ actor: describeActor(actor), action: created ? 'policy.create' : 'policy.update', subject: subjectOf(key), details: view, at });
    publish('policy', [policyChangeKey(actor.orgId, key)]);
  });
  ctx.policies.set(actor.orgId, key, policy);
  forgetSubscriber(ctx, actor.orgId, key, { history: !policy.rules?.keepHistory, recent: !policy.rules?.ringRepeatWithinMinutes });
  return view;
}

export function getPolicy(ctx: AppContext, subscriber: string, actor: Actor): Record<string, unknown> {
  const policy = ctx.policies.get(actor.orgId, subscriberKey(ctx, subscriber));
  if (!policy) throw new CallshieldError('SCREENING_POLICY_NOT_FOUND', 'your organisation has set no policy for this subscriber', { field: 'subscriber' });
  return describePolicy(policy);
}

/** The subscriber leaves the app (or the app stops serving them): its policy goes, no one else's. */
export async function removePolicy(ctx: AppContext, subscriber: string, actor: Actor): Promise<{ deleted: true }> {
  const key = subscriberKey(ctx, subscriber);
  const at = new Date(ctx.now()).toISOString();
  await inTransaction(ctx, async ({ db, audit, publish }) => {
    if (!(await storeDelete(db, actor.orgId, key))) {
      throw new CallshieldError('SCREENING_POLICY_NOT_FOUND', 'your organisation has set no policy for this subscriber', { field: 'subscriber' });
    }
    await deleteHistory(db, actor.orgId, key); // the history goes with the policy
    await audit({ actor: describeActor(actor), action: 'policy.delete', subject: subjectOf(key), details: {}, at });
    publish('policy', [policyChangeKey(actor.orgId, key)]);
  });
  ctx.policies.delete(actor.orgId, key);
  forgetSubscriber(ctx, actor.orgId, key);
  return { deleted: true };
}

export interface HistoryView {
  keepHistory: boolean;
  decisions: { at: string; caller: string; channel: string; action: string; label: string; reasons: { code: string; text: string }[] }[];
}

/** GET /v1/subscribers/{s}/history: the last 1,000 decisions your organisation made for this subscriber, newest first. */
export async function getHistory(ctx: AppContext, subscriber: string, actor: Actor): Promise<HistoryView> {
  const key = subscriberKey(ctx, subscriber);
  const policy = ctx.policies.get(actor.orgId, key);
  if (!policy) throw new CallshieldError('SCREENING_POLICY_NOT_FOUND', 'your organisation has set no policy for this subscriber', { field: 'subscriber' });
  const keepHistory = policy.rules?.keepHistory ?? false;
  const rows = keepHistory ? await readHistory(ctx, actor.orgId, key) : [];
  return {
    keepHistory,
    decisions: rows.map((r) => ({ at: r.at, caller: r.caller, channel: r.channel, action: r.action, label: r.label, reasons: JSON.parse(r.reasons) as { code: string; text: string }[] })),
  };
}
