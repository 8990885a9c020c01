import { randomBytes, randomUUID } from 'node:crypto';
import type { AppContext } from '../../app-context.js';
import { CallshieldError } from '../../errors.js';
import { parseIdentifier } from '../../identity/index.js';
import { messageFor } from '../../payments/index.js';
import { en } from '../../i18n/messages/en.js';
import type { Language } from '../../payments/index.js';
import { findGuardians, guardiansOfSubscriber, upsertGuardians } from '../../store/payments/outbox.js';
import { describeActor } from '../actor.js';
import type { Actor } from '../actor.js';
import { enqueueEvent, guardianTargets } from './events.js';
import type { Guardian } from './events.js';
import { CHANGE_KINDS, paymentsSettings, paymentsState } from './state.js';
import { subscriberHashOf } from './transfers.js';
import { checkWebhookUrl } from './webhooks.js';
import { inTransaction } from '../write.js';
import { requireServing } from '../screening/serving.js';

export const MAX_GUARDIANS = 10;

export interface ScreenSharingResult {
  marked: boolean;
  reason: { code: string; text: string };
  riskyCall?: { callId: string; caller: string; stage: string | null; stages: string[]; risk: number; at: string; screenSharing: boolean; active: boolean };
}

/**
 * The subscriber's app says the screen is (or no longer is) being shared during a call. With a
 * stranger, that is the remote-access stage of the script whatever was said, so it sets the same
 * risky-call mark the conversation guard sets; with a contact it is left alone.
 */
export async function reportScreenSharing(ctx: AppContext, subscriber: string, input: { active: boolean; caller?: string }, actor: Actor): Promise<ScreenSharingResult> {
  const subscriberHash = subscriberHashOf(ctx, subscriber);
  if (typeof input.active !== 'boolean') throw new CallshieldError('REQUEST_INVALID_BODY', 'active must be true or false', { field: 'active' });
  const caller = input.caller === undefined ? undefined : parseIdentifier(input.caller, { defaultRegion: ctx.config.defaultRegion }, 'caller');
  // The mark holds this person's transfers at every bank, so only the app serving them sets it.
  await requireServing(ctx, actor, subscriberHash);
  const policy = ctx.policies.get(actor.orgId, subscriberHash);
  if (caller && caller.kind !== 'anonymous' && policy?.contacts.has(ctx.hash(caller.canonical))) {
    return { marked: false, reason: { code: 'CALLER_IS_CONTACT', text: 'Sharing a screen with a contact is not marked as risky' } };
  }
  const now = ctx.now();
  const prev = ctx.riskyCalls.get(subscriberHash);
  const callerId = caller?.canonical ?? prev?.caller ?? 'unknown caller';
  const sameCall = prev && (caller === undefined || prev.caller === callerId) && (prev.active || now - prev.at <= paymentsSettings(ctx).riskyWindowMs);
  if (!input.active && !prev) return { marked: false, reason: { code: 'NO_RISKY_CALL', text: 'No screen sharing was reported for this subscriber' } };
  const stages = [...new Set([...(sameCall ? prev!.stages : []), 'remote-access'])];
  const mark = {
    callId: sameCall ? prev!.callId : `screen-share:${randomUUID()}`,
    caller: callerId,
    stage: 'remote-access',
    stages,
    risk: Math.max(sameCall ? prev!.risk : 0, 0.9),
    at: now,
    screenSharing: input.active,
    // Stopping the share does not end the danger: the mark stays for the risky window.
    active: input.active || (sameCall ? prev!.active : false),
  };
  await inTransaction(ctx, ({ audit }) =>
    audit({ actor: describeActor(actor), action: input.active ? 'subscriber.screen-sharing' : 'subscriber.screen-sharing-stopped', subject: `subscriber:${subscriberHash.slice(0, 16)}`, details: { callId: mark.callId, caller: callerId }, at: new Date(now).toISOString() }),
  );
  await ctx.markRiskyCall(subscriberHash, mark);
  if (input.active) await alertGuardiansOfCall(ctx, subscriberHash, mark.callId, { caller: callerId, screenSharing: true, stages, risk: mark.risk });
  return {
    marked: true,
    reason: { code: input.active ? 'SCREEN_SHARING' : 'SCREEN_SHARING_STOPPED', text: input.active ? 'Screen sharing with a stranger: payments from this subscriber are checked as during a risky call' : 'Screen sharing stopped; the risky-call mark stays for the risky window' },
    riskyCall: { ...mark, at: new Date(now).toISOString() },
  };
}

