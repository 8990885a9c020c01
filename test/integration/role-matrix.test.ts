// Checks every cell of the README's role × endpoint table against a running server, and that the
// table lists exactly the protected routes the server has (a new route without a row fails here).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { ROLES, allows } from '../../src/auth/index.js';
import type { Role } from '../../src/auth/index.js';

interface Row {
  method: string;
  path: string;
  /** Role → may it (✓) or not (empty cell). */
  cells: Map<Role, boolean>;
}

const README = fileURLToPath(new URL('../../README.md', import.meta.url));

function parseRoleTable(markdown: string): { roles: string[]; rows: Row[] } {
  const start = markdown.indexOf('<!-- roles:start -->');
  const end = markdown.indexOf('<!-- roles:end -->');
  assert.ok(start >= 0 && end > start, 'README has the roles:start / roles:end markers');
  const lines = markdown
    .slice(start, end)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('|'));
  const split = (line: string): string[] => line.replace(/^\|/, '').replace(/\|$/, '').split('|').map((c) => c.trim());
  const header = split(lines[0]!);
  assert.equal(header[0], 'endpoint');
  const roles = header.slice(1);
  const rows: Row[] = [];
  for (const line of lines.slice(2)) {
    const cells = split(line);
    const m = /^`([A-Z]+) (\S+)`$/.exec(cells[0] ?? '');
    assert.ok(m, `endpoint cell looks like \`METHOD /path\`: ${cells[0]}`);
    assert.equal(cells.length, roles.length + 1, `row ${cells[0]} has one cell per role`);
    const map = new Map<Role, boolean>();
    roles.forEach((role, i) => {
      const cell = cells[i + 1]!;
      assert.ok(cell === '✓' || cell === '', `cell ${cells[0]} × ${role} is ✓ or empty, got "${cell}"`);
      map.set(role as Role, cell === '✓');
    });
    rows.push({ method: m[1]!, path: m[2]!, cells: map });
  }
  return { roles, rows };
}

const PARAM_VALUES: Record<string, () => string> = {
  identifier: () => '%2B8613800138000',
  subscriber: () => '%2B8613800138000',
  id: () => randomUUID(),
};

function fillPath(path: string): string {
  return path.replace(/:([A-Za-z]+)/g, (_m, name: string) => (PARAM_VALUES[name] ?? (() => 'x'))());
}

let orgCounter = 0;

/** A minimal body each route accepts (any other route gets `{}`, which must still not be 401/403). */
function minimalBody(method: string, path: string): unknown {
  const key = `${method} ${path}`;
  switch (key) {
    case 'POST /v1/screen':
      return { caller: '+8613800138000', callee: '+8613911112222', channel: 'pstn' };
    case 'POST /v1/screen/batch':
      return { calls: [{ caller: '+8613800138000', callee: '+8613911112222', channel: 'pstn' }] };
    case 'POST /v1/reports':
      return { caller: '+8613800138000', reporter: 'matrix-sub', category: 'spam-ad' };
    case 'POST /v1/feedback':
      return { caller: '+8613800138000', reporter: 'matrix-sub' };
    case 'POST /v1/lists':
      return { name: 'Matrix list', category: 'robocall', entries: [{ identifier: '+8613900139000' }] };
    case 'PUT /v1/subscribers/:subscriber/policy':
      return { paused: false };
    case 'POST /v1/appeals':
      return { identifier: '+8613800138000', evidence: 'We are a licensed courier; registration 12345.' };
    case 'POST /v1/appeals/:id/decision':
      return { decision: 'rejected', reason: 'no such appeal in this test' };
    case 'POST /v1/keys':
      return { org: `Matrix org ${++orgCounter}`, role: 'app' };
  }
  return method === 'GET' || method === 'DELETE' || method === 'HEAD' ? undefined : {};
}

// What an allowed role gets with the minimal body above: proof that the call reached the handler.
// Routes not listed here (added later) only need to be neither 401 nor 403.
const REACHED: Record<string, number[]> = {
  'GET /v1/appeals': [200],
  'POST /v1/appeals': [201],
  'POST /v1/appeals/:id/decision': [404],
  'GET /v1/audit': [200],
  'GET /v1/audit/verify': [200],
  'POST /v1/feedback': [201],
  'GET /v1/identifiers/:identifier': [200],
  'POST /v1/keys': [201],
  'GET /v1/keys': [200],
  // A random key id: nobody's key (and a non-admin key may revoke only itself).
  'POST /v1/keys/:id/revoke': [404],
  'POST /v1/keys/:id/rotate': [404],
  'GET /v1/lists': [200],
  'POST /v1/lists': [201],
  'GET /v1/me': [200],
  'GET /v1/orgs': [200],
  'POST /v1/reports': [201],
  'POST /v1/screen': [200],
  'POST /v1/screen/batch': [200],
  'GET /v1/subscribers/:subscriber/policy': [200, 404],
  'PUT /v1/subscribers/:subscriber/policy': [200],
};

