// Bad input gets the right problem+json naming the field at fault, and leaves the database exactly
// as it was (nothing half-written on any error).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import type { Role } from '../../src/auth/index.js';
import { seededRandom } from '../../src/seeded-random.js';

const TABLES = ['reports', 'feedback', 'lists', 'list_entries', 'appeals', 'policies', 'audit_log', 'orgs', 'api_keys', 'reporter_stats'] as const;
type Counts = Record<(typeof TABLES)[number], number>;

async function counts(t: TestServer): Promise<Counts> {
  const out = {} as Counts;
  for (const table of TABLES) {
    const r = await t.ctx.db.selectFrom(table).select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    out[table] = Number(r.n);
  }
  return out;
}

interface Req {
  method?: string;
  path: string;
  role?: Role;
  auth?: string;
  body?: unknown;
  raw?: string;
  contentType?: string;
}

interface Expect {
  status: number;
  code: string;
  field?: string;
}

/** Sends the request and checks status, content type, code and field, and that no table changed. */
async function expectProblem(t: TestServer, req: Req, want: Expect): Promise<any> {
  const before = await counts(t);
  const { method = 'POST', path, ...opts } = req;
  const res = await t.call(method, path, opts);
  const what = `${method} ${path} ${JSON.stringify(req.body ?? req.raw ?? '').slice(0, 80)}`;
  assert.equal(res.status, want.status, `${what}: status (body ${res.text.slice(0, 300)})`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/, `${what}: content type`);
  assert.equal(res.body.code, want.code, `${what}: code (${res.body.detail})`);
  assert.equal(res.body.status, want.status, `${what}: status member`);
  assert.equal(typeof res.body.type, 'string');
  assert.equal(typeof res.body.title, 'string');
  assert.equal(typeof res.body.detail, 'string');
  if (want.field !== undefined) assert.equal(res.body.field, want.field, `${what}: field (${res.body.detail})`);
  assert.deepEqual(await counts(t), before, `${what}: the database is unchanged`);
  return res.body;
}

const SCREEN = { caller: '+8613800138000', callee: '+8613911112222', channel: 'pstn' };
const REPORT = { caller: '+8613800138000', reporter: 'sub-8f2a', category: 'fraud' };
const APP: Role = 'app';

