import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decideTransfer, THRESHOLDS, MESSAGES } from '../../../src/payments/index.js';
import type { RiskyCallSignal, TransferSignals } from '../../../src/payments/index.js';

const NOW = Date.UTC(2026, 10, 26, 12);
const MIN = 60_000;

function signals(over: Partial<TransferSignals> = {}): TransferSignals {
  return { amount: 100, now: NOW, riskyWindowMs: 30 * MIN, payeeFlags: [], knownPayee: true, history: { count: 10, mean: 100, recent: [90, 100, 110] }, guardianMode: false, language: 'en', ...over };
}

function call(over: Partial<RiskyCallSignal> = {}): RiskyCallSignal {
  return { caller: 'loan-service@icloud.com', stage: 'remote-access', stages: ['impersonation', 'remote-access'], risk: 0.85, at: NOW - MIN, screenSharing: false, active: true, ...over };
}

const codes = (d: { reasons: { code: string }[] }): string[] => d.reasons.map((r) => r.code);

describe('decideTransfer', () => {
  it('allows a usual payment to a known payee, with a reason', () => {
    const d = decideTransfer(signals());
    assert.equal(d.decision, 'allow');
    assert.deepEqual(codes(d), ['NO_RISK_FOUND']);
    assert.equal(d.message, undefined);
  });

  it('blocks a police-confirmed mule account whatever else is true', () => {
    const d = decideTransfer(signals({ payeeFlags: [{ id: 'f', level: 'confirmed', source: 'police', orgId: 'p' }] }));
    assert.equal(d.decision, 'block');
    assert.deepEqual(codes(d), ['PAYEE_CONFIRMED_MULE']);
  });

  it('blocks a payee account under an active police freeze, even a known payee with no other signal', () => {
    const d = decideTransfer(signals({ payeeFrozen: true, knownPayee: true }));
    assert.equal(d.decision, 'block');
    assert.deepEqual(codes(d), ['FREEZE_ACTIVE']);
    assert.match(d.message ?? '', /frozen by police/);
    assert.equal(decideTransfer(signals({ payeeFrozen: false, knownPayee: true })).decision, 'allow');
  });

  it('holds a bank-suspected account even for a known payee', () => {
    const d = decideTransfer(signals({ payeeFlags: [{ id: 'f', level: 'suspected', source: 'bank', orgId: 'b' }] }));
    assert.equal(d.decision, 'hold');
    assert.ok(codes(d).includes('PAYEE_SUSPECTED'));
  });

  it('ignores expired flags', () => {
    const d = decideTransfer(signals({ payeeFlags: [{ id: 'f', level: 'confirmed', source: 'police', orgId: 'p', expiresAt: NOW - 1 }] }));
    assert.equal(d.decision, 'allow');
  });

  it('one "safe account" report is a signal; two reporters make a suspicion', () => {
    const one = decideTransfer(signals({ payeeFlags: [{ id: 'a', level: 'reported', source: 'app report', orgId: 'x', reporter: 'r1' }] }));
    assert.equal(one.decision, 'confirm');
    assert.ok(codes(one).includes('PAYEE_REPORTED'));
    const same = decideTransfer(signals({ payeeFlags: [{ id: 'a', level: 'reported', source: 'app report', orgId: 'x', reporter: 'r1' }, { id: 'b', level: 'reported', source: 'app report', orgId: 'x', reporter: 'r1' }] }));
    assert.equal(same.decision, 'confirm', 'one subscriber reporting twice is still one');
    const two = decideTransfer(signals({ payeeFlags: [{ id: 'a', level: 'reported', source: 'app report', orgId: 'x', reporter: 'r1' }, { id: 'b', level: 'reported', source: 'app report', orgId: 'x', reporter: 'r2' }] }));
    assert.equal(two.decision, 'hold');
  });

  it('an active risky call at the remote-access stage asks to confirm, with the message and a cooling-off', () => {
    const d = decideTransfer(signals({ riskyCall: call() }));
    assert.equal(d.decision, 'confirm');
    assert.ok(codes(d).includes('RISKY_CALL_ACTIVE'));
    assert.equal(d.message, MESSAGES.riskyCall.en);
    assert.ok(d.coolingOffSeconds! > 0);
  });

  it('a risky call plus a first-time payee holds (the source case)', () => {
    const d = decideTransfer(signals({ riskyCall: call({ stages: ['impersonation', 'remote-access', 'money-movement'] }), knownPayee: false }));
    assert.equal(d.decision, 'hold');
    assert.deepEqual(codes(d).sort(), ['FIRST_TIME_PAYEE', 'RISKY_CALL_ACTIVE']);
    assert.ok(d.score >= THRESHOLDS.hold);
  });

  it('a critical stage weighs more than an early one', () => {
    const early = decideTransfer(signals({ riskyCall: call({ stage: 'impersonation', stages: ['impersonation'], risk: 0.6 }) }));
    const late = decideTransfer(signals({ riskyCall: call({ stage: 'money-movement', stages: ['impersonation', 'money-movement'], risk: 0.6 }) }));
    assert.ok(late.score > early.score, `${late.score} > ${early.score}`);
  });

  it('a mark from a call that ended counts within the window and not after it', () => {
    const recent = decideTransfer(signals({ riskyCall: call({ active: false, at: NOW - 20 * MIN }) }));
    assert.ok(codes(recent).includes('RISKY_CALL_RECENT'));
    assert.equal(recent.decision, 'confirm');
    const old = decideTransfer(signals({ riskyCall: call({ active: false, at: NOW - 31 * MIN }) }));
    assert.equal(old.decision, 'allow');
    assert.ok(!codes(old).some((c) => c.startsWith('RISKY_CALL')));
  });

  it('screen sharing with a stranger shows the screen-sharing message', () => {
    const d = decideTransfer(signals({ riskyCall: call({ stage: null, stages: [], risk: 0.5, screenSharing: true }) }));
    assert.equal(d.decision, 'confirm');
    assert.ok(codes(d).includes('SCREEN_SHARING'));
    assert.equal(d.message, MESSAGES.screenSharing.en);
  });

  it('a first-time payee alone is allowed, but named', () => {
    const d = decideTransfer(signals({ knownPayee: false }));
    assert.equal(d.decision, 'allow');
    assert.deepEqual(codes(d), ['FIRST_TIME_PAYEE']);
  });

  it('an amount far above the usual asks to confirm; needs some history first', () => {
    const d = decideTransfer(signals({ amount: 5000, knownPayee: false }));
    assert.equal(d.decision, 'confirm');
    assert.ok(codes(d).includes('AMOUNT_UNUSUAL'));
    assert.equal(d.message, MESSAGES.unusual.en);
    const young = decideTransfer(signals({ amount: 5000, knownPayee: false, history: { count: 2, mean: 100, recent: [100, 100] } }));
    assert.ok(!codes(young).includes('AMOUNT_UNUSUAL'));
  });

  it('guardian mode halves the thresholds and doubles the cooling-off', () => {
    const plain = decideTransfer(signals({ riskyCall: call() }));
    const guarded = decideTransfer(signals({ riskyCall: call(), guardianMode: true }));
    assert.equal(plain.decision, 'confirm');
    assert.equal(guarded.decision, 'hold');
    assert.ok(codes(guarded).includes('GUARDIAN_MODE'));
    const firstTime = decideTransfer(signals({ knownPayee: false, guardianMode: true }));
    assert.equal(firstTime.decision, 'confirm');
    assert.equal(firstTime.coolingOffSeconds, 600);
  });

  it('says when the payer is not enrolled (no call signals could be checked)', () => {
    const d = decideTransfer(signals({ enrolled: false }));
    assert.equal(d.decision, 'allow');
    assert.deepEqual(codes(d), ['PAYER_NOT_ENROLLED']);
  });

  it('speaks the subscriber\'s language', () => {
    const d = decideTransfer(signals({ riskyCall: call(), language: 'zh' }));
    assert.equal(d.message, MESSAGES.riskyCall.zh);
  });
});
