import { labelOf, reputationReason } from '../reputation/index.js';
import type { HotReputation, Reason } from '../reputation/index.js';
import { adviceFor, adviceKeyForCategory } from './advice.js';
import { ATTESTATION_C_PENALTY, DEFAULT_THRESHOLDS, GUARDIAN_THRESHOLDS, VERIFICATION_FAILED_PENALTY } from './thresholds.js';
import type { Action, CallerHolder, CallerIdRisk, Decision, ScreenCall, SubscriberPolicy } from './types.js';
import { checkClaim } from './check-claim.js';
import { inWindow, minuteOfDay } from './local-time.js';

// A caller whose reported claim ("ICBC customer service") does not fit the number's registered
// holder is an impersonation sign (docs/governance.md): as strong as a failed attestation C, weaker
// than a failed signature.
const CLAIM_MISMATCH_PENALTY = 15;

const RANK: Readonly<Record<Action, number>> = { allow: 0, label: 1, warn: 2, silence: 3, block: 4 };

function atLeast(current: Action, floor: Action): Action {
  return RANK[current] >= RANK[floor] ? current : floor;
}

/**
 * One decision for one incoming call, from the caller's reputation, the caller-ID authentication
 * outcome, the channel and the subscriber's own policy. Pure: the reputation comes from the
 * in-memory index and `hashCaller` is only called when the policy has contacts or pinned numbers.
 */