describe('bad input', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
    // Some state to protect, so "unchanged" means something.
    const ok = await t.call('POST', '/v1/reports', { role: APP, body: { ...REPORT, reporter: 'seed' } });
    assert.equal(ok.status, 201);
  });
  after(async () => {
    await t?.close();
  });

  it('malformed numbers', async () => {
    for (const caller of ['12', 'abc', '+999 123', 'tel:abc']) {
      await expectProblem(t, { path: '/v1/screen', role: APP, body: { ...SCREEN, caller } }, { status: 400, code: 'IDENTITY_INVALID_NUMBER', field: 'caller' });
      await expectProblem(t, { path: '/v1/reports', role: APP, body: { ...REPORT, caller } }, { status: 400, code: 'IDENTITY_INVALID_NUMBER', field: 'caller' });
    }
    await expectProblem(t, { path: '/v1/screen', role: APP, body: { ...SCREEN, callee: 'abc' } }, { status: 400, code: 'IDENTITY_INVALID_NUMBER', field: 'callee' });
    await expectProblem(t, { path: '/v1/screen', role: APP, body: { ...SCREEN, caller: 'a@b' } }, { status: 400, code: 'IDENTITY_INVALID_EMAIL', field: 'caller' });
    await expectProblem(t, { path: '/v1/screen', role: APP, body: { ...SCREEN, caller: 'sip:@host' } }, { status: 400, code: 'IDENTITY_INVALID_SIP_URI', field: 'caller' });
    await expectProblem(t, { path: '/v1/screen', role: APP, body: { ...SCREEN, caller: 'account:zoom:' } }, { status: 400, code: 'IDENTITY_INVALID_ACCOUNT', field: 'caller' });
    await expectProblem(t, { method: 'GET', path: '/v1/identifiers/abc', role: APP }, { status: 400, code: 'IDENTITY_INVALID_NUMBER', field: 'identifier' });
    await expectProblem(t, { method: 'PUT', path: '/v1/subscribers/12/policy', role: APP, body: {} }, { status: 400, code: 'IDENTITY_INVALID_NUMBER', field: 'subscriber' });
  });

  it('an anonymous caller cannot be reported, appealed or be a callee', async () => {
    await expectProblem(t, { path: '/v1/reports', role: APP, body: { ...REPORT, caller: 'anonymous' } }, { status: 400, code: 'IDENTITY_ANONYMOUS_NOT_ALLOWED', field: 'caller' });
    await expectProblem(t, { path: '/v1/screen', role: APP, body: { ...SCREEN, callee: 'withheld' } }, { status: 400, code: 'IDENTITY_ANONYMOUS_NOT_ALLOWED', field: 'callee' });
    await expectProblem(
      t,
      { path: '/v1/appeals', role: 'business', body: { identifier: 'anonymous', evidence: 'we are a licensed business' } },
      { status: 400, code: 'IDENTITY_ANONYMOUS_NOT_ALLOWED', field: 'identifier' },
    );
  });

  it('wrong types', async () => {
    await expectProblem(t, { path: '/v1/screen', role: APP, body: { ...SCREEN, caller: 5 } }, { status: 400, code: 'REQUEST_INVALID_BODY', field: 'caller' });
    await expectProblem(t, { path: '/v1/screen', role: APP, body: { ...SCREEN, caller: null } }, { status: 400, code: 'REQUEST_INVALID_BODY', field: 'caller' });
    await expectProblem(t, { path: '/v1/screen', role: APP, body: { ...SCREEN, channel: 'fax' } }, { status: 400, code: 'REQUEST_INVALID_BODY', field: 'channel' });
    await expectProblem(t, { path: '/v1/screen', role: APP, body: { ...SCREEN, attestation: 'D' } }, { status: 400, code: 'REQUEST_INVALID_BODY', field: 'attestation' });
    await expectProblem(t, { path: '/v1/screen', role: APP, body: [SCREEN] }, { status: 400, code: 'REQUEST_INVALID_BODY' });
    await expectProblem(t, { path: '/v1/reports', role: APP, body: { ...REPORT, category: 'scam' } }, { status: 400, code: 'REQUEST_INVALID_BODY', field: 'category' });
    await expectProblem(t, { path: '/v1/reports', role: APP, body: { ...REPORT, reporter: 42 } }, { status: 400, code: 'REQUEST_INVALID_BODY', field: 'reporter' });
    await expectProblem(t, { path: '/v1/feedback', role: APP, body: { caller: '+8613800138000', reporter: 'x', verdict: 'spam' } }, { status: 400, code: 'REQUEST_INVALID_BODY', field: 'verdict' });
    await expectProblem(
      t,
      { method: 'PUT', path: '/v1/subscribers/%2B8613800138000/policy', role: APP, body: { guardianMode: 'yes' } },
      { status: 400, code: 'REQUEST_INVALID_BODY', field: 'guardianMode' },
    );
    await expectProblem(
      t,
      { method: 'PUT', path: '/v1/subscribers/%2B8613800138000/policy', role: APP, body: { contacts: '+8613911112222' } },
      { status: 400, code: 'REQUEST_INVALID_BODY', field: 'contacts' },
    );
    await expectProblem(t, { path: '/v1/keys', role: 'admin', body: { org: 'Acme', role: 'superuser' } }, { status: 400, code: 'REQUEST_INVALID_BODY', field: 'role' });
    await expectProblem(
      t,
      { path: '/v1/screen/batch', role: 'carrier', body: { calls: [SCREEN, { ...SCREEN, caller: 5 }] } },
      { status: 400, code: 'REQUEST_INVALID_BODY', field: 'calls.1.caller' },
    );
  });

  it('unknown fields are refused, naming the field', async () => {
    await expectProblem(t, { path: '/v1/screen', role: APP, body: { ...SCREEN, x: 1 } }, { status: 400, code: 'REQUEST_UNKNOWN_FIELD', field: 'x' });
    await expectProblem(t, { path: '/v1/reports', role: APP, body: { ...REPORT, x: 1 } }, { status: 400, code: 'REQUEST_UNKNOWN_FIELD', field: 'x' });
    await expectProblem(t, { path: '/v1/feedback', role: APP, body: { caller: '+8613800138000', reporter: 'r', x: 1 } }, { status: 400, code: 'REQUEST_UNKNOWN_FIELD', field: 'x' });
    await expectProblem(
      t,
      { method: 'PUT', path: '/v1/subscribers/%2B8613800138000/policy', role: APP, body: { paused: true, x: 1 } },
      { status: 400, code: 'REQUEST_UNKNOWN_FIELD', field: 'x' },
    );
    await expectProblem(t, { path: '/v1/keys', role: 'admin', body: { org: 'Acme', role: 'app', x: 1 } }, { status: 400, code: 'REQUEST_UNKNOWN_FIELD', field: 'x' });
    await expectProblem(
      t,
      { path: '/v1/screen/batch', role: 'carrier', body: { calls: [SCREEN, { ...SCREEN, x: 1 }] } },
      { status: 400, code: 'REQUEST_UNKNOWN_FIELD', field: 'calls.1.x' },
    );
  });

  it('a nested unknown field in a list entry is refused and nothing is written', async () => {
    await expectProblem(
      t,
      { path: '/v1/lists', role: 'police', body: { name: 'Case', category: 'fraud', entries: [{ identifier: '+8613100131000' }, { identifier: '+8613100131001', y: 1 }] } },
      { status: 400, code: 'REQUEST_UNKNOWN_FIELD', field: 'entries.1.y' },
    );
  });

  it('a missing required field is named', async () => {
    await expectProblem(t, { path: '/v1/screen', role: APP, body: { caller: SCREEN.caller, channel: 'pstn' } }, { status: 400, code: 'REQUEST_INVALID_BODY', field: 'callee' });
    await expectProblem(t, { path: '/v1/reports', role: APP, body: { caller: REPORT.caller, reporter: 'r' } }, { status: 400, code: 'REQUEST_INVALID_BODY', field: 'category' });
    await expectProblem(t, { path: '/v1/lists', role: 'police', body: { name: 'Case', category: 'fraud' } }, { status: 400, code: 'REQUEST_INVALID_BODY', field: 'entries' });
    await expectProblem(
      t,
      { path: '/v1/lists', role: 'police', body: { name: 'Case', category: 'fraud', entries: [{ identifier: '+8613100131000' }, { reason: 'no identifier' }] } },
      { status: 400, code: 'REQUEST_INVALID_BODY', field: 'entries.1.identifier' },
    );
    await expectProblem(t, { path: '/v1/appeals', role: 'business', body: { identifier: '+8613800138000' } }, { status: 400, code: 'REQUEST_INVALID_BODY', field: 'evidence' });
  });

  it('invalid JSON and an empty JSON body', async () => {
    await expectProblem(t, { path: '/v1/screen', role: APP, raw: '{' }, { status: 400, code: 'REQUEST_INVALID_JSON', field: 'body' });
    await expectProblem(t, { path: '/v1/reports', role: APP, raw: '{"caller": "+8613800138000",}' }, { status: 400, code: 'REQUEST_INVALID_JSON', field: 'body' });
    await expectProblem(t, { path: '/v1/reports', role: APP, raw: '' }, { status: 400, code: 'REQUEST_INVALID_JSON', field: 'body' });
  });

  it('a wrong content type is 415', async () => {
    await expectProblem(t, { path: '/v1/reports', role: APP, raw: JSON.stringify(REPORT), contentType: 'text/plain' }, { status: 415, code: 'REQUEST_UNSUPPORTED_MEDIA_TYPE', field: 'content-type' });
    await expectProblem(t, { path: '/v1/screen', role: APP, raw: JSON.stringify(SCREEN), contentType: 'text/plain' }, { status: 415, code: 'REQUEST_UNSUPPORTED_MEDIA_TYPE', field: 'content-type' });
    await expectProblem(t, { path: '/v1/reports', role: APP, raw: '<report/>', contentType: 'application/xml' }, { status: 415, code: 'REQUEST_UNSUPPORTED_MEDIA_TYPE', field: 'content-type' });
    await expectProblem(
      t,
      { path: '/v1/reports', role: APP, raw: 'caller=%2B8613800138000&reporter=r&category=fraud', contentType: 'application/x-www-form-urlencoded' },
      { status: 415, code: 'REQUEST_UNSUPPORTED_MEDIA_TYPE', field: 'content-type' },
    );
  });

  it('NUL characters in any text are refused, naming the field (PostgreSQL cannot store them)', async () => {
    const NUL = '\u0000';
    await expectProblem(t, { path: '/v1/reports', role: APP, body: { ...REPORT, comment: `a${NUL}b` } }, { status: 400, code: 'REQUEST_INVALID_BODY', field: 'comment' });
    await expectProblem(t, { path: '/v1/reports', role: APP, body: { ...REPORT, claimedOrganization: NUL } }, { status: 400, code: 'REQUEST_INVALID_BODY', field: 'claimedOrganization' });
    // The screening hot path checks bodies as they are parsed too (no hook of its own).
    await expectProblem(t, { path: '/v1/screen', role: 'carrier', body: { caller: `+86138${NUL}00138000`, callee: '+8613900139000', channel: 'pstn' } }, { status: 400, code: 'REQUEST_INVALID_BODY', field: 'caller' });
    // A backslash followed by "u0000" is text, not a NUL: accepted.
    const literal = await t.call('POST', '/v1/reports', { role: APP, body: { ...REPORT, comment: 'says \\u0000 on the screen' } });
    assert.equal(literal.status, 201, literal.text);
    await expectProblem(t, { path: '/v1/reports', role: APP, body: { ...REPORT, reporter: `sub${NUL}` } }, { status: 400, code: 'REQUEST_INVALID_BODY', field: 'reporter' });
    await expectProblem(
      t,
      { path: '/v1/appeals', role: 'business', body: { identifier: '+8613800138000', evidence: `Licensed courier${NUL} registration 12345` } },
      { status: 400, code: 'REQUEST_INVALID_BODY', field: 'evidence' },
    );
    await expectProblem(
      t,
      { path: '/v1/lists', role: 'police', body: { name: 'Case', category: 'fraud', entries: [{ identifier: '+8613100131000' }, { identifier: '+8613100131001', reason: `x${NUL}` }] } },
      { status: 400, code: 'REQUEST_INVALID_BODY', field: 'entries.1.reason' },
    );
    await expectProblem(t, { path: '/v1/keys', role: 'admin', body: { org: 'Acme', role: 'app', label: NUL } }, { status: 400, code: 'REQUEST_INVALID_BODY', field: 'label' });
    await expectProblem(
      t,
      { path: '/v1/lists?name=Carrier%20list&category=robocall', role: 'carrier', raw: `identifier,reason\n+8613000130000,a${NUL}b\n`, contentType: 'text/csv' },
      { status: 400, code: 'REQUEST_INVALID_BODY', field: 'body' },
    );
    await expectProblem(
      t,
      { path: '/v1/lists?name=Carrier%00list&category=robocall', role: 'carrier', raw: 'identifier\n+8613000130000\n', contentType: 'text/csv' },
      { status: 400, code: 'REQUEST_INVALID_QUERY', field: 'name' },
    );
    await expectProblem(t, { path: '/v1/reports', role: APP, body: { ...REPORT, caller: 'sip:%00@carrier.example' } }, { status: 400, code: 'IDENTITY_INVALID_SIP_URI', field: 'caller' });
  });

  it('a reporter that is a phone number or an e-mail address is refused', async () => {
    for (const reporter of ['+8613800138001', '138 0013 8001', 'someone@example.com']) {
      await expectProblem(t, { path: '/v1/reports', role: APP, body: { ...REPORT, reporter } }, { status: 400, code: 'REPUTATION_INVALID_REPORTER', field: 'reporter' });
    }
    await expectProblem(t, { path: '/v1/feedback', role: APP, body: { caller: REPORT.caller, reporter: '+8613800138001' } }, { status: 400, code: 'REPUTATION_INVALID_REPORTER', field: 'reporter' });
    await expectProblem(t, { path: '/v1/reports', role: APP, body: { ...REPORT, reporter: '   ' } }, { status: 400, code: 'REPUTATION_INVALID_REPORTER', field: 'reporter' });
  });

  it('occurredAt in the future, or more than a year ago, is refused', async () => {
    const future = new Date(Date.now() + 86_400_000).toISOString();
    await expectProblem(t, { path: '/v1/reports', role: APP, body: { ...REPORT, occurredAt: future } }, { status: 400, code: 'REPUTATION_INVALID_TIME', field: 'occurredAt' });
    await expectProblem(t, { path: '/v1/feedback', role: APP, body: { caller: REPORT.caller, reporter: 'r', occurredAt: future } }, { status: 400, code: 'REPUTATION_INVALID_TIME', field: 'occurredAt' });
    const old = new Date(Date.now() - 400 * 86_400_000).toISOString();
    await expectProblem(t, { path: '/v1/reports', role: APP, body: { ...REPORT, occurredAt: old } }, { status: 400, code: 'REPUTATION_INVALID_TIME', field: 'occurredAt' });
    await expectProblem(t, { path: '/v1/reports', role: APP, body: { ...REPORT, occurredAt: 'yesterday' } }, { status: 400, code: 'REQUEST_INVALID_BODY', field: 'occurredAt' });
  });

  it('a list whose 3rd entry is invalid is refused whole, naming entries.2.identifier', async () => {
    await expectProblem(
      t,
      {
        path: '/v1/lists',
        role: 'police',
        body: { name: 'Case 2026-118', category: 'fraud', entries: [{ identifier: '+8613100131000' }, { identifier: 'mule@example.com' }, { identifier: 'not-a-number' }, { identifier: '+8613100131002' }] },
      },
      { status: 400, code: 'IDENTITY_INVALID_NUMBER', field: 'entries.2.identifier' },
    );
    const written = await t.ctx.db.selectFrom('list_entries').select('identifier').where('identifier', 'in', ['+8613100131000', 'mule@example.com']).execute();
    assert.deepEqual(written, []);
    assert.equal(t.ctx.index.has('+8613100131000'), false, 'the hot index is not touched either');
    await expectProblem(
      t,
      { path: '/v1/lists', role: 'police', body: { name: 'Case', category: 'fraud', expiresAt: '2001-01-01T00:00:00Z', entries: [{ identifier: '+8613100131000' }] } },
      { status: 400, code: 'REPUTATION_INVALID_TIME', field: 'expiresAt' },
    );
    await expectProblem(
      t,
      { path: '/v1/lists', role: 'police', body: { name: 'Case', category: 'fraud', entries: [{ identifier: '+8613100131000' }, { identifier: 'anonymous' }] } },
      { status: 400, code: 'IDENTITY_ANONYMOUS_NOT_ALLOWED', field: 'entries.1.identifier' },
    );
  });

  it('a CSV list with a bad line is refused whole', async () => {
    await expectProblem(
      t,
      { path: '/v1/lists?name=Carrier%20list&category=robocall', role: 'carrier', raw: 'identifier,reason\n+8613000130000,dialler\nbad,oops\n+8613000130001,dialler\n', contentType: 'text/csv' },
      { status: 400, code: 'IDENTITY_INVALID_NUMBER', field: 'entries.1.identifier' },
    );
    await expectProblem(
      t,
      { path: '/v1/lists?name=Carrier%20list&category=robocall', role: 'carrier', raw: 'identifier,category\n+8613000130000,robocall\n+8613000130001,scam\n', contentType: 'text/csv' },
      { status: 400, code: 'REPUTATION_INVALID_CATEGORY', field: 'entries.1.category' },
    );
    await expectProblem(
      t,
      { path: '/v1/lists?name=Carrier%20list&category=robocall', role: 'carrier', raw: 'number\n+8613000130000\n', contentType: 'text/csv' },
      { status: 400, code: 'REPUTATION_INVALID_LIST', field: 'body' },
    );
    await expectProblem(
      t,
      { path: '/v1/lists?name=Carrier%20list&category=robocall', role: 'carrier', raw: 'identifier,reason\n"+8613000130000,unterminated\n', contentType: 'text/csv' },
      { status: 400, code: 'REPUTATION_INVALID_LIST', field: 'body' },
    );
    await expectProblem(t, { path: '/v1/lists?category=robocall', role: 'carrier', raw: 'identifier\n+8613000130000\n', contentType: 'text/csv' }, { status: 400, code: 'REQUEST_INVALID_QUERY', field: 'name' });
    await expectProblem(
      t,
      { path: '/v1/lists?name=x&category=robocall&x=1', role: 'carrier', raw: 'identifier\n+8613000130000\n', contentType: 'text/csv' },
      { status: 400, code: 'REQUEST_INVALID_QUERY', field: 'x' },
    );
  });

  it('bad keys: none, malformed, unknown, wrong scheme are 401; a known key of the wrong role is 403', async () => {
    await expectProblem(t, { path: '/v1/reports', body: REPORT }, { status: 401, code: 'AUTH_MISSING_KEY', field: 'authorization' });
    for (const auth of ['Bearer abc', `Bearer csk_${'x'.repeat(43)}`, `Token ${t.keys.app}`, `Bearer ${t.keys.app} extra`, '']) {
      await expectProblem(t, { path: '/v1/reports', auth, body: REPORT }, { status: 401, code: auth === '' ? 'AUTH_MISSING_KEY' : 'AUTH_INVALID_KEY', field: 'authorization' });
    }
    await expectProblem(t, { path: '/v1/reports', role: 'bank', body: REPORT }, { status: 403, code: 'AUTH_FORBIDDEN' });
    const denied = await expectProblem(t, { path: '/v1/lists', role: 'app', body: { name: 'x', category: 'fraud', entries: [{ identifier: '+8613100131000' }] } }, { status: 403, code: 'AUTH_FORBIDDEN' });
    // The detail names the role and the route refused, in plain words.
    assert.equal(denied.detail, 'a key with the role app may not POST /v1/lists');
  });

  it('an unknown route is 404 REQUEST_NOT_FOUND, with or without a key', async () => {
    await expectProblem(t, { method: 'GET', path: '/v1/nothing-here', role: APP }, { status: 404, code: 'REQUEST_NOT_FOUND' });
    await expectProblem(t, { method: 'POST', path: '/v1/screens', body: SCREEN }, { status: 404, code: 'REQUEST_NOT_FOUND' });
  });
  it('a known route with a wrong method is 405 REQUEST_METHOD_NOT_ALLOWED (issue 18)', async () => {
    await expectProblem(t, { method: 'DELETE', path: '/v1/reports', role: APP }, { status: 405, code: 'REQUEST_METHOD_NOT_ALLOWED' });
  });

  it('a decision on an unknown appeal is 404; a malformed appeal id is 400', async () => {
    await expectProblem(
      t,
      { path: `/v1/appeals/${randomUUID()}/decision`, role: 'regulator', body: { decision: 'upheld', reason: 'licensed' } },
      { status: 404, code: 'REPUTATION_APPEAL_NOT_FOUND', field: 'id' },
    );
    await expectProblem(t, { path: '/v1/appeals/not-a-uuid/decision', role: 'regulator', body: { decision: 'upheld', reason: 'licensed' } }, { status: 400, code: 'REQUEST_INVALID_QUERY', field: 'id' });
    await expectProblem(
      t,
      { path: `/v1/appeals/${randomUUID()}/decision`, role: 'regulator', body: { decision: 'maybe', reason: 'x' } },
      { status: 400, code: 'REQUEST_INVALID_BODY', field: 'decision' },
    );
  });

  it('a batch over 1,000 calls is 413 and writes nothing', async () => {
    await expectProblem(
      t,
      { path: '/v1/screen/batch', role: 'carrier', body: { calls: Array.from({ length: 1001 }, () => SCREEN) } },
      { status: 413, code: 'SCREENING_BATCH_TOO_LARGE', field: 'calls' },
    );
  });
});

