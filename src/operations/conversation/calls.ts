import { randomUUID } from 'node:crypto';
import { areaState } from '../../app-context.js';
import type { AppContext } from '../../app-context.js';
import { minhash } from '../../campaigns/index.js';
import { campaignsFromScripts } from '../campaigns/party-evidence.js';
import { indexScripts } from '../../store/campaigns/script-index.js';
import { CallshieldError } from '../../errors.js';
import { parseIdentifier } from '../../identity/index.js';
import { ALERT_THRESHOLD, createCallSession, feedUtterance, loadModel, scoreMessage, summariseCall } from '../../conversation/index.js';
import type { Alert, CallSession, CallSummary, FeedResult, Lang, MessageScore, Model, StageId, Utterance } from '../../conversation/index.js';
import { insertReports } from '../../store/reputation/reports.js';
import type { Actor } from '../actor.js';
import { inTransaction } from '../write.js';
import { servesSubscriber } from '../screening/serving.js';

/** Calls idle for longer than this are ended by the sweeper (a client that vanished mid-call). */
export const CALL_IDLE_MS = 30 * 60_000;
export const MAX_OPEN_CALLS = 100_000;

// Order of danger for the risky-call mark: what the payments check weighs most comes first.
const STAGE_DANGER: readonly StageId[] = ['remote-access', 'money-movement', 'credential-request', 'isolation', 'pretext', 'impersonation', 'urgency'];

export type CallEvent = { type: 'alert'; alert: Alert } | { type: 'risk'; risk: number; stages: StageId[]; turn: number } | { type: 'end'; summary: CallSummary };

interface OpenCall {
  id: string;
  orgId: string;
  caller: string;
  calleeHash: string;
  /**
   * Whether this call may set the callee's risky-call mark (which the banks' transfer checks read):
   * only when the organisation running the guard serves the callee — an app that holds the callee's
   * policy, or the carrier or platform carrying the call (they hold no policies; their keys are
   * issued to the network that terminates the call). Any other app's guard still alerts that app.
   */
  marks: boolean;
  channel: string;
  session: CallSession;
  startedAt: number;
  lastAt: number;
  reported: boolean;
  /** What the caller said (bounded), for the call's script fingerprint; the text itself is never stored. */
  said: string;
  listeners: Set<(e: CallEvent) => void>;
}

const SAID_MAX = 20_000;

export interface CallRegistry {
  calls: Map<string, OpenCall>;
  /** Recently ended calls (bounded), so a late utterance gets "ended" rather than "not found". */
  ended: Map<string, string>;
  model: Model | undefined;
  sweeper: NodeJS.Timeout | undefined;
}

/** The conversation guard's calls on one context. */
const CALLS = areaState<CallRegistry>('conversation', () => ({ calls: new Map(), ended: new Map(), model: undefined, sweeper: undefined }));

function registryOf(ctx: AppContext): CallRegistry {
  return ctx.area(CALLS);
}

function modelOf(ctx: AppContext): Model {
  const r = registryOf(ctx);
  r.model ??= loadModel();
  return r.model;
}

/** Starts the idle-call sweeper; returns a stop function (the server calls it on close). */
export function startCallSweeper(ctx: AppContext, everyMs = 60_000): () => void {
  const r = registryOf(ctx);
  const timer = setInterval(() => void sweepIdleCalls(ctx).catch((err) => ctx.logger.error({ err }, 'call sweep failed')), everyMs);
  timer.unref();
  r.sweeper = timer;
  return () => clearInterval(timer);
}

export async function sweepIdleCalls(ctx: AppContext): Promise<number> {
  const r = registryOf(ctx);
  const cutoff = ctx.now() - CALL_IDLE_MS;
  let n = 0;
  for (const call of [...r.calls.values()]) {
    if (call.lastAt < cutoff) {
      await finish(ctx, call);
      n++;
    }
  }
  return n;
}

