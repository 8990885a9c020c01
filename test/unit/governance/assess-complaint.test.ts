import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assessComplaint, violationsToEscalate } from '../../../src/governance/index.js';
import type { ComplaintFacts, HolderBlock } from '../../../src/governance/index.js';

const block: HolderBlock = { id: 'b1', kind: 'prefix', first: '8610955', last: '8610955', carrierOrgId: 'c1', carrierName: 'Carrier One', holder: 'Acme', identityLevel: 'documented', use: 'notifications' };
const facts = (over: Partial<ComplaintFacts> = {}): ComplaintFacts => ({ category: 'spam-ad', consented: false, calleeOnDnc: false, consent: 'none', holder: block, claim: null, ...over });

describe('assessComplaint', () => {
  it('marketing from a notifications block without consent is two violations', () => {
    const a = assessComplaint(facts());
    assert.equal(a.violation, true);
    assert.deepEqual(a.violations, ['NO_CONSENT', 'USE_MISMATCH']);
    assert.ok(a.findings.some((f) => f.code === 'HOLDER' && /Acme/.test(f.text)));
  });
  it('a consent on record clears the consent and do-not-call checks, not the declared use', () => {
    const a = assessComplaint(facts({ consent: 'active', calleeOnDnc: true, holder: { ...block, use: 'marketing' } }));
    assert.equal(a.violation, false);
    assert.ok(a.findings.some((f) => f.code === 'CONSENT_ON_RECORD'));
  });
  it('a revoked consent and the do-not-call list are violations', () => {
    const a = assessComplaint(facts({ consent: 'revoked', calleeOnDnc: true, holder: { ...block, use: 'marketing' } }));
    assert.deepEqual(a.violations, ['CONSENT_REVOKED', 'DNC_REGISTERED']);
  });
  it('an unregistered number goes to the regulator; fraud is not a consent question', () => {
    const a = assessComplaint(facts({ holder: undefined, category: 'fraud' }));
    assert.equal(a.violation, false);
    assert.deepEqual(a.findings.map((f) => f.code), ['UNREGISTERED_NUMBER']);
  });
  it('a claim that does not fit the holder is a violation', () => {
    const a = assessComplaint(facts({ category: 'impersonation', claim: { consistent: false, reason: { code: 'CLAIM_NOT_HOLDER', text: 'x' } } }));
    assert.deepEqual(a.violations, ['CLAIM_NOT_HOLDER']);
  });
});

describe('violationsToEscalate', () => {
  const DAY = 86_400_000;
  const now = Date.parse('2026-11-26T00:00:00Z');
  it('three confirmed violations within 30 days escalate', () => {
    assert.deepEqual(violationsToEscalate([now - 29 * DAY, now - DAY, now], now), [now - 29 * DAY, now - DAY, now]);
  });
  it('older ones do not count', () => {
    assert.equal(violationsToEscalate([now - 31 * DAY, now - DAY, now], now), null);
    assert.equal(violationsToEscalate([now - DAY, now], now), null);
  });
});