function assertProblem(res: { status: number; headers: Headers; body: any }, status: number, code: string, what: string): void {
  assert.equal(res.status, status, `${what}: status ${res.status}, body ${JSON.stringify(res.body)}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/, `${what}: content type`);
  assert.equal(res.body.code, code, `${what}: code`);
  assert.equal(res.body.status, status, `${what}: problem status member`);
}

describe('role × endpoint matrix (README table)', () => {
  let t: TestServer;
  const { roles, rows } = parseRoleTable(readFileSync(README, 'utf8'));

  before(async () => {
    t = await startTestServer();
  });
  after(async () => {
    await t?.close();
  });

  it('has one column per role, in the order of ROLES', () => {
    assert.deepEqual(roles, [...ROLES]);
  });

  it('lists exactly the protected routes of the running server, once each', () => {
    const table = rows.map((r) => `${r.method} ${r.path}`);
    assert.equal(new Set(table).size, table.length, 'no duplicate rows');
    const served = t.server.routes.map((r) => `${r.method} ${r.url}`);
    assert.ok(served.length > 0);
    const missing = served.filter((s) => !table.includes(s));
    const stale = table.filter((s) => !served.includes(s));
    assert.deepEqual(missing, [], `routes with no README row (run scripts/role-table.ts): ${missing.join(', ')}`);
    assert.deepEqual(stale, [], `README rows with no route: ${stale.join(', ')}`);
  });

  it('agrees cell by cell with the permissions the routes declare', () => {
    for (const row of rows) {
      const route = t.server.routes.find((r) => r.method === row.method && r.url === row.path);
      assert.ok(route, `${row.method} ${row.path} is served`);
      for (const role of ROLES) {
        assert.equal(row.cells.get(role), allows(role, route.permission), `${row.method} ${row.path} × ${role}`);
      }
    }
  });

  for (const row of rows) {
    describe(`${row.method} ${row.path}`, () => {
      for (const role of ROLES) {
        const permitted = row.cells.get(role) === true;
        it(`${role}: ${permitted ? 'allowed' : '403'}`, async () => {
          const body = minimalBody(row.method, row.path);
          const res = await t.call(row.method, fillPath(row.path), { role, ...(body === undefined ? {} : { body }) });
          const what = `${row.method} ${row.path} as ${role}`;
          if (permitted) {
            assert.notEqual(res.status, 401, `${what}: ${JSON.stringify(res.body)}`);
            assert.notEqual(res.status, 403, `${what}: ${JSON.stringify(res.body)}`);
            assert.ok(res.status < 500, `${what}: no server error, got ${res.status} ${JSON.stringify(res.body)}`);
            if (typeof res.body === 'object' && res.body && 'code' in res.body) assert.doesNotMatch(String(res.body.code), /^AUTH_/, what);
            const reached = REACHED[`${row.method} ${row.path}`];
            if (reached) assert.ok(reached.includes(res.status), `${what}: expected ${reached.join('/')}, got ${res.status} ${JSON.stringify(res.body)}`);
          } else {
            assertProblem(res, 403, 'AUTH_FORBIDDEN', what);
          }
        });
      }
    });
  }

  describe('401 on every protected route', () => {
    const unknownKey = `csk_${'A'.repeat(43)}`;
    for (const row of rows) {
      it(`${row.method} ${row.path}: no key, malformed key, unknown key`, async () => {
        const path = fillPath(row.path);
        const body = minimalBody(row.method, row.path);
        const withBody = body === undefined ? {} : { body };
        assertProblem(await t.call(row.method, path, withBody), 401, 'AUTH_MISSING_KEY', `${row.method} ${path} without a key`);
        for (const auth of ['Bearer not-a-key', `Bearer ${unknownKey}`, `Basic ${Buffer.from('admin:admin').toString('base64')}`, 'Bearer', `Bearer ${t.keys.admin}x`]) {
          const res = await t.call(row.method, path, { ...withBody, auth });
          assertProblem(res, 401, 'AUTH_INVALID_KEY', `${row.method} ${path} with "${auth.slice(0, 20)}"`);
          assert.equal(res.body.field, 'authorization');
        }
      });
    }
  });

  it('401 and 403 bodies are complete RFC 9457 problems', async () => {
    const forbidden = await t.call('GET', '/v1/orgs', { role: 'app' });
    assertProblem(forbidden, 403, 'AUTH_FORBIDDEN', 'GET /v1/orgs as app');
    for (const k of ['type', 'title', 'detail', 'instance', 'requestId']) assert.equal(typeof forbidden.body[k], 'string', k);
    assert.equal(forbidden.body.type, 'https://callshield.dev/problems/auth-forbidden');
    assert.equal(forbidden.body.instance, '/v1/orgs');
    const missing = await t.call('GET', '/v1/orgs');
    assert.equal(missing.body.type, 'https://callshield.dev/problems/auth-missing-key');
  });

  it('the open endpoints need no key', async () => {
    for (const path of ['/healthz', '/openapi.json', '/metrics']) {
      const res = await t.call('GET', path);
      assert.equal(res.status, 200, path);
    }
  });
});