function findCall(ctx: AppContext, id: string, actor: Actor): OpenCall {
  const r = registryOf(ctx);
  const call = r.calls.get(id);
  const endedBy = r.ended.get(id);
  if (!call && endedBy !== undefined && (endedBy === actor.orgId || actor.role === 'admin')) {
    throw new CallshieldError('CONVERSATION_CALL_ENDED', `call ${id} has ended; start a new one`, { field: 'id' });
  }
  // Another organisation's call is "not found", so call ids cannot be probed.
  if (!call || (call.orgId !== actor.orgId && actor.role !== 'admin')) {
    throw new CallshieldError('CONVERSATION_CALL_NOT_FOUND', `no open call ${id} (calls end after ${CALL_IDLE_MS / 60_000} minutes without utterances)`, { field: 'id' });
  }
  return call;
}

export interface StartedCall {
  callId: string;
  caller: string;
  callerKind: string;
  expiresAfterIdleSeconds: number;
}

export function startCall(ctx: AppContext, input: { caller: string; callee: string; channel?: string; lang?: Lang }, actor: Actor): StartedCall {
  const r = registryOf(ctx);
  modelOf(ctx);
  if (r.calls.size >= MAX_OPEN_CALLS) throw new CallshieldError('REQUEST_RATE_LIMITED', `more than ${MAX_OPEN_CALLS} calls are open; end some first`);
  const region = { defaultRegion: ctx.config.defaultRegion };
  const caller = parseIdentifier(input.caller, region, 'caller');
  const callee = parseIdentifier(input.callee, region, 'callee');
  if (callee.kind === 'anonymous') throw new CallshieldError('IDENTITY_ANONYMOUS_NOT_ALLOWED', 'the callee must be identified', { field: 'callee' });
  const id = randomUUID();
  const now = ctx.now();
  const calleeHash = ctx.hash(callee.canonical);
  r.calls.set(id, {
    id,
    orgId: actor.orgId,
    caller: caller.canonical,
    calleeHash,
    marks: actor.role !== 'app' || servesSubscriber(ctx, actor, calleeHash),
    channel: input.channel ?? 'pstn',
    session: createCallSession(input.lang ? { lang: input.lang } : {}),
    startedAt: now,
    lastAt: now,
    reported: false,
    said: '',
    listeners: new Set(),
  });
  return { callId: id, caller: caller.canonical, callerKind: caller.kind, expiresAfterIdleSeconds: CALL_IDLE_MS / 1000 };
}

function mostDangerous(stages: readonly StageId[]): StageId | null {
  for (const s of STAGE_DANGER) if (stages.includes(s)) return s;
  return null;
}

function markRisky(ctx: AppContext, call: OpenCall, active: boolean): void {
  if (!call.marks) return;
  const s = call.session;
  const prev = ctx.riskyCalls.get(call.calleeHash);
  void ctx.markRiskyCall(call.calleeHash, {
    callId: call.id,
    caller: call.caller,
    stage: mostDangerous(s.stageOrder),
    stages: [...s.stageOrder],
    risk: s.maxRisk,
    at: ctx.now(),
    screenSharing: prev?.callId === call.id ? prev.screenSharing : false,
    active,
  });
}

function emit(call: OpenCall, e: CallEvent): void {
  for (const l of call.listeners) {
    try {
      l(e);
    } catch {
      call.listeners.delete(l); // a broken stream must not stop the others
    }
  }
}

export function addUtterance(ctx: AppContext, id: string, utterance: Utterance, actor: Actor): FeedResult & { threshold: number } {
  const call = findCall(ctx, id, actor);
  if (typeof utterance.text === 'string' && utterance.text.includes('\uFFFD')) {
    // JSON bodies are decoded as UTF-8 with replacement characters: one here means invalid bytes.
    throw new CallshieldError('CONVERSATION_INVALID_UTTERANCE', 'text is not valid UTF-8', { field: 'text' });
  }
  const result = feedUtterance(modelOf(ctx), call.session, utterance);
  call.lastAt = ctx.now();
  if (utterance.speaker === 'caller' && call.said.length < SAID_MAX) call.said = `${call.said} ${utterance.text}`.slice(0, SAID_MAX);
  if (call.session.risky) markRisky(ctx, call, true);
  for (const alert of result.alerts) emit(call, { type: 'alert', alert });
  emit(call, { type: 'risk', risk: result.risk, stages: result.stages, turn: result.turn });
  return { ...result, threshold: ALERT_THRESHOLD };
}