export function screenCall(
  call: ScreenCall,
  policy: SubscriberPolicy | undefined,
  reputation: HotReputation | undefined,
  hashCaller: (canonical: string) => string,
  /** From the number-holder registry: the holder, null when the registry has none, undefined when not consulted. */
  holder?: CallerHolder | null,
): Decision {
  const language = policy?.language ?? 'en';
  const reasons: Reason[] = [];
  const anonymous = call.caller.kind === 'anonymous';

  if (policy && !anonymous && (policy.contacts.size > 0 || policy.pinnedBusinesses.size > 0)) {
    const h = hashCaller(call.caller.canonical);
    if (policy.contacts.has(h)) {
      return { action: 'allow', score: reputation?.score ?? 0, category: reputation?.category ?? null, label: 'Contact', reasons: [{ code: 'CONTACT', text: 'The caller is in your contacts' }] };
    }
    if (policy.pinnedBusinesses.has(h)) {
      return { action: 'allow', score: reputation?.score ?? 0, category: reputation?.category ?? null, label: 'Pinned business', reasons: [{ code: 'PINNED_BUSINESS', text: 'You pinned this business as trusted' }] };
    }
  }

  // Subscriber rules (issue 14): one check for a policy without them.
  const rules = policy?.rules;
  let blockedPrefix: string | undefined;
  let allowedPrefix: string | undefined;
  if (rules && call.caller.kind === 'phone' && (rules.allowPrefixes.length > 0 || rules.blockPrefixes.length > 0)) {
    allowedPrefix = longestPrefix(rules.allowPrefixes, call.caller.canonical);
    blockedPrefix = longestPrefix(rules.blockPrefixes, call.caller.canonical);
    // The longer prefix wins ("+1900" blocked, "+1900555" allowed); an equal one is allowed.
    if (blockedPrefix && allowedPrefix && allowedPrefix.length >= blockedPrefix.length) blockedPrefix = undefined;
    else if (blockedPrefix) allowedPrefix = undefined;
  }

  const thresholds = policy?.guardianMode ? GUARDIAN_THRESHOLDS : DEFAULT_THRESHOLDS;
  let score = reputation?.score ?? 0;
  let adviceKey: Parameters<typeof adviceFor>[0] | undefined;

  if (reputation) {
    reasons.push(reputationReason(reputation));
    if (reputation.confirmed) reasons.push({ code: 'CONFIRMED_LIST', text: 'On a police or regulator confirmed fraud list' });
  }
  if (call.caller.kind === 'phone') {
    if (call.verstat === 'TN-Validation-Failed') {
      score = Math.min(100, score + VERIFICATION_FAILED_PENALTY);
      reasons.push({ code: 'CALLER_ID_FAILED', text: 'The caller ID signature failed verification (STIR/SHAKEN); the number may be spoofed' });
      adviceKey = 'spoofed';
    } else if (call.attestation === 'C') {
      score = Math.min(100, score + ATTESTATION_C_PENALTY);
      reasons.push({ code: 'ATTESTATION_C', text: 'The originating carrier only vouches for the gateway, not for the number (attestation C)' });
    }
    if (call.callerIdRisk) {
      score = Math.max(0, Math.min(100, score + call.callerIdRisk.delta));
      reasons.push(...call.callerIdRisk.reasons);
      if (call.callerIdRisk.spoofingSuspected) adviceKey ??= 'spoofed';
    }
  }

  let verifiedCaller: string | undefined;
  if (holder !== undefined && call.caller.kind === 'phone') {
    const claim = checkClaim(holder ?? undefined, reputation?.claimedOrganization);
    if (claim && !claim.consistent) {
      score = Math.min(100, score + CLAIM_MISMATCH_PENALTY);
      reasons.push(claim.reason);
    } else if (holder?.verified && call.verstat !== 'TN-Validation-Failed' && call.attestation !== 'C' && !call.callerIdRisk?.spoofingSuspected) {
      verifiedCaller = holder.name;
      reasons.push({ code: 'VERIFIED_HOLDER', text: `The number is registered to ${holder.name} (${holder.use}); the carrier verified who holds it` });
    } else if (holder) {
      reasons.push({ code: 'REGISTERED_HOLDER', text: `The number is registered to ${holder.name} (${holder.use}), identity not verified` });
    }
  }

  let action: Action = 'allow';
  if (score >= thresholds.block) action = 'block';
  else if (score >= thresholds.warn) action = 'warn';
  else if (score >= thresholds.label) action = 'label';
  if (reputation?.confirmed) action = 'block';
  if (policy?.guardianMode && action !== 'allow') {
    reasons.push({ code: 'GUARDIAN_MODE', text: 'Guardian mode is on: stricter thresholds apply' });
  }

  let label = reputation && score >= thresholds.label ? labelOf(reputation) : verifiedCaller ? `${verifiedCaller} (verified)` : 'Unknown caller';
  if (!reputation && call.verstat === 'TN-Validation-Failed') label = 'Unverified caller ID';

  if (anonymous) {
    label = 'Number withheld';
    reasons.push({ code: 'WITHHELD', text: 'The caller hid their identity' });
    action = atLeast(action, policy?.blockWithheld ? 'block' : policy?.guardianMode ? 'silence' : 'label');
    adviceKey ??= 'withheld';
  }

  const categoryAdvice = adviceKeyForCategory(reputation?.category ?? null, action);
  if (categoryAdvice) adviceKey = categoryAdvice;

  if (call.channel === 'video') {
    // The FaceTime case: anyone can video-call an e-mail address. A stranger's video call always
    // carries the advice, and is silenced when the subscriber asked for it (or is in guardian mode).
    reasons.push({ code: 'VIDEO_STRANGER', text: 'A video call from someone who is not in your contacts' });
    if (policy?.silenceUnknownVideo || policy?.guardianMode) {
      action = atLeast(action, 'silence');
      reasons.push({ code: 'SILENCE_UNKNOWN_VIDEO', text: 'Your policy silences video calls from strangers' });
    }
    if (adviceKey !== 'fraud') adviceKey = 'video-stranger';
  }

  if (rules) {
    if (allowedPrefix) {
      reasons.push({ code: 'ALLOW_PREFIX', text: `Your policy allows numbers starting with ${allowedPrefix}` });
    }
    if (blockedPrefix) {
      action = atLeast(action, rules.blockPrefixAction);
      reasons.push({ code: 'BLOCK_PREFIX', text: `Your policy ${rules.blockPrefixAction === 'block' ? 'blocks' : 'silences'} numbers starting with ${blockedPrefix}` });
    }
    const q = rules.quietHours;
    if (q && !allowedPrefix && inWindow(minuteOfDay(call.at, q.timeZone), q.startMinute, q.endMinute)) {
      action = atLeast(action, 'silence');
      reasons.push({ code: 'QUIET_HOURS', text: `Quiet hours (${q.start}-${q.end}, ${q.timeZone}): callers who are not your contacts are silenced` });
    }
    if (rules.ringRepeatWithinMinutes > 0 && call.repeatCall && action === 'silence' && !reputation?.confirmed) {
      // A real person calls back: the second call within the window rings (labelled when known).
      action = score >= thresholds.label ? 'label' : 'allow';
      reasons.push({ code: 'RING_REPEAT', text: `The same number called within ${rules.ringRepeatWithinMinutes} minutes: this call rings` });
    }
  }

  if (policy?.paused && action !== 'allow') {
    // The subscriber switched protection off: show what we know, but let every call ring.
    reasons.push({ code: 'PROTECTION_PAUSED', text: `Protection is paused; without the pause this call would be: ${action}` });
    action = score >= thresholds.label || anonymous ? 'label' : 'allow';
  }

  const decision: Decision = {
    action,
    score,
    category: reputation?.category ?? null,
    label,
    reasons: reasons.length ? reasons : [{ code: 'NO_EVIDENCE', text: 'Nothing is known against this caller' }],
    ...(verifiedCaller ? { verifiedCaller } : {}),
  };
  return adviceKey ? { ...decision, advice: adviceFor(adviceKey, language) } : decision;
}

