import type { ConsentState, Purpose, Reason, ScrubOutcome } from './types.js';

// The scrub rules (docs/governance.md):
// 1. A number that cannot be parsed cannot be called: INVALID_NUMBER.
// 2. An active consent the person gave this business for this purpose allows the call, even when
//    the number is on the do-not-call list: the Civil Code (Art. 1033) allows contact the person
//    has explicitly agreed to, and a specific consent outranks the general registration.
// 3. A consent the person revoked for this business and purpose forbids the call: CONSENT_REVOKED.
// 4. A number on the do-not-call list may not be called for unsolicited purposes (marketing,
//    research): DNC_REGISTERED. Notifications and customer service to a person in a relationship
//    with the business are outside the list's scope.
// 5. With requireConsent, marketing needs an explicit consent from this business: NO_CONSENT.
export const UNSOLICITED: ReadonlySet<Purpose> = new Set<Purpose>(['marketing', 'research']);

export const REASONS = {
  INVALID_NUMBER: { code: 'INVALID_NUMBER', text: 'The number cannot be parsed as a phone number' },
  DNC_REGISTERED: { code: 'DNC_REGISTERED', text: 'The person registered this number on the do-not-call list' },
  CONSENT_REVOKED: { code: 'CONSENT_REVOKED', text: 'The person revoked their consent to this business for this purpose' },
  NO_CONSENT: { code: 'NO_CONSENT', text: 'Marketing calls need the person\'s explicit consent, and this business has none' },
} as const satisfies Record<string, Reason>;

const OK: ScrubOutcome = Object.freeze({ callable: true, reasons: Object.freeze([]) as readonly Reason[] });
const ONLY_DNC: ScrubOutcome = Object.freeze({ callable: false, reasons: Object.freeze([REASONS.DNC_REGISTERED]) });
export const INVALID: ScrubOutcome = Object.freeze({ callable: false, reasons: Object.freeze([REASONS.INVALID_NUMBER]) });

export interface ScrubQuery {
  readonly purpose: Purpose;
  /** businessKeyOf(name) of the business that wants to call, or null (a carrier scrubbing for DNC only). */
  readonly businessKey: string | null;
  readonly requireConsent: boolean;
  readonly at: number;
}

/** The consent of `businessKey` for `purpose` that was in force at `at`, or the latest revoked one. */
export function consentStatus(consents: readonly ConsentState[] | undefined, businessKey: string | null, purpose: Purpose, at: number): 'active' | 'revoked' | 'none' {
  if (!consents || businessKey === null) return 'none';
  let revoked = false;
  for (const c of consents) {
    if (c.businessKey !== businessKey || c.purpose !== purpose || c.grantedAt > at) continue;
    if (c.revokedAt === null || c.revokedAt > at) return 'active';
    revoked = true;
  }
  return revoked ? 'revoked' : 'none';
}

/** May this number be called for this purpose by this business? Pure; allocation-free on the common paths. */
export function decideCallable(onDnc: boolean, consents: readonly ConsentState[] | undefined, q: ScrubQuery): ScrubOutcome {
  if (!onDnc && consents === undefined && !(q.requireConsent && q.purpose === 'marketing')) return OK;
  const status = consentStatus(consents, q.businessKey, q.purpose, q.at);
  if (status === 'active') return OK;
  const dnc = onDnc && UNSOLICITED.has(q.purpose);
  const reasons: Reason[] = [];
  if (status === 'revoked') reasons.push(REASONS.CONSENT_REVOKED);
  if (dnc) {
    if (reasons.length === 0 && !(q.requireConsent && q.purpose === 'marketing')) return ONLY_DNC;
    reasons.push(REASONS.DNC_REGISTERED);
  }
  if (q.requireConsent && q.purpose === 'marketing' && status === 'none') reasons.push(REASONS.NO_CONSENT);
  return reasons.length ? { callable: false, reasons } : OK;
}
