import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { consentStatus, decideCallable } from '../../../src/governance/index.js';
import type { ConsentState, ScrubQuery } from '../../../src/governance/index.js';

const T = Date.parse('2026-11-01T00:00:00Z');
const q = (over: Partial<ScrubQuery> = {}): ScrubQuery => ({ purpose: 'marketing', businessKey: 'acme insurance', requireConsent: false, at: T, ...over });
const consent = (over: Partial<ConsentState> = {}): ConsentState => ({ id: 'c1', businessKey: 'acme insurance', purpose: 'marketing', grantedAt: T - 1000, revokedAt: null, ...over });
const codes = (o: { reasons: readonly { code: string }[] }): string[] => o.reasons.map((r) => r.code);

describe('decideCallable', () => {
  it('a number nobody registered may be called', () => {
    assert.deepEqual(decideCallable(false, undefined, q()), { callable: true, reasons: [] });
  });
  it('a number on the do-not-call list may not be called for marketing or research', () => {
    for (const purpose of ['marketing', 'research'] as const) {
      const o = decideCallable(true, undefined, q({ purpose }));
      assert.equal(o.callable, false);
      assert.deepEqual(codes(o), ['DNC_REGISTERED']);
    }
  });
  it('the list does not cover notifications and customer service', () => {
    assert.equal(decideCallable(true, undefined, q({ purpose: 'notifications' })).callable, true);
    assert.equal(decideCallable(true, undefined, q({ purpose: 'customer-service' })).callable, true);
  });
  it('an active consent to this business for this purpose outranks the list', () => {
    assert.equal(decideCallable(true, [consent()], q()).callable, true);
  });
  it('a consent to another business or for another purpose does not', () => {
    assert.equal(decideCallable(true, [consent({ businessKey: 'other co' })], q()).callable, false);
    assert.equal(decideCallable(true, [consent({ purpose: 'research' })], q()).callable, false);
    assert.equal(decideCallable(true, [consent()], q({ businessKey: null })).callable, false);
  });
  it('a revoked consent forbids the call even off the list, and says both when on it', () => {
    const revoked = consent({ revokedAt: T - 10 });
    assert.deepEqual(codes(decideCallable(false, [revoked], q())), ['CONSENT_REVOKED']);
    assert.deepEqual(codes(decideCallable(true, [revoked], q())), ['CONSENT_REVOKED', 'DNC_REGISTERED']);
  });
  it('a consent granted after the time asked about does not count yet', () => {
    assert.equal(consentStatus([consent({ grantedAt: T + 1 })], 'acme insurance', 'marketing', T), 'none');
    assert.equal(consentStatus([consent({ revokedAt: T + 5 })], 'acme insurance', 'marketing', T), 'active');
  });
  it('with requireConsent, marketing needs an explicit consent', () => {
    assert.deepEqual(codes(decideCallable(false, undefined, q({ requireConsent: true }))), ['NO_CONSENT']);
    assert.deepEqual(codes(decideCallable(true, undefined, q({ requireConsent: true }))), ['DNC_REGISTERED', 'NO_CONSENT']);
    assert.equal(decideCallable(false, [consent()], q({ requireConsent: true })).callable, true);
    assert.equal(decideCallable(false, undefined, q({ requireConsent: true, purpose: 'notifications' })).callable, true);
  });
});
