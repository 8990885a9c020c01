import type { Reason } from '../reputation/index.js';
import type { CallerHolder } from './types.js';

// Words that say what kind of organisation someone claims to be, not which one. "Bank customer
// service" names no bank; "ICBC customer service" names one.
const GENERIC = new Set([
  'customer', 'service', 'services', 'support', 'care', 'hotline', 'center', 'centre', 'team', 'department', 'dept',
  'official', 'staff', 'the', 'of', 'and', 'co', 'ltd', 'inc', 'limited', 'company', 'corp', 'corporation', 'group', 'line',
  'bank', 'platform', 'payment', 'payments', 'loan', 'loans', 'finance', 'financial', 'credit', 'insurance', 'police', 'government', 'agent',
]);
const KIND_WORDS = ['bank', 'payment', 'loan', 'finance', 'credit', 'insurance', 'police', 'government', '银行', '支付', '贷', '金融', '保险', '公安', '警'];
const CJK_GENERIC = /(客服|客户服务|服务中心|热线|官方|工作人员|中心)/g;

function normalise(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(CJK_GENERIC, ' ').replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

function distinctive(s: string): string[] {
  return normalise(s).split(' ').filter((w) => w.length > 1 && !GENERIC.has(w));
}

export interface ClaimCheck {
  /** True when the claim fits the registered holder. */
  readonly consistent: boolean;
  readonly reason: Reason;
}

/**
 * Does a caller's claim ("ICBC customer service") fit who holds the number? A claim that names an
 * organisation must name the holder (every distinctive word of the claim appears in the holder's
 * name, or one name contains the other); a generic claim ("bank customer service") must match the
 * kind of holder. A claim from a number no organisation registered is an impersonation sign: real
 * customer-service lines are registered by their carrier. Pure.
 */
export function checkClaim(holder: CallerHolder | undefined, claimedOrganization: string | null | undefined): ClaimCheck | null {
  const claim = claimedOrganization?.trim();
  if (!claim) return null;
  if (!holder) {
    return { consistent: false, reason: { code: 'CLAIM_UNREGISTERED', text: `The caller claimed to be ${claim}, but no organisation has registered this number` } };
  }
  const c = normalise(claim);
  const h = normalise(holder.name);
  const words = distinctive(claim);
  let fits: boolean;
  if (c && h && (h.includes(c) || c.includes(h))) fits = true;
  else if (words.length > 0) fits = words.every((w) => h.split(' ').includes(w) || h.includes(w));
  else fits = KIND_WORDS.some((k) => c.includes(k) && h.includes(k));
  return fits
    ? { consistent: true, reason: { code: 'CLAIM_MATCHES_HOLDER', text: `The caller's claim fits the registered holder, ${holder.name}` } }
    : { consistent: false, reason: { code: 'CLAIM_NOT_HOLDER', text: `The caller claimed to be ${claim}, but the number is registered to ${holder.name}` } };
}
