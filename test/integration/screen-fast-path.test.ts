// The screening fast path (src/api/screen-fast-path.ts) answers exactly as fastify's pipeline does:
// two real servers over loopback HTTP, the fast path on and off, the same fixed clock and data, and
// the same generated requests sent to both must get the same status, headers and body. Also: the
// rate limit counts every request once, and the fast-path counter moves only for fast answers.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { IncomingHttpHeaders } from 'node:http';
import fc from 'fast-check';
import { startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { createApiKey, revokeKey } from '../../src/operations/keys.js';
import { CLI_OPERATOR } from '../../src/operations/actor.js';
import { checkKey } from '../../src/operations/key-access.js';

const CLOCK = Date.parse('2026-11-20T09:30:00Z');
const clock = (): number => CLOCK;
const LISTED = ['+8613900001111', '+8613900002222', 'loan-service@icloud.com'];
const TIMEOUT = { timeout: 120_000 };

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** One HTTP request with exactly these headers (fetch would add Accept-Language and others of its own). */
function send(url: string, path: string, headers: Record<string, string>, body: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, url),
      { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, signal: AbortSignal.timeout(10_000) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Requests written on one raw connection as the pieces say (a pause between pieces, so that each
 * arrives in its own TCP read), then the answers read back in order until the server closes.
 */
async function sendRaw(url: string, pieces: string[]): Promise<Answer[]> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  const received: Buffer[] = [];
  socket.on('data', (c: Buffer) => received.push(c));
  const closed = new Promise<void>((resolve, reject) => {
    socket.on('end', resolve);
    socket.on('error', reject);
    socket.setTimeout(10_000, () => socket.destroy(new Error(`no answer: ${Buffer.concat(received).toString('latin1')}`)));
  });
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  for (const [i, piece] of pieces.entries()) {
    if (i > 0) await sleep(40);
    socket.write(piece);
  }
  await closed;
  const answers: Answer[] = [];
  let rest = Buffer.concat(received);
  while (rest.length > 0) {
    const head = rest.subarray(0, rest.indexOf('\r\n\r\n')).toString('latin1').split('\r\n');
    const headers: IncomingHttpHeaders = {};
    for (const line of head.slice(1)) headers[line.slice(0, line.indexOf(':')).toLowerCase()] = line.slice(line.indexOf(':') + 1).trim();
    const start = rest.indexOf('\r\n\r\n') + 4;
    const length = Number(headers['content-length']);
    answers.push({ status: Number(head[0]!.split(' ')[1]), headers, text: rest.subarray(start, start + length).toString('utf8') });
    rest = rest.subarray(start + length);
  }
  return answers;
}

/** A screening request's head as a client writes it. */
function requestHead(headers: Record<string, string>, body: string, close: boolean): string {
  const lines = Object.entries({ host: 'localhost', ...headers, 'content-length': String(Buffer.byteLength(body)), connection: close ? 'close' : 'keep-alive' });
  return `POST /v1/screen HTTP/1.1\r\n${lines.map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`;
}

/** What a client may send, independent of the server it goes to (each server has its own keys). */
interface Sent {
  auth: 'carrier' | 'app' | 'regulator' | 'bank' | 'missing' | 'unknown' | 'revoked' | 'malformed';
  body: string;
  contentType: string;
  acceptLanguage?: string;
  idempotencyKey?: string;
  requestId?: string;
}

interface Side {
  t: TestServer;
  revoked: string;
}

function headersFor(side: Side, s: Sent): Record<string, string> {
  const h: Record<string, string> = { 'content-type': s.contentType };
  const key = s.auth === 'revoked' ? side.revoked : s.auth === 'unknown' ? `cs_${'0'.repeat(40)}` : side.t.keys[s.auth as 'carrier'];
  if (s.auth === 'malformed') h.authorization = `Token ${side.t.keys.carrier}`;
  else if (s.auth !== 'missing') h.authorization = `Bearer ${key}`;
  if (s.acceptLanguage !== undefined) h['accept-language'] = s.acceptLanguage;
  if (s.idempotencyKey !== undefined) h['idempotency-key'] = s.idempotencyKey;
  if (s.requestId !== undefined) h['x-request-id'] = s.requestId;
  return h;
}

const IGNORED_HEADERS = new Set(['date', 'x-request-id', 'connection', 'keep-alive']);

/**
 * An answer as the comparison sees it: headers that may differ left out, requestId fields removed
 * (fastify numbers the requests it sees, and the fast server's fastify sees fewer), and
 * Content-Length without the request ids' bytes.
 */
function comparable(a: Answer): { status: number; headers: Record<string, unknown>; body: unknown } {
  const headers: Record<string, unknown> = Object.fromEntries(Object.entries(a.headers).filter(([k]) => !IGNORED_HEADERS.has(k)));
  let body: unknown = a.text;
  let idBytes = 0;
  try {
    body = JSON.parse(a.text, (k, v: unknown) => {
      if (k !== 'requestId') return v;
      idBytes += Buffer.byteLength(String(v));
      return undefined;
    });
  } catch {
    /* not JSON: compare the text */
  }
  if (idBytes > 0) headers['content-length'] = Number(headers['content-length']) - idBytes;
  return { status: a.status, headers, body };
}

async function fastAnswers(t: TestServer): Promise<number> {
  return (await t.server.metrics.screenFastPath.get()).values[0]?.value ?? 0;
}

/** callshield_http_requests_total and callshield_screening_decisions_total, as label set → value. */
async function counters(t: TestServer): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const metric of [t.server.metrics.requests, t.server.metrics.decisions]) {
    const { name, values } = await metric.get();
    for (const v of values) out[`${name} ${JSON.stringify(v.labels)}`] = v.value;
  }
  return out;
}