describe('body size limit', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ bodyLimit: 2048 });
  });
  after(async () => {
    await t?.close();
  });

  it('a body over the limit is 413 REQUEST_BODY_TOO_LARGE', async () => {
    const huge = { ...REPORT, comment: 'x'.repeat(10_000) };
    await expectProblem(t, { path: '/v1/reports', role: APP, body: huge }, { status: 413, code: 'REQUEST_BODY_TOO_LARGE', field: 'body' });
    await expectProblem(t, { path: '/v1/screen', role: APP, body: { ...SCREEN, caller: '1'.repeat(10_000) } }, { status: 413, code: 'REQUEST_BODY_TOO_LARGE', field: 'body' });
    await expectProblem(
      t,
      { path: '/v1/lists?name=Big&category=fraud', role: 'police', raw: `identifier\n${'+8613100131000\n'.repeat(700)}`, contentType: 'text/csv' },
      { status: 413, code: 'REQUEST_BODY_TOO_LARGE', field: 'body' },
    );
  });

  it('a body under the limit still works', async () => {
    const res = await t.call('POST', '/v1/reports', { role: APP, body: { ...REPORT, comment: 'x'.repeat(1000) } });
    assert.equal(res.status, 201);
  });
});

// --- fuzz-ish: random JSON never produces a server error -------------------------------------

