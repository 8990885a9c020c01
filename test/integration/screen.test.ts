// Screening end to end over HTTP on a real SQLite file: the FaceTime case, number formats,
// subscriber policies, partner lists, feedback, batches and caller-ID authentication.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import type { Role } from '../../src/auth/index.js';

const DAY = 86_400_000;

let t: TestServer;

async function screen(call: Record<string, unknown>, role: Role = 'app'): Promise<any> {
  const res = await t.call('POST', '/v1/screen', { role, body: call });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  return res.body;
}

async function report(caller: string, reporter: string, extra: Record<string, unknown> = {}): Promise<any> {
  const res = await t.call('POST', '/v1/reports', { role: 'app', body: { caller, reporter, category: 'fraud', ...extra } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

async function setPolicy(subscriber: string, policy: Record<string, unknown>): Promise<any> {
  const res = await t.call('PUT', `/v1/subscribers/${encodeURIComponent(subscriber)}/policy`, { role: 'app', body: policy });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

async function lookup(identifier: string): Promise<any> {
  const res = await t.call('GET', `/v1/identifiers/${encodeURIComponent(identifier)}`, { role: 'app' });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

const codes = (d: { reasons: { code: string }[] }): string[] => d.reasons.map((r) => r.code);

/** Noon UTC of the day before yesterday: two reports an hour apart at this time share one UTC day. */
function pastNoon(): number {
  const d = new Date(Date.now() - 2 * DAY);
  d.setUTCHours(12, 0, 0, 0);
  return d.getTime();
}

before(async () => {
  t = await startTestServer();
});
after(async () => {
  await t?.close();
});

describe('the FaceTime case', () => {
  const caller = 'loan-service@icloud.com';
  const callee = '+8613800138000';

  it('an unknown e-mail caller on the video channel is let through with advice, never blocked', async () => {
    const d = await screen({ caller, callee, channel: 'video' });
    assert.ok(d.action === 'allow' || d.action === 'silence', `action ${d.action}`);
    assert.equal(d.callerKind, 'email');
    assert.equal(d.caller, caller);
    assert.equal(typeof d.advice, 'string');
    assert.match(d.advice, /screen/i);
    assert.match(d.advice, /code/i);
    assert.ok(codes(d).includes('VIDEO_STRANGER'));
    assert.equal(d.score, 0);
  });

  it('after six different subscribers report fraud, the next call is warned or blocked with "6 reports"', async () => {
    for (let i = 1; i <= 6; i++) {
      const r = await report(caller, `facetime-victim-${i}`, { channel: 'video', claimedOrganization: 'loan platform customer service' });
      assert.equal(r.caller, caller);
      assert.equal(r.reputation.reports, i);
    }
    const d = await screen({ caller: 'Loan-Service@iCloud.com', callee, channel: 'video' });
    assert.ok(d.action === 'warn' || d.action === 'block', `action ${d.action}`);
    assert.equal(d.category, 'fraud');
    assert.match(d.label, /6 reports/);
    assert.match(d.label, /poses as loan platform customer service/);
    assert.ok(d.score >= 60, `score ${d.score}`);
    assert.equal(typeof d.advice, 'string');
    const rep = await lookup(caller);
    assert.equal(rep.reports, 6);
    assert.equal(rep.category, 'fraud');
    assert.ok(rep.reasons.some((r: any) => r.code === 'CROWD_REPORTS'));
  });

  it('once the subscriber has the caller as a contact, the call is allowed (CONTACT)', async () => {
    const p = await setPolicy(callee, { contacts: [caller, '+8613911112222'] });
    assert.equal(p.contacts, 2);
    const d = await screen({ caller, callee: '138 0013 8000', channel: 'video' });
    assert.equal(d.action, 'allow');
    assert.deepEqual(codes(d), ['CONTACT']);
    // Another subscriber without that contact is still warned.
    const other = await screen({ caller, callee: '+8613700137000', channel: 'video' });
    assert.ok(other.action === 'warn' || other.action === 'block');
  });

  it('the policy is stored only as hashes: GET shows counts, the database holds no address', async () => {
    const res = await t.call('GET', `/v1/subscribers/${encodeURIComponent(callee)}/policy`, { role: 'app' });
    assert.equal(res.status, 200);
    assert.equal(res.body.contacts, 2);
    const rows = await t.ctx.db.selectFrom('policies').selectAll().execute();
    const text = JSON.stringify(rows);
    assert.ok(!text.includes(caller) && !text.includes('13911112222') && !text.includes('13800138000'), 'no raw identifiers stored');
  });
});

describe('identifier formats (default region CN)', () => {
  it('national formats become E.164', async () => {
    assert.equal((await screen({ caller: '021 5555 1234', callee: '138 0013 8000', channel: 'pstn' })).caller, '+862155551234');
    const d = await screen({ caller: '138 0013 8000', callee: '021 5555 1234', channel: 'pstn' });
    assert.equal(d.caller, '+8613800138000');
    assert.equal(d.callerKind, 'phone');
  });

  it('a SIP URI with user=phone is the number, and shares its reputation', async () => {
    const number = '+8613600136000';
    for (let i = 0; i < 3; i++) await report(number, `sip-reporter-${i}`);
    const d = await screen({ caller: 'sip:+8613600136000@carrier.example;user=phone', callee: '+8613800138000', channel: 'voip' });
    assert.equal(d.caller, number);
    assert.equal(d.callerKind, 'phone');
    assert.equal(d.score, (await lookup(number)).score);
    assert.ok(d.score > 0);
  });

  it('an anonymous caller is labelled "Number withheld"', async () => {
    for (const caller of ['anonymous', 'Private', 'sip:anonymous@anonymous.invalid']) {
      const d = await screen({ caller, callee: '+8613800138000', channel: 'pstn' });
      assert.equal(d.label, 'Number withheld', caller);
      assert.equal(d.callerKind, 'anonymous');
      assert.equal(d.action, 'label');
      assert.ok(codes(d).includes('WITHHELD'));
    }
  });
});

describe('crowd reports', () => {
  it('one reporter reporting 10 times stays below the label threshold', async () => {
    const caller = '+8613500135000';
    const noon = pastNoon();
    for (let i = 0; i < 10; i++) await report(caller, 'angry-subscriber', { occurredAt: new Date(noon + i * 60_000).toISOString() });
    const d = await screen({ caller, callee: '+8613800138000', channel: 'pstn' });
    assert.equal(d.action, 'allow');
    assert.ok(d.score < 30, `score ${d.score}`);
    assert.equal(d.label, 'Unknown caller');
    const rep = await lookup(caller);
    assert.equal(rep.reports, 1, 'ten reports on one day count once');
    assert.ok(rep.reasons.some((r: any) => r.code === 'SINGLE_REPORTER'));
  });

  it('one reporter on ten different days is still capped below the label threshold', async () => {
    const caller = '+8613500135001';
    const noon = pastNoon();
    for (let i = 0; i < 10; i++) await report(caller, 'persistent-subscriber', { occurredAt: new Date(noon - i * DAY).toISOString() });
    const d = await screen({ caller, callee: '+8613800138000', channel: 'pstn' });
    assert.equal(d.action, 'allow');
    assert.ok(d.score < 30, `score ${d.score}`);
  });

  it('the same reporter twice in one day counts once', async () => {
    const caller = '+8613500135002';
    const noon = pastNoon();
    const first = await report(caller, 'twice', { occurredAt: new Date(noon).toISOString() });
    const second = await report(caller, 'twice', { occurredAt: new Date(noon + 3_600_000).toISOString() });
    assert.equal(first.reputation.reports, 1);
    assert.equal(second.reputation.reports, 1);
    // Counted once, at its latest report of the day: the same score as one report at that hour (not
    // the first's score: an hour's less decay can round one point higher, depending on the clock).
    const control = await report('+8613500135003', 'single', { occurredAt: new Date(noon + 3_600_000).toISOString() });
    assert.equal(second.reputation.score, control.reputation.score);
    assert.ok(Math.abs(second.reputation.score - first.reputation.score) <= 1, `${second.reputation.score} vs ${first.reputation.score}`);
    const third = await report(caller, 'someone-else', { occurredAt: new Date(noon).toISOString() });
    assert.equal(third.reputation.reports, 2);
    assert.ok(third.reputation.score > second.reputation.score);
    const rows = await t.ctx.db.selectFrom('reports').select('id').where('caller', '=', caller).execute();
    assert.equal(rows.length, 3, 'every report is kept; only the score dedupes');
  });

  it('"not spam" feedback lowers the score', async () => {
    const caller = '+8613500135003';
    let last: any;
    for (let i = 0; i < 3; i++) last = await report(caller, `ns-reporter-${i}`, { category: 'spam-ad' });
    const before = last.reputation.score;
    assert.ok(before >= 30);
    const res = await t.call('POST', '/v1/feedback', { role: 'app', body: { caller, reporter: 'happy-customer', verdict: 'not-spam' } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.ok(res.body.reputation.score < before, `${res.body.reputation.score} < ${before}`);
    assert.ok(res.body.reputation.reasons.some((r: any) => r.code === 'NOT_SPAM_FEEDBACK'));
    const d = await screen({ caller, callee: '+8613800138000', channel: 'pstn' });
    assert.equal(d.score, res.body.reputation.score, 'the hot index follows the write at once');
  });
});

describe('subscriber policies', () => {
  it('silenceUnknownVideo silences a stranger on video, not on the phone line', async () => {
    const callee = '+8613800138101';
    await setPolicy(callee, { silenceUnknownVideo: true });
    const video = await screen({ caller: 'stranger@example.com', callee, channel: 'video' });
    assert.equal(video.action, 'silence');
    assert.ok(codes(video).includes('SILENCE_UNKNOWN_VIDEO'));
    assert.equal(typeof video.advice, 'string');
    const pstn = await screen({ caller: '+8613400134000', callee, channel: 'pstn' });
    assert.equal(pstn.action, 'allow');
  });

  it('guardianMode is stricter: two reports label normally and warn in guardian mode', async () => {
    const caller = '+8613300133000';
    await report(caller, 'g-1');
    const r = await report(caller, 'g-2');
    assert.equal(r.reputation.reports, 2);
    const normal = await screen({ caller, callee: '+8613800138102', channel: 'pstn' });
    assert.equal(normal.action, 'label');
    await setPolicy('+8613800138103', { guardianMode: true });
    const guarded = await screen({ caller, callee: '+8613800138103', channel: 'pstn' });
    assert.equal(guarded.action, 'warn');
    assert.ok(codes(guarded).includes('GUARDIAN_MODE'));
  });

  it('paused never warns, blocks or silences, but still shows the label', async () => {
    const callee = '+8613800138104';
    await setPolicy(callee, { paused: true, silenceUnknownVideo: true, blockWithheld: true });
    const listed = await t.call('POST', '/v1/lists', { role: 'police', body: { name: 'Paused case', category: 'fraud', entries: [{ identifier: '+8613200132000' }] } });
    assert.equal(listed.status, 201);
    const calls = [
      { caller: '+8613200132000', channel: 'pstn' },
      { caller: 'loan-service@icloud.com', channel: 'video' },
      { caller: 'new-stranger@example.com', channel: 'video' },
      { caller: 'anonymous', channel: 'pstn' },
    ];
    for (const c of calls) {
      const d = await screen({ ...c, callee });
      assert.ok(d.action === 'allow' || d.action === 'label', `${c.caller}: ${d.action}`);
    }
    const confirmed = await screen({ caller: '+8613200132000', callee, channel: 'pstn' });
    assert.equal(confirmed.action, 'label');
    assert.ok(codes(confirmed).includes('PROTECTION_PAUSED'));
    assert.match(confirmed.label, /fraud/i);
  });

  it('an invalid policy is refused and the old one stays', async () => {
    const callee = '+8613800138105';
    await setPolicy(callee, { silenceUnknownVideo: true });
    const res = await t.call('PUT', `/v1/subscribers/${encodeURIComponent(callee)}/policy`, { role: 'app', body: { contacts: ['+8613911112222', 'not a number'] } });
    assert.equal(res.status, 400);
    assert.equal(res.body.field, 'contacts.1');
    const d = await screen({ caller: 'x@example.com', callee, channel: 'video' });
    assert.equal(d.action, 'silence');
  });
});

describe('partner lists', () => {
  it('a police list blocks its entries at once and the look-up shows them confirmed', async () => {
    const res = await t.call('POST', '/v1/lists', {
      role: 'police',
      body: {
        name: 'Case 2026-117 mule numbers',
        category: 'fraud',
        expiresAt: new Date(Date.now() + 365 * DAY).toISOString(),
        entries: [{ identifier: '+8613100131000', reason: 'used in case 2026-117' }, { identifier: 'account:Zoom:8841203' }],
      },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.entries, 2);
    assert.equal(res.body.source, 'police');
    for (const [caller, channel] of [['+8613100131000', 'pstn'], ['account:zoom:8841203', 'video']] as const) {
      const d = await screen({ caller, callee: '+8613800138000', channel });
      assert.equal(d.action, 'block', caller);
      assert.ok(codes(d).includes('CONFIRMED_LIST'), caller);
      const rep = await lookup(caller);
      assert.equal(rep.confirmed, true);
      assert.ok(rep.score >= 85, `score ${rep.score}`);
    }
  });

  it('a carrier list warns but does not confirm', async () => {
    const res = await t.call('POST', '/v1/lists?name=Carrier%20robocallers&category=robocall', {
      role: 'carrier',
      raw: 'identifier,reason\n+8613000130000,robodialler\n',
      contentType: 'text/csv',
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const d = await screen({ caller: '+8613000130000', callee: '+8613800138000', channel: 'pstn' });
    assert.equal(d.action, 'warn');
    assert.equal(d.category, 'robocall');
    assert.equal((await lookup('+8613000130000')).confirmed, false);
  });
});

describe('batch screening', () => {
  it('three calls with one invalid number: three results, the bad one a problem naming calls.1.caller', async () => {
    const res = await t.call('POST', '/v1/screen/batch', {
      role: 'carrier',
      body: {
        calls: [
          { caller: '+8613100131000', callee: '+8613800138000', channel: 'pstn' },
          { caller: '12', callee: '+8613800138000', channel: 'pstn' },
          { caller: 'someone@example.com', callee: '+8613800138000', channel: 'video' },
        ],
      },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const { results } = res.body;
    assert.equal(results.length, 3);
    assert.equal(results[0].action, 'block');
    assert.equal(results[0].caller, '+8613100131000');
    assert.equal(results[1].action, undefined);
    assert.equal(results[1].error.code, 'IDENTITY_INVALID_NUMBER');
    assert.equal(results[1].error.field, 'calls.1.caller');
    assert.equal(results[1].error.status, 400);
    assert.equal(typeof results[1].error.type, 'string');
    assert.equal(results[2].callerKind, 'email');
    assert.equal(typeof results[2].advice, 'string');
  });

  it('1,000 calls are fine; 1,001 calls are 413 SCREENING_BATCH_TOO_LARGE', async () => {
    const call = { caller: '+8613800138000', callee: '+8613911112222', channel: 'pstn' };
    const ok = await t.call('POST', '/v1/screen/batch', { role: 'carrier', body: { calls: Array.from({ length: 1000 }, () => call) } });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.results.length, 1000);
    const res = await t.call('POST', '/v1/screen/batch', { role: 'carrier', body: { calls: Array.from({ length: 1001 }, () => call) } });
    assert.equal(res.status, 413);
    assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
    assert.equal(res.body.code, 'SCREENING_BATCH_TOO_LARGE');
    assert.equal(res.body.field, 'calls');
  });
});

describe('caller-ID authentication', () => {
  it('attestation C adds ATTESTATION_C and raises the score', async () => {
    const base = await screen({ caller: '+8613900139001', callee: '+8613800138000', channel: 'pstn', attestation: 'A' });
    const c = await screen({ caller: '+8613900139001', callee: '+8613800138000', channel: 'pstn', attestation: 'C' });
    assert.ok(codes(c).includes('ATTESTATION_C'));
    assert.ok(!codes(base).includes('ATTESTATION_C'));
    assert.ok(c.score > base.score);
  });

  it('verstat TN-Validation-Failed adds CALLER_ID_FAILED and spoofing advice', async () => {
    const d = await screen({ caller: '+8613900139002', callee: '+8613800138000', channel: 'pstn', verstat: 'TN-Validation-Failed' });
    assert.ok(codes(d).includes('CALLER_ID_FAILED'));
    assert.ok(d.score > 0);
    assert.match(d.advice, /verified|faked/i);
    const passed = await screen({ caller: '+8613900139002', callee: '+8613800138000', channel: 'pstn', verstat: 'TN-Validation-Passed' });
    assert.ok(!codes(passed).includes('CALLER_ID_FAILED'));
  });

  it('a reported number that also fails verification is pushed over the warn threshold', async () => {
    const caller = '+8613900139003';
    for (let i = 0; i < 3; i++) await report(caller, `spoof-${i}`);
    const plain = await screen({ caller, callee: '+8613800138000', channel: 'pstn' });
    const failed = await screen({ caller, callee: '+8613800138000', channel: 'pstn', verstat: 'TN-Validation-Failed' });
    assert.equal(plain.action, 'label');
    assert.ok(failed.score > plain.score);
    assert.ok(failed.action === 'warn' || failed.action === 'block', failed.action);
  });
});