async function sideOf(overrides: Parameters<typeof startTestServer>[0], reports = true): Promise<Side> {
  const t = await startTestServer(overrides, clock);
  for (const [i, caller] of reports ? LISTED.entries() : []) {
    for (let r = 0; r <= i * 3; r++) {
      const res = await t.call('POST', '/v1/reports', { role: 'app', body: { caller, reporter: `subscriber-${r}`, category: 'fraud' } });
      assert.equal(res.status, 201, res.text);
    }
  }
  const gone = await createApiKey(t.ctx, { org: 'Test carrier', role: 'carrier', person: 'carrier-officer-2' }, CLI_OPERATOR);
  await checkKey(t.ctx, gone.key); // cached, then revoked: the cache must say so
  await revokeKey(t.ctx, gone.keyId, { reason: 'leaked' }, CLI_OPERATOR);
  // Every role's key in the key cache, as a working client's is (the fast path needs a cached key).
  for (const key of Object.values(t.keys)) await checkKey(t.ctx, key);
  return { t, revoked: gone.key };
}

const call = (over: Record<string, unknown> = {}): string => JSON.stringify({ caller: LISTED[1], callee: '+8613800138000', channel: 'pstn', ...over });

const callArb = fc
  .record(
    {
      caller: fc.oneof(
        fc.constantFrom(...LISTED, '+8613700009999', '138 0013 8000', '021 5555 1234', 'stranger@example.com', 'sip:alice@example.com'),
        fc.constantFrom('anonymous', 'account:wechat:wx123', 'not a number!!', ''),
      ),
      callee: fc.constantFrom('+8613800138000', '021 5555 1234', 'bob@example.com', 'anonymous', '12'),
      channel: fc.constantFrom('pstn', 'video', 'voip', 'fax', 7),
      attestation: fc.constantFrom('A', 'B', 'C', 'D'),
      verstat: fc.constantFrom('TN-Validation-Passed', 'TN-Validation-Failed', 'No-TN-Validation', 'maybe'),
      at: fc.constantFrom('2026-11-20T08:00:00Z', '2026-11-20T23:59:59+08:00', 'yesterday'),
      callId: fc.constantFrom('a84b4c76e66710@pc33.example.com', ''),
      identity: fc.constantFrom('eyJhbGciOiJFUzI1NiJ9.e30.sig;info=<https://cert.example.org/cert.pem>;alg=ES256;ppt=shaken', ['x']),
      extra: fc.constantFrom(true, 'x'),
    },
    { requiredKeys: ['caller', 'callee', 'channel'] },
  )
  .map((c) => JSON.stringify(c));

const bodyArb = fc.oneof(
  { weight: 8, arbitrary: callArb },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '',
      'not json',
      '{"caller":',
      '[]',
      'null',
      call({ caller: '+86139\u00000001111' }),
      JSON.stringify({ caller: LISTED[0], callee: '+8613800138000' }),
      `${call()}   `,
      call().replace('"pstn"', '"p\\u0073tn"'),
      '{"__proto__":{"x":1},"caller":"+8613900001111","callee":"+8613800138000","channel":"pstn"}',
    ),
  },
);

const sentArb: fc.Arbitrary<Sent> = fc.record(
  {
    auth: fc.constantFrom('carrier', 'carrier', 'app', 'regulator', 'bank', 'missing', 'unknown', 'revoked', 'malformed'),
    body: bodyArb,
    contentType: fc.constantFrom('application/json', 'application/json', 'application/json; charset=utf-8', 'text/plain', 'application/JSON'),
    acceptLanguage: fc.constantFrom('zh-CN', 'zh-TW', 'en', '*', 'fr', 'zh;q=0.5, en;q=0.9', 'en;q=0, zh-HK', 'xx;q=abc'),
    idempotencyKey: fc.constantFrom('retry-1', 'retry-2', 'bad key with spaces'),
    requestId: fc.constantFrom('req-abc', 'req-def'),
  },
  { requiredKeys: ['auth', 'body', 'contentType'] },
);

