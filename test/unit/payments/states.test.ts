import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addAmount, checkSecondOfficer, median, nextFreezeState, nextHoldState, retryDelayMs, signatureHeader, verifySignature, canSeeFlag, canSeeFreezeAsBank, canSeeFreezeAsUnit } from '../../../src/payments/index.js';
import { CallshieldError } from '../../../src/errors.js';

const code = (c: string) => (e: unknown) => e instanceof CallshieldError && e.code === c;

describe('hold state machine', () => {
  it('held → released | returned, and nothing after that', () => {
    assert.equal(nextHoldState('held', 'release'), 'released');
    assert.equal(nextHoldState('held', 'return'), 'returned');
    assert.throws(() => nextHoldState('released', 'return'), code('PAYMENTS_INVALID_STATE'));
    assert.throws(() => nextHoldState('returned', 'release'), code('PAYMENTS_INVALID_STATE'));
  });
});

describe('freeze state machine', () => {
  it('pending → active → released/expired; acknowledge and extend only when active', () => {
    assert.equal(nextFreezeState('pending', 'approve'), 'active');
    assert.equal(nextFreezeState('active', 'extend'), 'active');
    assert.equal(nextFreezeState('active', 'release'), 'released');
    assert.equal(nextFreezeState('pending', 'release'), 'released');
    assert.equal(nextFreezeState('active', 'expire'), 'expired');
    assert.throws(() => nextFreezeState('pending', 'acknowledge'), code('PAYMENTS_INVALID_STATE'));
    assert.throws(() => nextFreezeState('active', 'approve'), code('PAYMENTS_INVALID_STATE'));
    assert.throws(() => nextFreezeState('expired', 'extend'), code('PAYMENTS_INVALID_STATE'));
  });
  it('dual control refuses the person who took the first step, for approve, extend and release', () => {
    for (const step of ['approve', 'extend', 'release'] as const) {
      assert.throws(() => checkSecondOfficer('badge-1', 'badge-1', step), code('PAYMENTS_SAME_OFFICER'));
      assert.throws(() => checkSecondOfficer('badge-1', undefined, step), code('PAYMENTS_SAME_OFFICER'));
      assert.doesNotThrow(() => checkSecondOfficer('badge-1', 'badge-2', step));
    }
  });
});

describe('amount history', () => {
  it('keeps a running mean and the recent amounts for the median', () => {
    let h = addAmount(undefined, 100);
    h = addAmount(h, 200);
    h = addAmount(h, 600);
    assert.equal(h.count, 3);
    assert.equal(h.mean, 300);
    assert.equal(median(h.recent), 200);
    for (let i = 0; i < 40; i++) h = addAmount(h, 1);
    assert.equal(h.recent.length, 25);
    assert.equal(h.count, 43);
  });
});

describe('webhook signature', () => {
  const body = '{"id":"e1","type":"hold.created"}';
  it('verifies what it signed, within the tolerance', () => {
    const header = signatureHeader('s3cret-s3cret-s3cret', 1_700_000_000, body);
    assert.match(header, /^t=1700000000,v1=[0-9a-f]{64}$/);
    assert.deepEqual(verifySignature(header, body, 's3cret-s3cret-s3cret', 1_700_000_100), { ok: true, timestamp: 1_700_000_000 });
  });
  it('refuses another body, another secret, an old timestamp, garbage', () => {
    const header = signatureHeader('s3cret-s3cret-s3cret', 1_700_000_000, body);
    assert.equal(verifySignature(header, body + ' ', 's3cret-s3cret-s3cret', 1_700_000_000).ok, false);
    assert.equal(verifySignature(header, body, 'other-secret-other', 1_700_000_000).ok, false);
    assert.deepEqual(verifySignature(header, body, 's3cret-s3cret-s3cret', 1_700_001_000), { ok: false, reason: 'stale' });
    assert.deepEqual(verifySignature('nonsense', body, 's3cret-s3cret-s3cret', 1_700_000_000), { ok: false, reason: 'malformed' });
  });
});

describe('retry backoff', () => {
  it('doubles from the base, with jitter, up to the cap', () => {
    const mid = () => 0.5;
    assert.equal(retryDelayMs(1, 1000, 60_000, mid), 1000);
    assert.equal(retryDelayMs(2, 1000, 60_000, mid), 2000);
    assert.equal(retryDelayMs(5, 1000, 60_000, mid), 16_000);
    assert.equal(retryDelayMs(30, 1000, 60_000, mid), 60_000);
    assert.ok(retryDelayMs(3, 1000, 60_000, () => 0) >= 3200 && retryDelayMs(3, 1000, 60_000, () => 0.999) <= 4800);
  });
});

describe('visibility', () => {
  it('banks see their own flags and police-confirmed ones; apps none', () => {
    const bank = { role: 'bank', orgId: 'b1' };
    assert.ok(canSeeFlag(bank, { orgId: 'b1', level: 'suspected', source: 'bank' }));
    assert.ok(canSeeFlag(bank, { orgId: 'p1', level: 'confirmed', source: 'police' }));
    assert.ok(!canSeeFlag(bank, { orgId: 'b2', level: 'suspected', source: 'bank' }));
    assert.ok(!canSeeFlag({ role: 'app', orgId: 'a' }, { orgId: 'p1', level: 'confirmed', source: 'police' }));
    assert.ok(canSeeFlag({ role: 'police', orgId: 'p2' }, { orgId: 'b2', level: 'suspected', source: 'bank' }));
  });
  it('freezes: the unit and overseers; a bank only active ones addressed to it', () => {
    assert.ok(canSeeFreezeAsUnit({ role: 'police', orgId: 'u1' }, { orgId: 'u1' }));
    assert.ok(!canSeeFreezeAsUnit({ role: 'police', orgId: 'u2' }, { orgId: 'u1' }));
    assert.ok(canSeeFreezeAsUnit({ role: 'regulator', orgId: 'r' }, { orgId: 'u1' }));
    assert.ok(canSeeFreezeAsBank({ role: 'bank', orgId: 'b1' }, { status: 'active' }, ['b1']));
    assert.ok(!canSeeFreezeAsBank({ role: 'bank', orgId: 'b1' }, { status: 'pending' }, ['b1']));
    assert.ok(!canSeeFreezeAsBank({ role: 'bank', orgId: 'b2' }, { status: 'active' }, ['b1']));
  });
});

describe('time-ordered ids', () => {
  it('are RFC 9562 version-7 UUIDs that sort by time', async () => {
    const { timeOrderedId } = await import('../../../src/operations/ids.js');
    const a = timeOrderedId(1_700_000_000_000);
    const b = timeOrderedId(1_700_000_000_001);
    assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.ok(a < b);
    assert.equal(a.slice(0, 13).replace('-', ''), (1_700_000_000_000).toString(16).padStart(12, '0'));
  });
});
