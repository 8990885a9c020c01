import type { Category } from '../reputation/index.js';
import type { ClaimCheck } from '../screening/check-claim.js';
import type { HolderBlock, Reason } from './types.js';

// Complaints about these categories are about unwanted selling; consent and the declared use of the
// number apply. Fraud and impersonation are crimes whatever anyone consented to.
export const MARKETING_CATEGORIES: ReadonlySet<Category> = new Set<Category>(['spam-ad', 'harassment', 'robocall']);

export interface ComplaintFacts {
  readonly category: Category;
  /** What the person says: did they ever consent to calls from this caller? */
  readonly consented: boolean;
  readonly calleeOnDnc: boolean;
  /** Consent of the holder's business for marketing at the time of the call. */
  readonly consent: 'active' | 'revoked' | 'none';
  readonly holder: HolderBlock | undefined;
  readonly claim: ClaimCheck | null;
}

export interface ComplaintAssessment {
  readonly violation: boolean;
  /** Codes of the findings that are violations (DNC_REGISTERED, NO_CONSENT, CONSENT_REVOKED, USE_MISMATCH, CLAIM_*). */
  readonly violations: readonly string[];
  readonly findings: readonly Reason[];
}

/** Checks a complaint against the consent and number-holder registries. Pure. */
export function assessComplaint(f: ComplaintFacts): ComplaintAssessment {
  const findings: Reason[] = [];
  const violations: string[] = [];
  const flag = (r: Reason): void => {
    findings.push(r);
    violations.push(r.code);
  };
  const holderName = f.holder?.holder;
  if (!f.holder) {
    findings.push({ code: 'UNREGISTERED_NUMBER', text: 'No carrier has registered who holds this number; the complaint goes to the regulator' });
  } else {
    findings.push({ code: 'HOLDER', text: `The number is held by ${holderName} (${f.holder.identityLevel}), declared for ${f.holder.use}, through ${f.holder.carrierName}` });
  }
  if (MARKETING_CATEGORIES.has(f.category)) {
    if (f.consent === 'active') {
      findings.push({ code: 'CONSENT_ON_RECORD', text: `${holderName} has a consent on record from this person for marketing` });
    } else if (f.consent === 'revoked') {
      flag({ code: 'CONSENT_REVOKED', text: `The person had revoked their consent to ${holderName} before the call` });
    } else if (!f.consented) {
      flag({ code: 'NO_CONSENT', text: 'The person never consented and no consent is on record: marketing calls need explicit consent' });
    } else {
      findings.push({ code: 'PERSON_SAYS_CONSENTED', text: 'The person says they had consented, but no consent is on record' });
    }
    if (f.calleeOnDnc && f.consent !== 'active') {
      flag({ code: 'DNC_REGISTERED', text: 'The person\'s number is on the do-not-call list' });
    }
    if (f.holder && f.holder.use !== 'marketing') {
      flag({ code: 'USE_MISMATCH', text: `Marketing from a number block declared for ${f.holder.use}` });
    }
  }
  if (f.claim && !f.claim.consistent) flag(f.claim.reason);
  return { violation: violations.length > 0, violations, findings };
}

/** A holder with this many confirmed violations within the window is recommended for suspension. */
export const ESCALATION_RULE = Object.freeze({ violations: 3, windowDays: 30 });

/** The confirmed violations (times of the calls, ms) that fall within the window ending at `now`, if they reach the rule. */
export function violationsToEscalate(confirmedAt: readonly number[], now: number, rule = ESCALATION_RULE): number[] | null {
  const from = now - rule.windowDays * 86_400_000;
  const inWindow = confirmedAt.filter((t) => t >= from && t <= now);
  return inWindow.length >= rule.violations ? inWindow : null;
}