describe('POST /v1/screen fast path', TIMEOUT, () => {
  let fast: Side;
  let slow: Side;
  before(async () => {
    fast = await sideOf({ screenFastPath: true, rateLimit: 1_000_000 });
    slow = await sideOf({ screenFastPath: false, rateLimit: 1_000_000 });
  });
  after(async () => {
    await fast?.t.close();
    await slow?.t.close();
  });

  const both = async (s: Sent): Promise<{ fastAnswer: Answer; slowAnswer: Answer }> => {
    const fastAnswer = await send(fast.t.url, '/v1/screen', headersFor(fast, s), s.body);
    const slowAnswer = await send(slow.t.url, '/v1/screen', headersFor(slow, s), s.body);
    return { fastAnswer, slowAnswer };
  };
  const same = async (s: Sent): Promise<Answer> => {
    const { fastAnswer, slowAnswer } = await both(s);
    const [a, b] = [comparable(fastAnswer), comparable(slowAnswer)];
    assert.deepEqual(a, b, `sent ${JSON.stringify(s)}\nfast path on:  ${JSON.stringify(a)}\nfast path off: ${JSON.stringify(b)}`);
    return fastAnswer;
  };

  it('answers the cases named in the design the same, and only plain calls fast', TIMEOUT, async () => {
    const cases: [Sent, { status: number; fast: boolean }][] = [
      [{ auth: 'carrier', body: call(), contentType: 'application/json' }, { status: 200, fast: true }],
      [{ auth: 'app', body: call({ caller: LISTED[2], channel: 'video' }), contentType: 'application/json; charset=utf-8', acceptLanguage: 'zh-CN' }, { status: 200, fast: true }],
      [{ auth: 'carrier', body: call({ caller: '+8613700009999' }), contentType: 'application/json', acceptLanguage: 'zh-TW', requestId: 'req-1' }, { status: 200, fast: true }],
      [{ auth: 'carrier', body: call({ attestation: 'C', verstat: 'TN-Validation-Failed', at: '2026-11-20T08:00:00Z', callId: 'abc' }), contentType: 'application/json' }, { status: 200, fast: true }],
      [{ auth: 'carrier', body: '{"caller":', contentType: 'application/json' }, { status: 400, fast: false }],
      [{ auth: 'carrier', body: call({ channel: 'fax' }), contentType: 'application/json' }, { status: 400, fast: false }],
      [{ auth: 'carrier', body: call({ unknown: 1 }), contentType: 'application/json' }, { status: 400, fast: false }],
      [{ auth: 'carrier', body: call({ caller: '+86139\u00000001111' }), contentType: 'application/json' }, { status: 400, fast: false }],
      [{ auth: 'carrier', body: call({ callee: 'anonymous' }), contentType: 'application/json' }, { status: 400, fast: false }],
      [{ auth: 'carrier', body: call({ identity: 'abc' }), contentType: 'application/json' }, { status: 0, fast: false }],
      [{ auth: 'carrier', body: call(), contentType: 'application/json', idempotencyKey: 'design-1' }, { status: 200, fast: false }],
      [{ auth: 'carrier', body: call(), contentType: 'application/json', idempotencyKey: 'design-1' }, { status: 200, fast: false }],
      [{ auth: 'missing', body: call(), contentType: 'application/json' }, { status: 401, fast: false }],
      [{ auth: 'unknown', body: call(), contentType: 'application/json' }, { status: 401, fast: false }],
      [{ auth: 'revoked', body: call(), contentType: 'application/json' }, { status: 401, fast: false }],
      [{ auth: 'regulator', body: call(), contentType: 'application/json' }, { status: 403, fast: false }],
      [{ auth: 'carrier', body: call(), contentType: 'text/plain' }, { status: 415, fast: false }],
    ];
    for (const [sent, expected] of cases) {
      const before = await fastAnswers(fast.t);
      const answer = await same(sent);
      if (expected.status !== 0) assert.equal(answer.status, expected.status, `${JSON.stringify(sent)}: ${answer.text}`);
      assert.equal((await fastAnswers(fast.t)) - before, expected.fast ? 1 : 0, `fast answers after ${JSON.stringify(sent)}`);
    }
    assert.equal(await fastAnswers(slow.t), 0, 'the server with the fast path off answers nothing fast');
  });

  // The fast path takes a body that came with its headers at once, and reads one that comes later
  // from the stream (here part of it came with the headers): both must answer as fastify does, and fast.
  it('answers a body that comes in pieces after its headers, and requests pipelined in one write, as fastify does', TIMEOUT, async () => {
    const bodies = [call({ caller: LISTED[0] }), call({ caller: '+8613700001234', channel: 'video' }), call({ caller: LISTED[1] })];
    const sent = (side: Side, body: string): Record<string, string> => headersFor(side, { auth: 'carrier', body, contentType: 'application/json' });
    const inPieces = (side: Side): string[] => {
      const body = bodies[0]!;
      return [requestHead(sent(side, body), body, true) + body.slice(0, 9), body.slice(9, 30), body.slice(30)];
    };
    const pipelined = (side: Side): string[] => [bodies.map((b, i) => requestHead(sent(side, b), b, i === bodies.length - 1) + b).join('')];
    for (const [name, pieces, answers] of [['in pieces', inPieces, 1], ['pipelined', pipelined, 3]] as const) {
      const before = await fastAnswers(fast.t);
      const fastAnswers_ = await sendRaw(fast.t.url, pieces(fast));
      const slowAnswers = await sendRaw(slow.t.url, pieces(slow));
      assert.equal(fastAnswers_.length, answers, `${name}: answers`);
      assert.deepEqual(fastAnswers_.map(comparable), slowAnswers.map(comparable), name);
      for (const a of fastAnswers_) assert.equal(a.status, 200, `${name}: ${a.text}`);
      assert.deepEqual(fastAnswers_.map((a) => (JSON.parse(a.text) as { caller: string }).caller), bodies.slice(0, answers).map((b) => (JSON.parse(b) as { caller: string }).caller), `${name}: each answer is its own request's`);
      assert.equal((await fastAnswers(fast.t)) - before, answers, `${name}: answered fast`);
    }
  });

  it('answers generated requests the same as fastify does, and counts them the same', TIMEOUT, async () => {
    await fc.assert(
      fc.asyncProperty(sentArb, async (s) => {
        await same(s);
      }),
      { numRuns: 250, interruptAfterTimeLimit: 90_000, includeErrorInReport: true },
    );
    assert.ok((await fastAnswers(fast.t)) > 0, 'some generated requests were answered fast');
    assert.equal(await fastAnswers(slow.t), 0);
    assert.deepEqual(await counters(fast.t), await counters(slow.t), 'request and decision counters');
  });
});

