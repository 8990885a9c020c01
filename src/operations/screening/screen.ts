import type { AppContext } from '../../app-context.js';
import { noteScreenedCall } from '../campaigns/honeypots.js';
import { CallshieldError } from '../../errors.js';
import { looksCanonicalE164, parseIdentifier } from '../../identity/index.js';
import type { Identifier } from '../../identity/index.js';
import type { HotReputation } from '../../reputation/index.js';
import { CHANNELS, plainDecision, screenCall } from '../../screening/index.js';
import type { Attestation, CallerIdRisk, Channel, Decision, Verstat } from '../../screening/index.js';
import { holderLookupFor } from '../governance/state.js';
import { historyRiskFor } from '../stir/screen.js';
import { noteCall, recordDecision } from './rules.js';

export interface ScreenInput {
  caller: string;
  callee: string;
  channel: string;
  attestation?: string;
  verstat?: string;
  /** The SIP Identity header value(s) (STIR/SHAKEN), instead of attestation/verstat: see stir-screen.ts. */
  identity?: string | string[];
  /** The SIP Call-ID of the call (optional): with identity, a token seen on another Call-ID is a replay. */
  callId?: string;
  at?: string;
}

export interface ScreenResult extends Decision {
  caller: string;
  callerKind: string;
}

const ATTESTATIONS = new Set(['A', 'B', 'C']);
const VERSTATS = new Set(['TN-Validation-Passed', 'TN-Validation-Failed', 'No-TN-Validation']);

// A caller already in the index was validated when its evidence was stored, so a canonical E.164
// string found there skips libphonenumber (10 µs) and its reputation comes from the same single
// look-up: on a million-entry map each look-up is a cache miss, so it is done once.
function parseCaller(ctx: AppContext, raw: string, field: string): { caller: Identifier; reputation: HotReputation | undefined } {
  if (looksCanonicalE164(raw)) {
    const reputation = ctx.index.get(raw);
    if (reputation) return { caller: { kind: 'phone', canonical: raw }, reputation };
  }
  const caller = parseIdentifier(raw, { defaultRegion: ctx.config.defaultRegion }, field);
  return { caller, reputation: caller.kind === 'anonymous' ? undefined : ctx.index.get(caller.canonical) };
}

/**
 * The hot path: parse, look up the in-memory indexes, decide. Synchronous on purpose — it never
 * waits on the database, so a slow or restarting store cannot delay a ringing phone. `askerOrgId`
 * is the organisation asking: its own policy for the callee applies, never another's.
 */
export function screen(ctx: AppContext, input: ScreenInput, askerOrgId: string, fieldPrefix = '', verified?: { risk: CallerIdRisk | undefined }): ScreenResult {
  if (input.identity !== undefined && verified === undefined) {
    throw new CallshieldError('REQUEST_INVALID_BODY', 'identity is verified by POST /v1/screen only (one call at a time)', { field: `${fieldPrefix}identity` });
  }
  if (!(CHANNELS as readonly string[]).includes(input.channel)) {
    throw new CallshieldError('REQUEST_INVALID_BODY', 'channel must be one of pstn, video, voip', { field: `${fieldPrefix}channel` });
  }
  if (input.attestation !== undefined && !ATTESTATIONS.has(input.attestation)) {
    throw new CallshieldError('REQUEST_INVALID_BODY', 'attestation must be A, B or C', { field: `${fieldPrefix}attestation` });
  }
  if (input.verstat !== undefined && !VERSTATS.has(input.verstat)) {
    throw new CallshieldError('REQUEST_INVALID_BODY', 'verstat must be TN-Validation-Passed, TN-Validation-Failed or No-TN-Validation', { field: `${fieldPrefix}verstat` });
  }
  let at = ctx.now();
  if (input.at !== undefined) {
    at = Date.parse(input.at);
    if (Number.isNaN(at)) throw new CallshieldError('REQUEST_INVALID_BODY', 'at must be an ISO-8601 date-time', { field: `${fieldPrefix}at` });
  }
  const { caller, reputation } = parseCaller(ctx, input.caller, `${fieldPrefix}caller`);
  const callee = parseIdentifier(input.callee, { defaultRegion: ctx.config.defaultRegion }, `${fieldPrefix}callee`);
  if (callee.kind === 'anonymous') {
    throw new CallshieldError('IDENTITY_ANONYMOUS_NOT_ALLOWED', 'the callee must be identified', { field: `${fieldPrefix}callee` });
  }
  // An organisation that set no policies (a carrier, a platform) skips the subscriber hash too.
  const mine = ctx.policies.forOrg(askerOrgId);
  const calleeHash = mine ? ctx.hash(callee.canonical) : '';
  const policy = mine ? mine.get(calleeHash) : undefined;
  // Subscriber rules (issue 14): one check when the policy sets none.
  const rules = policy?.rules;
  const repeatCall = rules && rules.ringRepeatWithinMinutes > 0 && caller.kind !== 'anonymous' ? noteCall(ctx, askerOrgId, calleeHash, caller.canonical, at, rules) : undefined;
  // STIR/SHAKEN attestation history: a Map look-up, and nothing at all when no history is loaded.
  const callerIdRisk = verified ? verified.risk : caller.kind === 'phone' ? historyRiskFor(ctx, caller.canonical, input.attestation, input.verstat) : undefined;
  const holder = caller.kind === 'phone' ? holderLookupFor(ctx, caller.canonical) : undefined;
  // Most calls are plain (no policy, no video, no failed or C attestation): their decision is
  // shared per reputation value, so nothing is built for them but the result object.
  const plain = plainDecision(caller.kind, input.channel, input.attestation, input.verstat, callerIdRisk, policy, holder, reputation);
  if (plain !== undefined) {
    if (callee.kind === 'phone') noteScreenedCall(ctx, caller.canonical, callee.canonical, at);
    return plain.advice === undefined
      ? { caller: caller.canonical, callerKind: caller.kind, action: plain.action, score: plain.score, category: plain.category, label: plain.label, reasons: plain.reasons }
      : { caller: caller.canonical, callerKind: caller.kind, action: plain.action, score: plain.score, category: plain.category, label: plain.label, reasons: plain.reasons, advice: plain.advice };
  }
  const decision = screenCall(
    {
      caller,
      callee,
      channel: input.channel as Channel,
      attestation: input.attestation as Attestation | undefined,
      verstat: input.verstat as Verstat | undefined,
      callerIdRisk,
      at,
      repeatCall: repeatCall === true,
    },
    policy,
    reputation,
    ctx.hash,
    holder,
  );
  // A call to a honeypot line (issue 15): a Map look-up here, the write in the background.
  if (caller.kind === 'phone' && callee.kind === 'phone') noteScreenedCall(ctx, caller.canonical, callee.canonical, at);
  if (rules?.keepHistory) recordDecision(ctx, askerOrgId, calleeHash, caller.canonical, input.channel, at, decision);
  return { caller: caller.canonical, callerKind: caller.kind, ...decision };
}
