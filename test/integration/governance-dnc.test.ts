// The consent and do-not-call registry over HTTP: registration, consents, and the scrub API.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { pino } from 'pino';
import { openApp } from '../../src/app-context.js';
import { createScrubber } from '../../src/operations/governance/dnc.js';
import { loadGovernance } from '../../src/operations/governance/state.js';

let t: TestServer;
before(async () => {
  t = await startTestServer();
});
after(async () => {
  await t?.close();
});

const codes = (r: { reasons: { code: string }[] }) => r.reasons.map((x) => x.code);

function assertProblem(res: { status: number; headers: Headers; body: any }, status: number, code: string, field?: string): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal(res.body.code, code);
  if (field !== undefined) assert.equal(res.body.field, field);
}

async function count(table: 'governance_consents' | 'governance_dnc' | 'audit_log'): Promise<number> {
  const r = await t.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** The subscriber's app registers them (sets their policy): an app registers only people it serves. */
async function serve(number: string): Promise<void> {
  const res = await t.call('PUT', `/v1/subscribers/${encodeURIComponent(number)}/policy`, { role: 'app', body: {} });
  assert.equal(res.status, 200, JSON.stringify(res.body));
}

async function scrub(body: unknown, role: 'business' | 'carrier' | 'admin' = 'business') {
  const res = await t.call('POST', '/v1/dnc/scrub', { role, body });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

describe('do-not-call registration', () => {
  it('a person registers through the app, and the number is no longer callable for marketing', async () => {
    await serve('+8613800138000');
    const res = await t.call('POST', '/v1/dnc', { role: 'app', body: { number: '138 0013 8000' } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual([res.body.number, res.body.registered], ['+8613800138000', true]);
    const r = await scrub({ purpose: 'marketing', numbers: ['+8613800138000', '+8613800138001'] });
    assert.deepEqual(r.results.map((x: any) => [x.number, x.callable, codes(x)]), [
      ['+8613800138000', false, ['DNC_REGISTERED']],
      ['+8613800138001', true, []],
    ]);
    assert.equal(r.results[0].reasons[0].text, 'The person registered this number on the do-not-call list');
    assert.deepEqual(r.counts, { total: 2, callable: 1, notCallable: 1, invalid: 0, byReason: { DNC_REGISTERED: 1 } });
    assert.equal(r.business, 'Test business');
  });
  it('the list does not stop a notification', async () => {
    const r = await scrub({ purpose: 'notifications', numbers: ['+8613800138000'] });
    assert.equal(r.results[0].callable, true);
  });
  it('the subscriber number is stored only as keyed hashes', async () => {
    const rows = await t.ctx.db.selectFrom('governance_dnc').selectAll().execute();
    assert.equal(rows.length, 1);
    assert.ok(!JSON.stringify(rows).includes('13800138000'));
  });
  it('a carrier registers for its subscriber; only the carrier withdraws it, which makes the number callable again', async () => {
    assert.equal((await t.call('POST', '/v1/dnc', { role: 'carrier', body: { number: '+8613800138002' } })).status, 201);
    assert.equal((await scrub({ purpose: 'marketing', numbers: ['+8613800138002'] })).results[0].callable, false);
    // Another organisation's registration is not the app's to withdraw, even for a subscriber it serves.
    await serve('+8613800138002');
    assertProblem(await t.call('POST', '/v1/dnc/withdraw', { role: 'app', body: { number: '+8613800138002' } }), 404, 'GOVERNANCE_DNC_NOT_FOUND', 'number');
    assert.equal((await scrub({ purpose: 'marketing', numbers: ['+8613800138002'] })).results[0].callable, false);
    const w = await t.call('POST', '/v1/dnc/withdraw', { role: 'carrier', body: { number: '+8613800138002' } });
    assert.equal(w.status, 200, JSON.stringify(w.body));
    assert.equal(w.body.registered, false);
    assert.equal((await scrub({ purpose: 'marketing', numbers: ['+8613800138002'] })).results[0].callable, true);
    assertProblem(await t.call('POST', '/v1/dnc/withdraw', { role: 'carrier', body: { number: '+8613800138002' } }), 404, 'GOVERNANCE_DNC_NOT_FOUND', 'number');
  });
  it('an app registers only a subscriber it serves; the registration names the person behind the key', async () => {
    assertProblem(await t.call('POST', '/v1/dnc', { role: 'app', body: { number: '+8613800138006' } }), 403, 'SCREENING_NOT_SERVING', 'number');
    const row = await t.ctx.db.selectFrom('governance_dnc').selectAll().where('withdrawn_at', 'is', null).executeTakeFirstOrThrow();
    assert.equal(row.registered_by, 'Test app (app) / app-officer-1');
  });
  it('a number that cannot be parsed is refused, naming the field', async () => {
    const before = await count('governance_dnc');
    assertProblem(await t.call('POST', '/v1/dnc', { role: 'app', body: { number: '12' } }), 400, 'IDENTITY_INVALID_NUMBER', 'number');
    assertProblem(await t.call('POST', '/v1/dnc', { role: 'app', body: { number: '+8613800138009', extra: 1 } }), 400, 'REQUEST_UNKNOWN_FIELD', 'extra');
    assert.equal(await count('governance_dnc'), before);
  });
});

describe('consents', () => {
  let consentId = '';
  it('a consent given before the registration does not outrank it', async () => {
    const res = await t.call('POST', '/v1/consents', {
      role: 'business',
      body: { number: '+8613800138000', purpose: 'marketing', channel: 'voice', grantedAt: '2026-01-05T10:00:00Z', evidence: 'signed web form #4410' },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.expiresAt, '2027-01-05T10:00:00.000Z', 'a year by default');
    assert.equal(res.body.recordedBy, 'Test business (business) / business-officer-1');
    const r = await scrub({ purpose: 'marketing', numbers: ['+8613800138000'] });
    assert.deepEqual(codes(r.results[0]), ['CONSENT_SUPERSEDED', 'DNC_REGISTERED']);
  });
  it('a business records a consent with evidence; it outranks the do-not-call list for that purpose and channel only', async () => {
    const res = await t.call('POST', '/v1/consents', {
      role: 'business',
      body: { number: '+8613800138000', purpose: 'marketing', channel: 'voice', grantedAt: new Date().toISOString(), evidence: 'signed web form #4411' },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.business, 'Test business');
    consentId = res.body.id;
    const r = await scrub({ purpose: 'marketing', numbers: ['+8613800138000'] });
    assert.equal(r.results[0].callable, true);
    assert.equal((await scrub({ purpose: 'research', numbers: ['+8613800138000'] })).results[0].callable, false);
    assert.equal((await scrub({ purpose: 'marketing', channel: 'sms', numbers: ['+8613800138000'] })).results[0].callable, false);
    // A carrier scrubbing for another business, or for the list alone, does not get this consent.
    assert.equal((await scrub({ purpose: 'marketing', numbers: ['+8613800138000'], business: 'Other Co' }, 'carrier')).results[0].callable, false);
    assert.equal((await scrub({ purpose: 'marketing', numbers: ['+8613800138000'], business: 'test  BUSINESS' }, 'carrier')).results[0].callable, true);
  });
  it('a consent revoked before it was granted is a clear 400 and nothing is written', async () => {
    const before = [await count('governance_consents'), await count('audit_log')];
    const res = await t.call('POST', '/v1/consents', {
      role: 'business',
      body: { number: '+8613800138003', purpose: 'marketing', channel: 'voice', grantedAt: '2026-03-01T00:00:00Z', revokedAt: '2026-02-01T00:00:00Z', evidence: 'call recording 77' },
    });
    assertProblem(res, 400, 'GOVERNANCE_INVALID_CONSENT', 'revokedAt');
    assert.match(res.body.detail, /before/);
    assert.deepEqual([await count('governance_consents'), await count('audit_log')], before);
    const late = await t.call('POST', `/v1/consents/${consentId}/revoke`, { role: 'business', body: { revokedAt: '2025-12-01T00:00:00Z' } });
    assertProblem(late, 400, 'GOVERNANCE_INVALID_CONSENT', 'revokedAt');
    assert.deepEqual([await count('governance_consents'), await count('audit_log')], before);
  });
  it('a business acts only for itself', async () => {
    const res = await t.call('POST', '/v1/consents', { role: 'business', body: { number: '+8613800138000', business: 'Someone Else', purpose: 'marketing', channel: 'voice', grantedAt: '2026-01-05T10:00:00Z', evidence: 'form 1' } });
    assertProblem(res, 400, 'GOVERNANCE_BUSINESS_MISMATCH', 'business');
    assertProblem(await t.call('POST', '/v1/dnc/scrub', { role: 'business', body: { purpose: 'marketing', numbers: [], business: 'Someone Else' } }), 400, 'GOVERNANCE_BUSINESS_MISMATCH', 'business');
  });
  it('revoking the consent forbids the call, with the reason; revoking twice is a conflict', async () => {
    const res = await t.call('POST', `/v1/consents/${consentId}/revoke`, { role: 'business', body: {} });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.ok(res.body.revokedAt);
    const r = await scrub({ purpose: 'marketing', numbers: ['+8613800138000'] });
    assert.deepEqual(codes(r.results[0]), ['CONSENT_REVOKED', 'DNC_REGISTERED']);
    assertProblem(await t.call('POST', `/v1/consents/${consentId}/revoke`, { role: 'business', body: {} }), 409, 'GOVERNANCE_CONSENT_ALREADY_REVOKED');
    assertProblem(await t.call('POST', `/v1/consents/${consentId}/revoke`, { role: 'admin', body: {} }), 409, 'GOVERNANCE_CONSENT_ALREADY_REVOKED');
  });
  it('lists the consents on record for a number', async () => {
    const res = await t.call('GET', `/v1/consents?number=${encodeURIComponent('+8613800138000')}`, { role: 'business' });
    assert.equal(res.status, 200);
    assert.equal(res.body.consents.length, 2);
    assert.deepEqual(res.body.consents.map((c: any) => c.evidence).sort(), ['signed web form #4410', 'signed web form #4411']);
  });
  it('a node that loads the registry afresh knows which registrations came after which consents', async () => {
    const number = '+8613800138010';
    await serve(number);
    assert.equal((await t.call('POST', '/v1/dnc', { role: 'app', body: { number } })).status, 201);
    const before = { number, purpose: 'marketing', channel: 'voice', grantedAt: '2026-02-05T10:00:00Z', evidence: 'paper form 12' };
    assert.equal((await t.call('POST', '/v1/consents', { role: 'business', body: before })).status, 201);
    assert.equal((await t.call('POST', '/v1/consents', { role: 'business', body: { ...before, channel: 'sms', grantedAt: new Date().toISOString() } })).status, 201);
    const fresh = await openApp(t.ctx.config, { logger: pino({ level: 'silent' }), skipIndex: true });
    try {
      const business = { orgId: 'x', orgName: 'Test business', role: 'business' as const, person: 'p' };
      const s = await loadGovernance(fresh);
      const check = (channel: string) => createScrubber(fresh, s, { purpose: 'marketing', channel }, business).check(number);
      assert.deepEqual(check('voice').reasons.map((r) => r.code), ['CONSENT_SUPERSEDED', 'DNC_REGISTERED']);
      assert.equal(check('sms').callable, true, 'the consent given after the registration');
    } finally {
      await fresh.close();
    }
  });
  it('every change is in the audit log', async () => {
    const actions = (await t.ctx.db.selectFrom('audit_log').select('action').execute()).map((r) => r.action);
    for (const a of ['dnc.register', 'dnc.withdraw', 'consent.record', 'consent.revoke', 'dnc.scrub']) assert.ok(actions.includes(a), a);
  });
});

describe('the scrub API', () => {
  it('takes a CSV upload (one number per line or a number column) with the purpose in the query', async () => {
    const plain = await t.call('POST', '/v1/dnc/scrub?purpose=marketing', { role: 'carrier', raw: '+8613800138000\n138 0013 8001\nnot-a-number\n', contentType: 'text/csv' });
    assert.equal(plain.status, 200, JSON.stringify(plain.body));
    assert.deepEqual(plain.body.results.map((x: any) => [x.number, x.e164 ?? null, x.callable, codes(x)]), [
      ['+8613800138000', null, false, ['DNC_REGISTERED']],
      ['138 0013 8001', '+8613800138001', true, []],
      ['not-a-number', null, false, ['INVALID_NUMBER']],
    ]);
    assert.equal(plain.body.counts.invalid, 1);
    const cols = await t.call('POST', '/v1/dnc/scrub?purpose=research', { role: 'admin', raw: 'name,number\nZhang,+8613800138000\nLi,+8613800138005\n', contentType: 'text/csv' });
    assert.deepEqual(cols.body.results.map((x: any) => x.callable), [false, true]);
  });
  it('refuses a CSV upload without a purpose, and a multi-column CSV without a number column', async () => {
    assertProblem(await t.call('POST', '/v1/dnc/scrub', { role: 'carrier', raw: '+8613800138000\n', contentType: 'text/csv' }), 400, 'REQUEST_INVALID_QUERY', 'purpose');
    assertProblem(await t.call('POST', '/v1/dnc/scrub?purpose=marketing', { role: 'carrier', raw: 'a,b\n1,2\n', contentType: 'text/csv' }), 400, 'GOVERNANCE_INVALID_CSV', 'body');
    assertProblem(await t.call('POST', '/v1/dnc/scrub', { role: 'carrier', body: { purpose: 'spam', numbers: [] } }), 400, 'REQUEST_INVALID_BODY', 'purpose');
  });
  it('takes 100,000 numbers in one JSON request, and refuses more', async () => {
    const numbers = Array.from({ length: 100_000 }, (_, i) => `+86139${String(i).padStart(8, '0')}`);
    numbers[500] = '+8613800138000';
    const r = await scrub({ purpose: 'marketing', numbers }, 'carrier');
    assert.equal(r.results.length, 100_000);
    assert.equal(r.counts.notCallable, 1);
    assert.equal(r.results[500].callable, false);
    const csv = `${numbers.join('\n')}\n+8613900000000\n`;
    assertProblem(await t.call('POST', '/v1/dnc/scrub?purpose=marketing', { role: 'carrier', raw: csv, contentType: 'text/csv' }), 413, 'GOVERNANCE_SCRUB_TOO_LARGE', 'numbers');
  });
  it('only marketers, carriers and admins scrub', async () => {
    for (const role of ['app', 'bank', 'police', 'regulator', 'platform'] as const) {
      assertProblem(await t.call('POST', '/v1/dnc/scrub', { role, body: { purpose: 'marketing', numbers: [] } }), 403, 'AUTH_FORBIDDEN');
    }
  });
});