const mulberry32 = seededRandom;

const FIELDS = ['caller', 'callee', 'channel', 'attestation', 'verstat', 'at', 'reporter', 'category', 'comment', 'claimedOrganization', 'occurredAt', 'x', '', '__proto__', 'constructor', 'calls', 'caller ', 'CALLER'];
const STRINGS = [
  '+8613800138000',
  '138 0013 8000',
  '021 5555 1234',
  '12',
  'abc',
  '',
  ' ',
  'anonymous',
  'sip:+8613800138000@carrier.example;user=phone',
  'sip:%E0%A4%A@host',
  'sip:a@b c',
  '<sip:',
  'tel:',
  'tel:+',
  'mailto:',
  'scammer@icloud.com',
  'A@B.CO',
  'account:zoom:8841203',
  'account::',
  'pstn',
  'video',
  'voip',
  'fraud',
  'spam-ad',
  'A',
  'C',
  'TN-Validation-Failed',
  '2026-11-26T09:30:00Z',
  '2099-01-01T00:00:00Z',
  '0000-00-00T00:00:00Z',
  '9999-99-99T99:99:99Z',
  '+',
  '++86',
  '00',
  '(',
  '\u0000',
  '\ud800',
  '诈骗电话',
  '😀📞',
  'ｆｕｌｌｗｉｄｔｈ＠ｅｘａｍｐｌｅ．ｃｏｍ',
  '١٢٣٤٥٦٧٨٩٠',
  '%00',
  '../../etc/passwd',
  "' OR 1=1 --",
  '${process.exit(1)}',
  '__proto__',
];

