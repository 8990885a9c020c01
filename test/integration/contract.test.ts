// The HTTP contract: the OpenAPI document declares every response (test/helpers checks every response
// the suites receive against it), and at its edges every error is a problem document with its real status (wrong
// method, query coercion, parameter limits, framework errors), never a 500 for a client's mistake.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { readFileSync } from 'node:fs';
import { startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { assertContract, contractChecker } from '../helpers/openapi-contract.js';
import { screen } from '../../src/operations/screening/screen.js';

let t: TestServer;
before(async () => {
  t = await startTestServer();
});
after(async () => {
  await t?.close();
});

function assertProblem(res: { status: number; headers: Headers; body: any }, status: number, code: string): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal(res.body.status, status);
  assert.equal(res.body.code, code);
  assert.equal(res.body.type, `https://callshield.dev/problems/${code.toLowerCase().replaceAll('_', '-')}`);
}

describe('HTTP contract', () => {
  it('a wrong method answers 405 with Allow', async () => {
    const res = await t.call('DELETE', '/v1/screen', { role: 'app' });
    assertProblem(res, 405, 'REQUEST_METHOD_NOT_ALLOWED');
    assert.equal(res.headers.get('allow'), 'POST');
    const param = await t.call('PUT', '/v1/identifiers/%2B8613800138000', { role: 'app' });
    assertProblem(param, 405, 'REQUEST_METHOD_NOT_ALLOWED');
    assert.equal(param.headers.get('allow'), 'GET, HEAD');
    assertProblem(await t.call('GET', '/v1/no-such-thing', { role: 'app' }), 404, 'REQUEST_NOT_FOUND');
  });

  it('query parameters are coerced to the type their schema names', async () => {
    const res = await t.call('GET', '/v1/holds?limit=1', { role: 'admin' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.ok(Array.isArray(res.body.holds));
    const bad = await t.call('GET', '/v1/holds?limit=ten', { role: 'admin' });
    assertProblem(bad, 400, 'REQUEST_INVALID_QUERY');
    assert.equal(bad.body.field, 'limit');
  });

  it('path parameters up to the documented 512 characters reach the route; longer ones are problem documents', async () => {
    const at300 = await t.call('GET', `/v1/identifiers/${'9'.repeat(300)}`, { role: 'app' });
    assert.equal(at300.status, 400);
    assert.notEqual(at300.body.code, 'REQUEST_URI_TOO_LONG');
    const at600 = await t.call('GET', `/v1/identifiers/${'9'.repeat(600)}`, { role: 'app' });
    assertProblem(at600, 400, 'REQUEST_INVALID_QUERY');
    assert.equal(at600.body.field, 'identifier');
    assertProblem(await t.call('GET', `/v1/identifiers/${'9'.repeat(5000)}`, { role: 'app' }), 414, 'REQUEST_URI_TOO_LONG');
  });

  it('framework errors keep their real status as problem documents', async () => {
    assertProblem(await t.call('GET', '/docs/static/swagger-ui.css', { headers: { range: 'bytes=99999999-' } }), 416, 'REQUEST_RANGE_NOT_SATISFIABLE');
    assertProblem(await t.call('GET', '/docs/static/swagger-ui.css', { headers: { 'if-match': '"not-this-one"' } }), 412, 'REQUEST_PRECONDITION_FAILED');
    assertProblem(await t.call('GET', '/docs/static/%00'), 403, 'REQUEST_FORBIDDEN');
    assertProblem(await t.call('GET', '/v1/identifiers/%E0%A4%A', { role: 'app' }), 400, 'REQUEST_INVALID');
    const traversal = await t.call('GET', '/docs/static/%2e%2e/%2e%2e/package.json');
    assertProblem(traversal, 404, 'REQUEST_NOT_FOUND');
    assert.doesNotMatch(traversal.text, /"dependencies"/);
  });

  it('headers too large is a problem document too', async () => {
    const res = await new Promise<{ status: number; type: string; body: any }>((resolve, reject) => {
      const url = new URL(t.url);
      const req = httpRequest({ host: url.hostname, port: url.port, path: '/healthz', headers: { 'x-big': 'x'.repeat(40_000) } }, (r) => {
        let text = '';
        r.setEncoding('utf8').on('data', (c) => (text += c)).on('end', () => resolve({ status: r.statusCode ?? 0, type: r.headers['content-type'] ?? '', body: JSON.parse(text) }));
      });
      req.on('error', reject).end();
    });
    assert.equal(res.status, 431);
    assert.match(res.type, /^application\/problem\+json/);
    assert.equal(res.body.code, 'REQUEST_HEADERS_TOO_LARGE');
  });

  it('a reporter written as a tel: or sip: URI is refused like a number', async () => {
    for (const reporter of ['tel:+8613800138000', 'TEL: +86 138 0013 8000', 'tel:+8613800138000;phone-context=+86', 'callto:13800138000', 'sip:+8613800138000;user=phone']) {
      const res = await t.call('POST', '/v1/reports', { role: 'app', body: { caller: '+8613800138001', reporter, category: 'fraud' } });
      assertProblem(res, 400, 'REPUTATION_INVALID_REPORTER');
      assert.equal(res.body.field, 'reporter');
    }
    const ok = await t.call('POST', '/v1/reports', { role: 'app', body: { caller: '+8613800138001', reporter: 'subscriber-7f3a', category: 'fraud' } });
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
  });

  it('the OpenAPI document declares error responses as application/problem+json, including 404, 409, 413 and 414', async () => {
    const doc = (await t.call('GET', '/openapi.json')).body;
    let operations = 0;
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      if (!path.startsWith('/v1/')) continue;
      for (const [method, op] of Object.entries<any>(item)) {
        operations++;
        for (const status of ['400', '401', '403', '404', '409', '413', '414']) {
          const r = op.responses?.[status];
          assert.ok(r, `${method.toUpperCase()} ${path} documents ${status}`);
          assert.deepEqual(Object.keys(r.content ?? {}), ['application/problem+json'], `${method.toUpperCase()} ${path} ${status}`);
        }
      }
    }
    assert.ok(operations > 50, `${operations} operations`);
  });

  it('error responses across the API match the OpenAPI document (status, content type, body)', async () => {
    const checker = contractChecker((await t.call('GET', '/openapi.json')).body);
    const probes: [string, string, Parameters<TestServer['call']>[2]][] = [
      ['POST', '/v1/screen', { role: 'app', body: { caller: '12' } }],
      ['POST', '/v1/screen', { body: { caller: '+8613800138000', callee: '+8613800138001' } }],
      ['POST', '/v1/screen', { role: 'police', body: { caller: '+8613800138000', callee: '+8613800138001' } }],
      ['POST', '/v1/screen', { role: 'app', raw: 'x', contentType: 'text/plain' }],
      ['POST', '/v1/reports', { role: 'app', body: { caller: '+8613800138001', reporter: 'tel:+8613800138000', category: 'fraud' } }],
      ['GET', '/v1/holds?limit=ten', { role: 'admin' }],
      ['GET', `/v1/identifiers/${'9'.repeat(600)}`, { role: 'app' }],
      ['GET', `/v1/identifiers/${'9'.repeat(5000)}`, { role: 'app' }],
      ['POST', '/v1/screen/batch', { role: 'carrier', body: { calls: [] } }],
      ['POST', '/v1/lists', { role: 'police', body: {} }],
      ['GET', '/v1/me', {}],
    ];
    const problems: string[] = [];
    for (const [method, path, opts] of probes) {
      const res = await t.call(method, path, opts);
      assert.ok(res.status >= 400, `${method} ${path} → ${res.status}`);
      problems.push(...checker.check(method, path, res));
    }
    assert.deepEqual(problems, []);
    // The checker itself notices drift.
    const fake = { status: 418, headers: new Headers({ 'content-type': 'application/json' }), body: {} };
    assert.equal(checker.check('POST', '/v1/screen', fake).length, 1);
    const wrongType = { status: 400, headers: new Headers({ 'content-type': 'application/json' }), body: {} };
    assert.match(checker.check('POST', '/v1/screen', wrongType)[0] ?? '', /documented as application\/problem\+json/);
    const badBody = { status: 400, headers: new Headers({ 'content-type': 'application/problem+json' }), body: { title: 1 } };
    assert.match(checker.check('POST', '/v1/screen', badBody)[0] ?? '', /body/);
  });
  it('every operation documents a 2xx with a body schema, and every error response as application/problem+json', async () => {
    const doc = (await t.call('GET', '/openapi.json')).body;
    // The ATIS-1000082 routes also answer a malformed request in the ATIS requestError shape.
    const atis = new Set(['/stir/v1/signing', '/stir/v1/verification']);
    const gaps: string[] = [];
    let operations = 0;
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        operations++;
        const at = `${method.toUpperCase()} ${path}`;
        const responses = Object.entries<any>(op.responses ?? {});
        const ok = responses.filter(([status]) => status.startsWith('2'));
        if (ok.length === 0) gaps.push(`${at}: no 2xx documented`);
        for (const [status, r] of ok) {
          const media = Object.entries<any>(r.content ?? {});
          if (media.length === 0) gaps.push(`${at} ${status}: no content`);
          for (const [type, m] of media) if (!m.schema || Object.keys(m.schema).length === 0) gaps.push(`${at} ${status} ${type}: no schema`);
        }
        for (const [status, r] of responses.filter(([s]) => /^[45]/.test(s))) {
          const types = Object.keys(r.content ?? {});
          if (!types.includes('application/problem+json')) gaps.push(`${at} ${status}: not application/problem+json (${types.join(', ') || 'no content'})`);
          const others = types.filter((x) => x !== 'application/problem+json');
          if (others.length && !(atis.has(path) && others.join() === 'application/json')) gaps.push(`${at} ${status}: also ${others.join(', ')}`);
        }
      }
    }
    assert.deepEqual(gaps, []);
    assert.ok(operations > 90, `${operations} operations`);
  });

  it('the checker fails a success response that drifts from the document, naming method, path, status and the schema error', async () => {
    const checker = contractChecker((await t.call('GET', '/openapi.json')).body);
    const json = new Headers({ 'content-type': 'application/json; charset=utf-8' });
    assert.deepEqual(checker.check('GET', '/v1/me', { status: 200, headers: json, body: { org: 'x', role: 'app', person: 'p', keyId: 'k' } }), []);
    const [missing] = checker.check('GET', '/v1/me', { status: 200, headers: json, body: { org: 'x', role: 'app' } });
    assert.match(missing ?? '', /^GET \/v1\/me → 200 application\/json: body does not match the schema: .*person/);
    const [undocumented] = checker.check('GET', '/v1/me', { status: 202, headers: json, body: {} });
    assert.match(undocumented ?? '', /202: status not documented/);
    // A CSV export is text/csv only where documented.
    const csv = new Headers({ 'content-type': 'text/csv; charset=utf-8' });
    assert.deepEqual(checker.check('GET', '/v1/stats/reports?format=csv', { status: 200, headers: csv, body: 'day,category,count\r\n', text: 'day,category,count\r\n' }), []);
    assert.match(checker.check('GET', '/v1/me', { status: 200, headers: csv, body: '', text: '' })[0] ?? '', /came as "text\/csv"/);
    // A path under /v1/ that is not in the document may only be a 404 problem.
    assert.match(checker.check('GET', '/v1/not-documented', { status: 200, headers: json, body: {} })[0] ?? '', /not in the document/);
    // The helper the suites use throws, so the test that made the call fails.
    await assert.rejects(assertContract(t.url, 'GET', '/v1/me', { status: 200, headers: json, body: {} }), /response does not match \/openapi.json: GET \/v1\/me → 200/);
  });

  it('real CSV, event-stream and text/plain responses match their documented media types', async () => {
    const csv = await t.call('GET', '/v1/stats/reports?format=csv', { role: 'regulator' });
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
    const note = await t.call('GET', '/v1/audit/checkpoint', { role: 'regulator', headers: { accept: 'text/plain' } });
    assert.equal(note.status, 200, note.text);
    assert.match(note.headers.get('content-type') ?? '', /^text\/plain/);
    // The event stream of a call that has ended: the check runs on the whole text the client read.
    await t.call('PUT', '/v1/subscribers/%2B8613900001111/policy', { role: 'app', body: {} });
    const call = await t.call('POST', '/v1/calls', { role: 'app', body: { caller: '+8613800138000', callee: '+8613900001111', channel: 'pstn' } });
    assert.equal(call.status, 201, call.text);
    const id = call.body.callId;
    const stream = fetch(`${t.url}/v1/calls/${id}/events`, { headers: { authorization: `Bearer ${t.keys.app}` } });
    const res = await stream;
    await t.call('POST', `/v1/calls/${id}/end`, { role: 'app' });
    const text = await res.text();
    assert.match(text, /event: end/);
    await assertContract(t.url, 'GET', `/v1/calls/${id}/events`, { status: res.status, headers: res.headers, body: text, text });
  });

  it('the screening reply (fast serialiser) carries every field the decision has', async () => {
    const input = { caller: '+8613800138000', callee: '+8613900002222', channel: 'pstn' as const, attestation: 'C' as const };
    await t.call('POST', '/v1/reports', { role: 'app', body: { caller: input.caller, reporter: 'subscriber-1', category: 'fraud' } });
    const res = await t.call('POST', '/v1/screen', { role: 'carrier', body: input });
    assert.equal(res.status, 200, res.text);
    // A carrier sets no subscriber policies, so its organisation does not change the decision.
    assert.deepEqual(res.body, JSON.parse(JSON.stringify(screen(t.ctx, input, 'no-such-org'))));
  });
  it("the README's example responses validate against the document", async () => {
    const checker = contractChecker((await t.call('GET', '/openapi.json')).body);
    const lines = readFileSync(new URL('../../README.md', import.meta.url), 'utf8').split('\n');
    const problems: string[] = [];
    let checked = 0;
    for (let i = 0; i < lines.length; i++) {
      if (lines[i] !== '```json') continue;
      const end = lines.indexOf('```', i + 1);
      // "[...]" and "…" stand for elided parts; the rest must be the real shape.
      const body = JSON.parse(lines.slice(i + 1, end).join('\n').replaceAll('[...]', '[]'));
      // The example answers the nearest curl above it: POST when the command goes on (a body follows).
      const above = lines.slice(Math.max(0, i - 8), i);
      const at = above.map((l, k) => ({ l, k })).filter(({ l }) => /^curl /.test(l)).pop();
      const path = at && /localhost:8080(\/[^\s"?]+)/.exec(at.l)?.[1];
      if (at && path) {
        const method = at.l.trimEnd().endsWith('\\') ? 'POST' : 'GET';
        problems.push(...checker.check(method, path, { status: method === 'POST' && /\/v1\/(reports|calls)$/.test(path) ? 201 : 200, headers: new Headers({ 'content-type': 'application/json' }), body }));
      } else {
        // The problem document shown under "Calling the API".
        problems.push(...checker.check('POST', body.instance, { status: body.status, headers: new Headers({ 'content-type': 'application/problem+json' }), body }));
      }
      checked++;
      i = end;
    }
    assert.deepEqual(problems, []);
    assert.ok(checked >= 8, `${checked} examples`);
  });
});