/** Tells the family once per call (deduplicated in the outbox) that their relative is in a risky call. */
export async function alertGuardiansOfCall(ctx: AppContext, subscriberHash: string, callId: string, data: { caller: string; screenSharing: boolean; stages: readonly string[]; risk: number }): Promise<boolean> {
  const state = await paymentsState(ctx);
  if (!state.guardianSubscribers.has(subscriberHash) || state.alertedCalls.has(callId)) return false;
  state.alertedCalls.add(callId);
  try {
    await inTransaction(ctx, async ({ db }) => {
      for (const family of await guardianTargets(db, subscriberHash)) {
        if (!family.targets.length) continue;
        await enqueueEvent(ctx, db, 'guardian.risky-call', {
          callId,
          caller: data.caller,
          screenSharing: data.screenSharing,
          stages: data.stages,
          risk: data.risk,
          guardians: family.guardians,
          text: en.advice.guardian.call,
        }, family.targets, `guardian-call:${callId}:${family.orgId}`);
      }
    });
  } catch (err) {
    const msg = String((err as Error).message ?? '');
    if (/UNIQUE|duplicate key/i.test(msg)) return false; // another node alerted first
    state.alertedCalls.delete(callId);
    throw err;
  }
  return true;
}

export interface GuardiansInput {
  guardians: Guardian[];
}

function checkGuardians(ctx: AppContext, list: unknown): Guardian[] {
  if (!Array.isArray(list) || list.length > MAX_GUARDIANS) throw new CallshieldError('REQUEST_INVALID_BODY', `guardians must be a list of at most ${MAX_GUARDIANS}`, { field: 'guardians' });
  return list.map((g: Guardian, i) => {
    const field = `guardians.${i}`;
    if (typeof g?.name !== 'string' || !g.name.trim() || g.name.length > 100) throw new CallshieldError('REQUEST_INVALID_BODY', 'name must be 1-100 characters', { field: `${field}.name` });
    const contact = parseIdentifier(g.contact, { defaultRegion: ctx.config.defaultRegion }, `${field}.contact`);
    if (contact.kind === 'anonymous') throw new CallshieldError('IDENTITY_ANONYMOUS_NOT_ALLOWED', 'a guardian needs a phone number or e-mail address', { field: `${field}.contact` });
    const out: Guardian = { name: g.name.trim(), contact: contact.canonical };
    if (g.webhookUrl !== undefined) out.webhookUrl = checkWebhookUrl(g.webhookUrl, `${field}.webhookUrl`, ctx.config.allowPrivateFetch);
    return out;
  });
}

/**
 * The subscriber names guardians (for elderly relatives) through the app that serves them. Each
 * app keeps its own list (another app's is neither shown nor changed, nor does it make a conflict
 * that would reveal it). The list's signing secret for guardian webhooks is created on first use
 * and returned only then.
 */
export async function setGuardians(ctx: AppContext, subscriber: string, input: GuardiansInput, actor: Actor): Promise<{ guardians: Guardian[]; secret?: string }> {
  const subscriberHash = subscriberHashOf(ctx, subscriber);
  await requireServing(ctx, actor, subscriberHash);
  const guardians = checkGuardians(ctx, input.guardians);
  const state = await paymentsState(ctx);
  const at = new Date(ctx.now()).toISOString();
  const created = await inTransaction(ctx, async ({ db, audit, publish }) => {
    const prev = await findGuardians(db, subscriberHash, actor.orgId);
    const secret = prev?.secret ?? randomBytes(32).toString('hex');
    await upsertGuardians(db, { subscriber_hash: subscriberHash, org_id: actor.orgId, guardians: JSON.stringify(guardians), secret, updated_at: at });
    await audit({ actor: describeActor(actor), action: 'guardians.set', subject: `subscriber:${subscriberHash.slice(0, 16)}`, details: { guardians: guardians.length, webhooks: guardians.filter((g) => g.webhookUrl).length }, at });
    publish(CHANGE_KINDS.guardians, [subscriberHash]);
    return prev ? undefined : secret;
  });
  // Another app's guardians of the same person keep them in the set.
  const lists = await guardiansOfSubscriber(ctx.db, subscriberHash);
  if (lists.some((l) => (JSON.parse(l.guardians) as unknown[]).length > 0)) state.guardianSubscribers.add(subscriberHash);
  else state.guardianSubscribers.delete(subscriberHash);
  return { guardians, ...(created ? { secret: created } : {}) };
}