describe('the rate limit on the fast path', TIMEOUT, () => {
  const LIMIT = 4;
  let fast: Side;
  let slow: Side;
  before(async () => {
    fast = await sideOf({ screenFastPath: true, rateLimit: LIMIT }, false);
    slow = await sideOf({ screenFastPath: false, rateLimit: LIMIT }, false);
  });
  after(async () => {
    await fast?.t.close();
    await slow?.t.close();
  });

  // A window is one second: a burst that took longer than that (a very busy machine) proves nothing
  // and is tried again after the window has passed, up to three times.
  async function burst(side: Side, bodies: string[]): Promise<number[]> {
    for (let attempt = 0; ; attempt++) {
      await new Promise((r) => setTimeout(r, 1100));
      const started = Date.now();
      const statuses: number[] = [];
      for (const body of bodies) {
        const headers = headersFor(side, { auth: 'carrier', body, contentType: 'application/json' });
        statuses.push((await send(side.t.url, '/v1/screen', headers, body)).status);
      }
      if (Date.now() - started < 900 || attempt === 2) return statuses;
    }
  }

  it(`lets ${LIMIT} requests a second through and refuses the next, fast path on and off alike`, TIMEOUT, async () => {
    const before = await fastAnswers(fast.t);
    const bodies = Array.from({ length: LIMIT + 1 }, () => call());
    assert.deepEqual(await burst(fast, bodies), [200, 200, 200, 200, 429]);
    assert.equal((await fastAnswers(fast.t)) - before, LIMIT, 'the refused request was not answered fast');
    assert.deepEqual(await burst(slow, bodies), [200, 200, 200, 200, 429]);
  });

  it('a request handed back to fastify (an invalid body) is counted once, not twice and not never', TIMEOUT, async () => {
    // 200, 400 (counted by fastify), 200, 200: four counted; the fifth is over the limit.
    const bodies = [call(), call({ channel: 'fax' }), call(), call(), call()];
    assert.deepEqual(await burst(fast, bodies), [200, 400, 200, 200, 429]);
    assert.deepEqual(await burst(slow, bodies), [200, 400, 200, 200, 429]);
  });
});
