import type { X509Certificate } from 'node:crypto';
import { checkCertificateProfile } from './certificate-profile.js';
import type { CertificateProfile } from './certificate-profile.js';
import { rejectIdentity } from './stir-rejection.js';
import type { TnEntry } from './tn-auth-list.js';

// Delegate certificates (RFC 9060, ATIS-1000092): a service provider hands a customer (an
// enterprise, a VoIP reseller) a certificate whose TNAuthList lists telephone numbers, one by one
// ([2] TelephoneNumber) or as ranges ([1] TelephoneNumberRange), instead of the SP's code. Such a
// certificate authorises exactly those numbers, so the PASSporT's `orig` must be one of them.

/** One authorised block of numbers: `count` consecutive numbers of `start`'s length from `start`. */
export interface TnScopeEntry {
  start: string;
  count: number;
}

/** Profile findings that describe the ATIS-1000080 SPC form and do not apply to a delegate. */
export const DELEGATE_WAIVED_FINDINGS: ReadonlySet<string> = new Set(['tn-auth-list-not-spc', 'tn-auth-list-count']);

// RFC 8226 §9: TelephoneNumber ::= IA5String (SIZE (1..15)) (FROM ("0123456789#*")); a range counts
// from its start (a range of one is a single number, which RFC 8226 allows too).
const TN = /^[0-9#*]{1,15}$/;
const DIGITS = /^[0-9]{1,15}$/;

function refuse(desc: string): never {
  return rejectIdentity(437, desc, { verstat: 'TN-Validation-Failed', code: 'STIR_INVALID_CERTIFICATE', field: 'x5u' });
}

function toScope(entries: readonly TnEntry[], whose: string): TnScopeEntry[] {
  return entries.map((e) => {
    if (e.type === 'one') {
      if (!TN.test(e.tn)) refuse(`The ${whose} TNAuthList number '${e.tn}' is not a telephone number (RFC 8226 §9)`);
      return { start: e.tn, count: 1 };
    }
    if (e.type !== 'range') return refuse(`The ${whose} TNAuthList mixes an SPC with telephone numbers`);
    if (!DIGITS.test(e.start) || !Number.isSafeInteger(e.count) || e.count < 1) {
      refuse(`The ${whose} TNAuthList range '${e.start}' + ${e.count} is not a telephone number range (RFC 8226 §9)`);
    }
    // The range may not run past the start's length (12155559999 + 2 would need a 12th digit).
    if (BigInt(e.start) + BigInt(e.count - 1) >= 10n ** BigInt(e.start.length)) {
      refuse(`The ${whose} TNAuthList range '${e.start}' + ${e.count} runs past ${e.start.length} digits`);
    }
    return { start: e.start, count: e.count };
  });
}

function contains(block: TnScopeEntry, tn: string): boolean {
  if (block.count === 1 || !DIGITS.test(tn)) return tn === block.start;
  if (tn.length !== block.start.length) return false;
  const offset = BigInt(tn) - BigInt(block.start);
  return offset >= 0n && offset < BigInt(block.count);
}

function encloses(outer: TnScopeEntry, inner: TnScopeEntry): boolean {
  if (inner.count === 1) return contains(outer, inner.start);
  if (!DIGITS.test(outer.start) || outer.start.length !== inner.start.length) return false;
  const first = BigInt(inner.start) - BigInt(outer.start);
  return first >= 0n && first + BigInt(inner.count) <= BigInt(outer.count);
}

/** `12155551200–12155551299, 12155559999`: how a reason names the numbers a certificate covers. */
export function describeScope(scope: readonly TnScopeEntry[]): string {
  return scope
    .map((b) => (b.count === 1 ? b.start : `${b.start}–${(BigInt(b.start) + BigInt(b.count - 1)).toString().padStart(b.start.length, '0')}`))
    .join(', ');
}

/**
 * The numbers a delegate certificate covers, or undefined for an SPC certificate. A TNAuthList of
 * TNs and ranges only is a delegate; when the certificate that issued it carries a TNAuthList of
 * numbers too, the delegate's must lie inside it (RFC 9060 §8: a delegate cannot widen its
 * issuer's scope). An issuer holding an SPC cannot be compared without number-to-SPC data, so it
 * is not. Problems are 437 TN-Validation-Failed.
 */
export function delegateScopeOf(profile: CertificateProfile, issuer: X509Certificate | undefined): TnScopeEntry[] | undefined {
  const entries = profile.tnAuthList;
  if (entries === undefined || entries.length === 0 || entries.every((e) => e.type === 'spc')) return undefined;
  const scope = toScope(entries, "delegate certificate's");
  if (issuer !== undefined) {
    let issuerEntries: TnEntry[] | undefined;
    try {
      issuerEntries = checkCertificateProfile(issuer, { role: 'intermediate' }).tnAuthList;
    } catch {
      issuerEntries = undefined;
    }
    if (issuerEntries !== undefined && issuerEntries.length > 0 && issuerEntries.every((e) => e.type !== 'spc')) {
      const outer = toScope(issuerEntries, "issuing CA's");
      const outside = scope.filter((b) => !outer.some((o) => encloses(o, b)));
      if (outside.length > 0) {
        refuse(`The delegate certificate covers ${describeScope(outside)}, outside its issuer's TNAuthList ${describeScope(outer)} (RFC 9060)`);
      }
    }
  }
  return scope;
}

/** Whether `tn` (canonical digits) is one of the numbers of a delegate certificate. */
export function isTnInScope(scope: readonly TnScopeEntry[], tn: string): boolean {
  return scope.some((b) => contains(b, tn));
}

/**
 * RFC 9060 §6 / ATIS-1000092: the calling number must be one the delegate certificate lists.
 * Outside is 438 TN-Validation-Failed (the credential does not cover the identity, RFC 8224 §6.2.3).
 */
export function checkOrigInScope(scope: readonly TnScopeEntry[], orig: string): void {
  if (scope.some((b) => contains(b, orig))) return;
  rejectIdentity(438, `The 'orig' ${orig} is not in the delegate certificate's TNAuthList (${describeScope(scope)}) (RFC 9060)`, {
    verstat: 'TN-Validation-Failed',
  });
}
