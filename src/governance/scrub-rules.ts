import type { ConsentState, ContactChannel, Purpose, Reason, ScrubOutcome } from './types.js';

// The scrub rules (docs/governance.md):
// 1. A number that cannot be parsed cannot be called: INVALID_NUMBER.
// 2. A consent counts only for the business, purpose and channel it names ("any" covers every
//    channel), from when it was given until it expires (a year by default, two at most) or is
//    withdrawn.
// 3. A consent in force outranks a do-not-call registration made before it: the Civil Code
//    (Art. 1033) allows contact the person has explicitly agreed to, and a specific consent given
//    after the general registration is the person's later word.
// 4. A registration made after the consent wins over it: the person's later word again, so a
//    business's consent on record cannot keep a person callable after they asked not to be
//    called (CONSENT_SUPERSEDED and DNC_REGISTERED).
// 5. A consent the person withdrew forbids the call for that purpose, on or off the list:
//    CONSENT_REVOKED. An expired one is no consent (CONSENT_EXPIRED says why, when it matters).
// 6. A number on the do-not-call list may not be called for unsolicited purposes (marketing,
//    research): DNC_REGISTERED. Notifications and customer service to a person in a relationship
//    with the business are outside the list's scope.
// 7. With requireConsent, marketing needs an explicit consent from this business: NO_CONSENT.
export const UNSOLICITED: ReadonlySet<Purpose> = new Set<Purpose>(['marketing', 'research']);

export const REASONS = {
  INVALID_NUMBER: { code: 'INVALID_NUMBER', text: 'The number cannot be parsed as a phone number' },
  DNC_REGISTERED: { code: 'DNC_REGISTERED', text: 'The person registered this number on the do-not-call list' },
  CONSENT_SUPERSEDED: { code: 'CONSENT_SUPERSEDED', text: 'The person registered on the do-not-call list after giving this consent: the later registration wins' },
  CONSENT_REVOKED: { code: 'CONSENT_REVOKED', text: 'The person revoked their consent to this business for this purpose' },
  CONSENT_EXPIRED: { code: 'CONSENT_EXPIRED', text: 'The consent of this business for this purpose and channel has expired' },
  NO_CONSENT: { code: 'NO_CONSENT', text: 'Marketing calls need the person\'s explicit consent, and this business has none' },
} as const satisfies Record<string, Reason>;

const OK: ScrubOutcome = Object.freeze({ callable: true, reasons: Object.freeze([]) as readonly Reason[] });
const ONLY_DNC: ScrubOutcome = Object.freeze({ callable: false, reasons: Object.freeze([REASONS.DNC_REGISTERED]) });
export const INVALID: ScrubOutcome = Object.freeze({ callable: false, reasons: Object.freeze([REASONS.INVALID_NUMBER]) });

/** Who wants to reach the person, why, how and when. */
export interface ConsentMatch {
  /** businessKeyOf(name) of the business that wants to call, or null (a carrier scrubbing for DNC only). */
  readonly businessKey: string | null;
  readonly purpose: Purpose;
  readonly channel: ContactChannel;
  readonly at: number;
}

export interface ScrubQuery extends ConsentMatch {
  readonly requireConsent: boolean;
}

/**
 * - active: a consent in force (rules 2, 3)
 * - superseded: one would be in force, but the person registered on the list after giving it (rule 4)
 * - revoked / expired: a matching consent was withdrawn / has lapsed (and none is in force)
 * - none: no consent of this business for this purpose and channel
 */
export type ConsentStatus = 'active' | 'superseded' | 'revoked' | 'expired' | 'none';

/**
 * The standing of `m.businessKey`'s consents for this purpose and channel at `m.at`.
 * `dncRegisteredAt` is when the number's latest active do-not-call registration was made
 * (undefined: not on the list); it matters only for the purposes the list covers.
 */
export function consentStatus(consents: readonly ConsentState[] | undefined, m: ConsentMatch, dncRegisteredAt?: number): ConsentStatus {
  if (!consents || m.businessKey === null) return 'none';
  const listCovers = dncRegisteredAt !== undefined && UNSOLICITED.has(m.purpose);
  let superseded = false;
  let revoked = false;
  let expired = false;
  for (const c of consents) {
    if (c.businessKey !== m.businessKey || c.purpose !== m.purpose || c.grantedAt > m.at) continue;
    if (c.channel !== 'any' && c.channel !== m.channel) continue;
    if (c.revokedAt !== null && c.revokedAt <= m.at) revoked = true;
    else if (c.expiresAt <= m.at) expired = true;
    else if (listCovers && dncRegisteredAt! > c.grantedAt) superseded = true;
    else return 'active';
  }
  // The person's explicit withdrawal is the strongest word, then their later registration.
  return revoked ? 'revoked' : superseded ? 'superseded' : expired ? 'expired' : 'none';
}

/**
 * May this number be called for this purpose by this business? Pure; allocation-free on the
 * common paths. `dncRegisteredAt`: as for consentStatus.
 */
export function decideCallable(dncRegisteredAt: number | undefined, consents: readonly ConsentState[] | undefined, q: ScrubQuery): ScrubOutcome {
  const needsConsent = q.requireConsent && q.purpose === 'marketing';
  if (dncRegisteredAt === undefined && consents === undefined && !needsConsent) return OK;
  const status = consentStatus(consents, q, dncRegisteredAt);
  if (status === 'active') return OK;
  const dnc = dncRegisteredAt !== undefined && UNSOLICITED.has(q.purpose);
  if (dnc && status === 'none' && !needsConsent) return ONLY_DNC;
  const reasons: Reason[] = [];
  if (status === 'revoked') reasons.push(REASONS.CONSENT_REVOKED);
  if (status === 'superseded') reasons.push(REASONS.CONSENT_SUPERSEDED);
  if (dnc) reasons.push(REASONS.DNC_REGISTERED);
  if (needsConsent && status !== 'revoked' && status !== 'superseded') reasons.push(REASONS.NO_CONSENT);
  // An expired consent explains a refusal; on its own it refuses nothing.
  if (status === 'expired' && reasons.length) reasons.unshift(REASONS.CONSENT_EXPIRED);
  return reasons.length ? { callable: false, reasons } : OK;
}