function randomString(rnd: () => number): string {
  const r = rnd();
  if (r < 0.55) return STRINGS[Math.floor(rnd() * STRINGS.length)]!;
  if (r < 0.62) return 'x'.repeat(Math.floor(rnd() * 200_000));
  if (r < 0.65) return '+86'.padEnd(Math.floor(rnd() * 2000), '1');
  const len = Math.floor(rnd() * 40);
  let s = '';
  for (let i = 0; i < len; i++) s += String.fromCodePoint(rnd() < 0.7 ? 32 + Math.floor(rnd() * 95) : Math.floor(rnd() * 0x10ffff));
  return s;
}

function randomValue(rnd: () => number, depth = 0): unknown {
  const r = rnd();
  if (r < 0.6) return randomString(rnd);
  if (r < 0.68) return null;
  if (r < 0.74) return Math.floor(rnd() * 2 ** 40) * (rnd() < 0.5 ? -1 : 1);
  if (r < 0.78) return rnd() < 0.5;
  if (r < 0.82) return rnd() * 1e308;
  if (depth > 2) return {};
  if (r < 0.91) return Array.from({ length: Math.floor(rnd() * 4) }, () => randomValue(rnd, depth + 1));
  return randomBody(rnd, depth + 1);
}

function randomBody(rnd: () => number, depth = 0): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  // Start near a valid body so many requests get past the schema into the operations.
  if (rnd() < 0.7) Object.assign(body, rnd() < 0.5 ? SCREEN : { ...REPORT, reporter: `fuzz-${Math.floor(rnd() * 5)}` });
  const n = Math.floor(rnd() * 4);
  for (let i = 0; i < n; i++) body[FIELDS[Math.floor(rnd() * FIELDS.length)]!] = randomValue(rnd, depth);
  if (rnd() < 0.3) for (const k of Object.keys(body)) if (rnd() < 0.3) delete body[k];
  return body;
}

