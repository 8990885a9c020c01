// screenCall's `callerIdRisk` input: STIR/SHAKEN points and reasons worked out outside screening.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { screenCall } from '../../../src/screening/index.js';
import type { CallerIdRisk, ScreenCall } from '../../../src/screening/index.js';
import type { HotReputation } from '../../../src/reputation/index.js';

const CALLER = { kind: 'phone', canonical: '+12127363100' } as const;
const CALLEE = { kind: 'phone', canonical: '+16502530000' } as const;
const hash = (c: string): string => `h:${c}`;
const call = (extra: Partial<ScreenCall> = {}): ScreenCall => ({ caller: CALLER, callee: CALLEE, channel: 'pstn', at: 0, ...extra });
const rep = (score: number): HotReputation => ({ score, category: 'fraud', confidence: 0.8, reports: 5, confirmed: false, claimedOrganization: null });
const SPOOF: CallerIdRisk = { delta: 30, reasons: [{ code: 'STIR_SPOOFING_SUSPECTED', text: 'usually A, now unsigned' }], spoofingSuspected: true };

describe('screenCall with callerIdRisk', () => {
  it('adds the points and the reasons, with the spoofed advice when spoofing is suspected', () => {
    const d = screenCall(call({ callerIdRisk: SPOOF }), undefined, undefined, hash);
    assert.equal(d.score, 30);
    assert.equal(d.action, 'label');
    assert.deepEqual(d.reasons.map((r) => r.code), ['STIR_SPOOFING_SUSPECTED']);
    assert.match(d.advice ?? '', /./);
  });

  it('keeps the score within 0..100', () => {
    const a = screenCall(call({ callerIdRisk: { delta: -15, reasons: [{ code: 'STIR_ATTEST_A', text: 'A' }] } }), undefined, undefined, hash);
    assert.equal(a.score, 0);
    assert.equal(a.action, 'allow');
    assert.equal(a.advice, undefined);
    const high = screenCall(call({ callerIdRisk: SPOOF }), undefined, rep(90), hash);
    assert.equal(high.score, 100);
    const lowered = screenCall(call({ callerIdRisk: { delta: -15, reasons: [] } }), undefined, rep(40), hash);
    assert.equal(lowered.score, 25);
  });

  it('adds to a failed verification rather than replacing it', () => {
    const d = screenCall(call({ verstat: 'TN-Validation-Failed', callerIdRisk: SPOOF }), undefined, undefined, hash);
    assert.deepEqual(d.reasons.map((r) => r.code), ['CALLER_ID_FAILED', 'STIR_SPOOFING_SUSPECTED']);
    assert.equal(d.score, 55);
  });

  it('applies to phone callers only', () => {
    const d = screenCall(call({ caller: { kind: 'email', canonical: 'a@b.example' }, callerIdRisk: SPOOF }), undefined, undefined, hash);
    assert.equal(d.score, 0);
  });

  it('does not vouch for a verified holder when the caller ID looks spoofed', () => {
    const holder = { name: 'ICBC', use: 'customer-service', verified: true } as const;
    const trusted = screenCall(call(), undefined, undefined, hash, holder as never);
    assert.equal(trusted.verifiedCaller, 'ICBC');
    const spoofed = screenCall(call({ callerIdRisk: SPOOF }), undefined, undefined, hash, holder as never);
    assert.equal(spoofed.verifiedCaller, undefined);
    assert.ok(!spoofed.reasons.some((r) => r.code === 'VERIFIED_HOLDER'));
  });
});
