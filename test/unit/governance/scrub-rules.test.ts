import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { consentStatus, decideCallable } from '../../../src/governance/index.js';
import type { ConsentState, ScrubQuery } from '../../../src/governance/index.js';

const DAY = 86_400_000;
const T = Date.parse('2026-11-01T00:00:00Z');
const NOT_LISTED = undefined;
/** On the list, registered long before every consent below. */
const LISTED_EARLY = T - 400 * DAY;
const q = (over: Partial<ScrubQuery> = {}): ScrubQuery => ({ purpose: 'marketing', channel: 'voice', businessKey: 'acme insurance', requireConsent: false, at: T, ...over });
const consent = (over: Partial<ConsentState> = {}): ConsentState => ({
  id: 'c1',
  businessKey: 'acme insurance',
  purpose: 'marketing',
  channel: 'voice',
  grantedAt: T - 10 * DAY,
  revokedAt: null,
  expiresAt: T + 300 * DAY,
  ...over,
});
const codes = (o: { reasons: readonly { code: string }[] }): string[] => o.reasons.map((r) => r.code);

describe('decideCallable', () => {
  it('a number nobody registered may be called', () => {
    assert.deepEqual(decideCallable(NOT_LISTED, undefined, q()), { callable: true, reasons: [] });
  });
  it('a number on the do-not-call list may not be called for marketing or research', () => {
    for (const purpose of ['marketing', 'research'] as const) {
      const o = decideCallable(LISTED_EARLY, undefined, q({ purpose }));
      assert.equal(o.callable, false);
      assert.deepEqual(codes(o), ['DNC_REGISTERED']);
    }
  });
  it('the list does not cover notifications and customer service', () => {
    assert.equal(decideCallable(LISTED_EARLY, undefined, q({ purpose: 'notifications' })).callable, true);
    assert.equal(decideCallable(LISTED_EARLY, undefined, q({ purpose: 'customer-service' })).callable, true);
  });
  it('a consent given after the registration outranks the list, for its business and purpose', () => {
    assert.equal(decideCallable(LISTED_EARLY, [consent()], q()).callable, true);
  });
  it('a consent to another business or for another purpose does not', () => {
    assert.equal(decideCallable(LISTED_EARLY, [consent({ businessKey: 'other co' })], q()).callable, false);
    assert.equal(decideCallable(LISTED_EARLY, [consent({ purpose: 'research' })], q()).callable, false);
    assert.equal(decideCallable(LISTED_EARLY, [consent()], q({ businessKey: null })).callable, false);
  });
  it('a consent counts only on its channel; "any" covers every channel', () => {
    assert.equal(decideCallable(LISTED_EARLY, [consent({ channel: 'sms' })], q({ channel: 'voice' })).callable, false);
    assert.equal(decideCallable(LISTED_EARLY, [consent({ channel: 'sms' })], q({ channel: 'sms' })).callable, true);
    for (const channel of ['voice', 'sms', 'video'] as const) assert.equal(decideCallable(LISTED_EARLY, [consent({ channel: 'any' })], q({ channel })).callable, true, channel);
  });
  it('a registration made after the consent wins over it, and says so', () => {
    const c = consent({ grantedAt: T - 10 * DAY });
    const o = decideCallable(T - 5 * DAY, [c], q());
    assert.equal(o.callable, false);
    assert.deepEqual(codes(o), ['CONSENT_SUPERSEDED', 'DNC_REGISTERED']);
    // Made before the consent: the consent still allows its own purpose and channel only.
    assert.equal(decideCallable(T - 20 * DAY, [c], q()).callable, true);
    assert.equal(decideCallable(T - 20 * DAY, [c], q({ channel: 'video' })).callable, false);
    assert.equal(decideCallable(T - 20 * DAY, [c], q({ purpose: 'research' })).callable, false);
  });
  it('a later registration does not touch purposes the list does not cover', () => {
    assert.equal(decideCallable(T - DAY, [consent({ purpose: 'notifications' })], q({ purpose: 'notifications' })).callable, true);
  });
  it('an expired consent is no consent: the list applies again, with the reason', () => {
    const old = consent({ grantedAt: T - 400 * DAY, expiresAt: T - DAY });
    assert.deepEqual(codes(decideCallable(T - 500 * DAY, [old], q())), ['CONSENT_EXPIRED', 'DNC_REGISTERED']);
    // Off the list an expired consent forbids nothing by itself...
    assert.equal(decideCallable(NOT_LISTED, [old], q()).callable, true);
    // ...but marketing that needs a consent has none.
    assert.deepEqual(codes(decideCallable(NOT_LISTED, [old], q({ requireConsent: true }))), ['CONSENT_EXPIRED', 'NO_CONSENT']);
    assert.equal(consentStatus([consent({ expiresAt: T })], q()), 'expired', 'expiry is exclusive');
  });
  it('a revoked consent forbids the call even off the list, and says both when on it', () => {
    const revoked = consent({ revokedAt: T - 10 });
    assert.deepEqual(codes(decideCallable(NOT_LISTED, [revoked], q())), ['CONSENT_REVOKED']);
    assert.deepEqual(codes(decideCallable(LISTED_EARLY, [revoked], q())), ['CONSENT_REVOKED', 'DNC_REGISTERED']);
  });
  it('a consent granted after the time asked about does not count yet', () => {
    assert.equal(consentStatus([consent({ grantedAt: T + 1 })], q()), 'none');
    assert.equal(consentStatus([consent({ revokedAt: T + 5 })], q()), 'active');
  });
  it('one consent in force is enough among several', () => {
    const list = [consent({ id: 'a', revokedAt: T - 5 }), consent({ id: 'b', channel: 'any', grantedAt: T - DAY })];
    assert.equal(consentStatus(list, q(), T - 2 * DAY), 'active');
    assert.equal(consentStatus(list, q(), T - 10), 'revoked', 'the withdrawal is named first');
    assert.equal(consentStatus(list.slice(1), q(), T - 10), 'superseded');
  });
  it('with requireConsent, marketing needs an explicit consent', () => {
    assert.deepEqual(codes(decideCallable(NOT_LISTED, undefined, q({ requireConsent: true }))), ['NO_CONSENT']);
    assert.deepEqual(codes(decideCallable(LISTED_EARLY, undefined, q({ requireConsent: true }))), ['DNC_REGISTERED', 'NO_CONSENT']);
    assert.equal(decideCallable(NOT_LISTED, [consent()], q({ requireConsent: true })).callable, true);
    assert.equal(decideCallable(NOT_LISTED, undefined, q({ requireConsent: true, purpose: 'notifications' })).callable, true);
  });
});