export async function getGuardians(ctx: AppContext, subscriber: string, actor: Actor): Promise<{ guardians: Guardian[] }> {
  const row = await findGuardians(ctx.db, subscriberHashOf(ctx, subscriber), actor.orgId);
  if (!row) return { guardians: [] };
  return { guardians: JSON.parse(row.guardians) as Guardian[] };
}

/**
 * The warning the source case ends on: the caller recorded the subscriber's face and voice and may
 * impersonate them to the family. Every guardian is told to verify by calling back on the known number.
 */
export async function sendImpersonationAlert(ctx: AppContext, subscriber: string, input: { caller?: string; name?: string }, actor: Actor): Promise<{ guardians: number; notified: number; message: string }> {
  const subscriberHash = subscriberHashOf(ctx, subscriber);
  const caller = input.caller === undefined ? undefined : parseIdentifier(input.caller, { defaultRegion: ctx.config.defaultRegion }, 'caller').canonical;
  if (input.name !== undefined && (typeof input.name !== 'string' || !input.name.trim() || input.name.length > 100)) {
    throw new CallshieldError('REQUEST_INVALID_BODY', 'name must be 1-100 characters', { field: 'name' });
  }
  const language: Language = ctx.policies.get(actor.orgId, subscriberHash)?.language ?? 'en';
  const name = input.name?.trim() ?? (language === 'zh' ? '您的家人' : 'your relative');
  const message = messageFor('impersonation', language, { name });
  const at = new Date(ctx.now()).toISOString();
  const notified = await inTransaction(ctx, async ({ db, audit }) => {
    if (!(await findGuardians(db, subscriberHash, actor.orgId))) throw new CallshieldError('PAYMENTS_NO_GUARDIANS', 'name guardians first (PUT /v1/subscribers/:subscriber/guardians)', { field: 'subscriber' });
    const family = (await guardianTargets(db, subscriberHash)).find((f) => f.orgId === actor.orgId);
    if (!family) throw new CallshieldError('PAYMENTS_NO_GUARDIANS', 'the subscriber has no guardians to alert', { field: 'subscriber' });
    await enqueueEvent(ctx, db, 'family.impersonation-alert', { message, caller: caller ?? null, guardians: family.guardians }, family.targets);
    await audit({ actor: describeActor(actor), action: 'family.impersonation-alert', subject: `subscriber:${subscriberHash.slice(0, 16)}`, details: { guardians: family.guardians.length, deliveries: family.targets.length, caller: caller ?? null }, at });
    return { guardians: family.guardians.length, notified: family.targets.length };
  });
  // `notified` counts the webhook deliveries queued (each guardian's own, and the app's own, which
  // relays to guardians without one); with neither, the app must tell them itself.
  return { ...notified, message };
}

/** Called by the dispatcher: a conversation-guard mark at high risk tells the family (once per call). */
export async function alertGuardiansOfRiskyCalls(ctx: AppContext): Promise<number> {
  const state = await paymentsState(ctx);
  // A call whose mark is gone (pruned past the risky window) cannot be alerted again: forget it,
  // so this set does not grow with traffic.
  if (state.alertedCalls.size > 0) {
    const live = new Set([...ctx.riskyCalls.values()].map((m) => m.callId));
    for (const callId of state.alertedCalls) if (!live.has(callId)) state.alertedCalls.delete(callId);
  }
  if (state.guardianSubscribers.size === 0) return 0;
  const { guardianAlertRisk, riskyWindowMs } = paymentsSettings(ctx);
  const now = ctx.now();
  let n = 0;
  for (const subscriberHash of state.guardianSubscribers) {
    const mark = ctx.riskyCalls.get(subscriberHash);
    if (!mark || state.alertedCalls.has(mark.callId)) continue;
    if (!(mark.active || now - mark.at <= riskyWindowMs)) continue;
    if (mark.risk < guardianAlertRisk && !mark.screenSharing) continue;
    if (await alertGuardiansOfCall(ctx, subscriberHash, mark.callId, mark)) n++;
  }
  return n;
}