describe('fuzz: 300 random bodies to /v1/screen and /v1/reports', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(async () => {
    await t?.close();
  });

  it('every answer is 2xx or a problem+json 4xx, and only accepted reports are written', async (ctx) => {
    const rnd = mulberry32(0xca115);
    const before = await counts(t);
    let accepted = 0;
    const seen = new Map<number, number>();
    for (let i = 0; i < 300; i++) {
      let raw: string;
      const r = rnd();
      if (r < 0.05) raw = JSON.stringify(randomValue(rnd));
      else if (r < 0.08) raw = JSON.stringify(randomBody(rnd)).slice(0, Math.floor(rnd() * 50));
      else raw = JSON.stringify(randomBody(rnd));
      for (const path of ['/v1/screen', '/v1/reports']) {
        const res = await t.call('POST', path, { role: APP, raw });
        seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
        const what = `#${i} ${path} ${raw.slice(0, 200)} → ${res.status} ${res.text.slice(0, 200)}`;
        assert.ok(res.status < 500, what);
        if (res.status >= 400) {
          assert.ok(res.status < 500, what);
          assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/, what);
          assert.equal(res.body.status, res.status, what);
          assert.match(String(res.body.code), /^[A-Z]+_[A-Z_]+$/, what);
        } else {
          assert.ok(res.status === 200 || res.status === 201, what);
          assert.match(res.headers.get('content-type') ?? '', /^application\/json/, what);
          if (path === '/v1/reports') accepted++;
        }
      }
    }
    const after = await counts(t);
    assert.equal(after.reports - before.reports, accepted, 'one row per accepted report, none for refused ones');
    assert.deepEqual({ ...after, reports: 0 }, { ...before, reports: 0 }, 'no other table changed');
    // The fuzz must exercise both outcomes to mean anything.
    assert.ok([...seen.keys()].some((s) => s < 300), `some accepted: ${JSON.stringify([...seen])}`);
    assert.ok([...seen.keys()].some((s) => s >= 400), 'some refused');
    ctx.diagnostic(`statuses: ${JSON.stringify(Object.fromEntries([...seen].sort()))}, reports accepted: ${accepted}`);
    const health = await t.call('GET', '/healthz');
    assert.equal(health.status, 200);
  });
});