export function getCall(ctx: AppContext, id: string, actor: Actor): CallSummary & { callId: string; caller: string } {
  const call = findCall(ctx, id, actor);
  return { callId: call.id, caller: call.caller, ...summariseCall(call.session) };
}

async function finish(ctx: AppContext, call: OpenCall): Promise<CallSummary> {
  const r = registryOf(ctx);
  r.calls.delete(call.id);
  if (r.ended.size >= 10_000) r.ended.delete(r.ended.keys().next().value!);
  r.ended.set(call.id, call.orgId);
  const summary = summariseCall(call.session);
  if (call.session.risky) markRisky(ctx, call, false);
  const at = new Date(ctx.now()).toISOString();
  // The script's fingerprint ties callers reading the same script into one campaign (a phone
  // number only: campaigns group numbers).
  const fingerprint = call.caller.startsWith('+') && call.said ? minhash(call.said) : [];
  call.said = '';
  await inTransaction(ctx, async ({ db, publish }) => {
    await db
      .insertInto('guard_calls')
      .values({
        id: call.id,
        org_id: call.orgId,
        caller: call.caller,
        callee_hash: call.calleeHash,
        channel: call.channel,
        started_at: new Date(call.startedAt).toISOString(),
        ended_at: at,
        turns: summary.turns,
        max_risk: summary.maxRisk,
        stages: JSON.stringify(summary.stages),
        label: summary.label,
        fingerprint: fingerprint.length ? JSON.stringify(fingerprint) : null,
      })
      .execute();
    if (fingerprint.length) await indexScripts(db, [{ id: `guard:${call.id}`, source: 'guard', caller: call.caller, party: call.orgId, fingerprint: JSON.stringify(fingerprint), at }]);
    // A call the guard judged a scam is evidence against its caller, counted like a report from
    // the callee (one per callee per day, never enough on its own to flag the caller).
    if (summary.label === 'scam' && call.caller !== 'anonymous') {
      await insertReports(db, [
        {
          id: randomUUID(),
          caller: call.caller,
          caller_kind: call.caller.startsWith('+') ? 'phone' : call.caller.includes('@') ? 'email' : 'account',
          reporter_hash: ctx.hash(`guard:${call.calleeHash}`),
          org_id: call.orgId,
          category: 'fraud',
          comment: `conversation guard: ${summary.stages.join(', ')}`,
          channel: call.channel,
          claimed_org: null,
          occurred_at: at,
          created_at: at,
          import_source: `conversation-guard:${call.id}`,
        },
      ]);
      publish('reputation', [call.caller]);
    }
  });
  if (summary.label === 'scam' && call.caller !== 'anonymous') await ctx.refreshReputation([call.caller], { publish: false });
  if (fingerprint.length) await campaignsFromScripts(ctx, { id: `guard:${call.id}`, caller: call.caller, party: call.orgId, fingerprint, at: Date.parse(at) });
  emit(call, { type: 'end', summary });
  call.listeners.clear();
  return summary;
}

export async function endCall(ctx: AppContext, id: string, actor: Actor): Promise<CallSummary & { callId: string; caller: string }> {
  const call = findCall(ctx, id, actor);
  return { callId: call.id, caller: call.caller, ...(await finish(ctx, call)) };
}

/** Subscribes to a call's events; returns the alerts so far (for replay) and an unsubscribe function. */
export function subscribeCall(ctx: AppContext, id: string, actor: Actor, listener: (e: CallEvent) => void): { past: Alert[]; unsubscribe: () => void } {
  const call = findCall(ctx, id, actor);
  call.listeners.add(listener);
  return { past: [...call.session.alerts], unsubscribe: () => call.listeners.delete(listener) };
}

export function openCallCount(ctx: AppContext): number {
  return registryOf(ctx).calls.size;
}

export function scoreText(ctx: AppContext, input: { text: string; lang?: Lang }): MessageScore {
  if (typeof input.text === 'string' && input.text.includes('\uFFFD')) {
    throw new CallshieldError('CONVERSATION_INVALID_UTTERANCE', 'text is not valid UTF-8', { field: 'text' });
  }
  return scoreMessage(modelOf(ctx), input.text, input.lang ? { lang: input.lang } : {});
}
