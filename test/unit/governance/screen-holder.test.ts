// The number-holder registry inside a screening decision (src/screening/decide.ts, holder argument).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { screenCall } from '../../../src/screening/index.js';
import type { ScreenCall } from '../../../src/screening/index.js';
import type { HotReputation } from '../../../src/reputation/index.js';

const call = (over: Partial<ScreenCall> = {}): ScreenCall => ({ caller: { kind: 'phone', canonical: '+8695588123' }, callee: { kind: 'phone', canonical: '+8613800138000' }, channel: 'pstn', at: Date.now(), ...over });
const hash = (s: string) => s;
const bank = { name: 'ICBC', use: 'customer-service', verified: true } as const;
const claimed = (org: string, score = 22): HotReputation => ({ score, category: 'fraud', confidence: 0.3, reports: 1, confirmed: false, claimedOrganization: org });
const codes = (d: { reasons: { code: string }[] }) => d.reasons.map((r) => r.code);

describe('screenCall with the number-holder registry', () => {
  it('labels a verified holder\'s number with its name', () => {
    const d = screenCall(call(), undefined, undefined, hash, bank);
    assert.equal(d.verifiedCaller, 'ICBC');
    assert.equal(d.label, 'ICBC (verified)');
    assert.equal(d.action, 'allow');
    assert.deepEqual(codes(d), ['VERIFIED_HOLDER']);
  });
  it('does not vouch for a name when the caller ID may be spoofed', () => {
    assert.equal(screenCall(call({ verstat: 'TN-Validation-Failed' }), undefined, undefined, hash, bank).verifiedCaller, undefined);
    assert.equal(screenCall(call({ attestation: 'C' }), undefined, undefined, hash, bank).verifiedCaller, undefined);
  });
  it('an unverified holder is named as registered, not verified', () => {
    const d = screenCall(call(), undefined, undefined, hash, { ...bank, verified: false });
    assert.equal(d.verifiedCaller, undefined);
    assert.deepEqual(codes(d), ['REGISTERED_HOLDER']);
  });
  it('a claim to be a bank from a number held by someone else, or by nobody, raises the score', () => {
    const other = screenCall(call(), undefined, claimed('ICBC customer service'), hash, { name: 'Acme Marketing', use: 'marketing', verified: true });
    assert.ok(codes(other).includes('CLAIM_NOT_HOLDER'));
    assert.equal(other.score, 37);
    assert.equal(other.verifiedCaller, undefined);
    const nobody = screenCall(call(), undefined, claimed('ICBC customer service'), hash, null);
    assert.ok(codes(nobody).includes('CLAIM_UNREGISTERED'));
  });
  it('without a registry (undefined) nothing changes', () => {
    const d = screenCall(call(), undefined, claimed('ICBC customer service'), hash);
    assert.equal(d.score, 22);
    assert.ok(!codes(d).some((c) => c.startsWith('CLAIM_')));
  });
});