// Most calls are plain: a phone caller, no policy for the callee (a carrier sets none), no video,
// no failed or C attestation, no caller-ID history points and no holder registry consulted. Then
// screenCall's decision depends on the caller's reputation alone (not on the numbers, the time or
// an A/B attestation), and the index hands out one shared frozen object per reputation value; so
// the decision is worked out once per such object, by screenCall itself, and shared frozen too.
const PLAIN_CALL: ScreenCall = Object.freeze({
  caller: Object.freeze({ kind: 'phone', canonical: '+10000000' }),
  callee: Object.freeze({ kind: 'phone', canonical: '+10000001' }),
  channel: 'pstn',
  at: 0,
});
const plainDecisions = new WeakMap<HotReputation, Decision>();
let plainUnknown: Decision | undefined;

function frozenDecision(d: Decision): Decision {
  for (const r of d.reasons) Object.freeze(r);
  Object.freeze(d.reasons);
  return Object.freeze(d);
}

/**
 * screenCall's decision for a plain call (see above), shared and frozen; undefined when the call is
 * not plain or the reputation is not a shared frozen one (a claimed organisation), and the caller
 * must run screenCall. test/unit/properties/plain-decision.test.ts compares both over random calls.
 */
export function plainDecision(
  callerKind: string,
  channel: string,
  attestation: string | undefined,
  verstat: string | undefined,
  callerIdRisk: CallerIdRisk | undefined,
  policy: SubscriberPolicy | undefined,
  holder: CallerHolder | null | undefined,
  reputation: HotReputation | undefined,
): Decision | undefined {
  if (callerKind !== 'phone' || channel === 'video' || attestation === 'C' || verstat === 'TN-Validation-Failed' || callerIdRisk !== undefined || policy !== undefined || holder !== undefined) return undefined;
  if (reputation === undefined) return (plainUnknown ??= frozenDecision(screenCall(PLAIN_CALL, undefined, undefined, unusedHash)));
  if (!Object.isFrozen(reputation)) return undefined;
  let d = plainDecisions.get(reputation);
  if (d === undefined) {
    d = frozenDecision(screenCall(PLAIN_CALL, undefined, reputation, unusedHash));
    plainDecisions.set(reputation, d);
  }
  return d;
}

// Without a policy screenCall never hashes the caller.
function unusedHash(): string {
  throw new Error('a plain call has no policy to hash the caller for');
}

/** The longest of the prefixes the identifier starts with, or undefined. */
function longestPrefix(prefixes: readonly string[], canonical: string): string | undefined {
  let best: string | undefined;
  for (const p of prefixes) if (canonical.startsWith(p) && (!best || p.length > best.length)) best = p;
  return best;
}
