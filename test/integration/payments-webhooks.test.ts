// Webhooks through the outbox with a real loopback receiver (on SQLite, and on PostgreSQL when one answers): down first (connection refused), the
// event is retried with backoff and kept; the receiver comes up and gets it, signed; events
// written while no dispatcher runs are delivered by the next one (state lives in the table).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { startOutboxDispatcher } from '../../src/operations/payments/dispatcher.js';
import type { OutboxDispatcher } from '../../src/operations/payments/dispatcher.js';
import { verifySignature } from '../../src/payments/index.js';
import { createTestDatabase, postgresAvailable } from '../helpers/postgres.js';

interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

let t: TestServer;
let port: number;
let receiver: Server | undefined;
const received: Received[] = [];
let dispatcher: OutboxDispatcher | undefined;
let pgdb: { url: string; drop: () => Promise<void> } | undefined;
const pgUp = await postgresAvailable();

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const p = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return p;
}

async function startReceiver(): Promise<void> {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver!.listen(port, '127.0.0.1', r));
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

for (const engine of ['sqlite', 'postgres'] as const) {
describe(engine, { skip: engine === 'postgres' && !pgUp ? 'PostgreSQL is not reachable' : false }, () => {
  before(async () => {
    if (engine === 'postgres') {
      pgdb = await createTestDatabase();
      t = await startTestServer({ databaseUrl: pgdb.url });
    } else {
      t = await startTestServer();
    }
    port = await freePort();
    received.length = 0;
    receiver = undefined;
  });
  after(async () => {
    await dispatcher?.stop();
    dispatcher = undefined;
    await new Promise<void>((r) => (receiver ? receiver.close(() => r()) : r()));
    await t?.close();
    await pgdb?.drop();
    pgdb = undefined;
  });

  describe(`webhooks on ${engine}`, () => {
    let secret: string;

    it('registers an endpoint and returns the secret once', async () => {
      const res = await t.call('PUT', '/v1/webhooks', { role: 'bank', body: { url: `http://127.0.0.1:${port}/hooks` } });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      secret = res.body.secret;
      assert.match(secret, /^[0-9a-f]{64}$/);
      const view = await t.call('GET', '/v1/webhooks', { role: 'bank' });
      assert.equal(view.body.url, `http://127.0.0.1:${port}/hooks`);
      assert.equal(view.body.secret, undefined);
      const bad = await t.call('PUT', '/v1/webhooks', { role: 'bank', body: { url: 'not a url' } });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.code, 'PAYMENTS_INVALID_WEBHOOK');
    });

    it('a receiver that is down gets retries; when it comes up the event arrives, signed', async () => {
      await t.call('POST', '/v1/accounts/flags', { role: 'bank', body: { account: 'alipay:mule-1', evidence: 'suspected mule' } });
      const held = await t.call('POST', '/v1/transfers/check', { role: 'bank', body: { payer: 'c1', payeeAccount: 'alipay:mule-1', amount: 900, currency: 'CNY', channel: 'online' } });
      assert.equal(held.body.decision, 'hold');
      const outbox = await t.ctx.db.selectFrom('outbox').selectAll().where('event_type', '=', 'hold.created').execute();
      assert.equal(outbox.length, 1, 'the event was written with the hold');

      dispatcher = startOutboxDispatcher(t.ctx, { dispatchIntervalMs: 20, webhookBaseDelayMs: 40, webhookMaxDelayMs: 200 });
      const failing = await until('two failed attempts', async () => {
        const d = (await t.call('GET', '/v1/webhooks/deliveries', { role: 'bank' })).body.deliveries[0];
        return d && d.attempts >= 2 ? d : undefined;
      });
      assert.equal(failing.status, 'pending');
      assert.equal(failing.log[0].statusCode, null);
      // In plain words, not the raw network error code (ECONNREFUSED).
      assert.equal(failing.log[0].error, 'connection refused');
      assert.equal(failing.lastError, 'connection refused');
      assert.equal(received.length, 0);

      await startReceiver();
      const delivered = await until('delivery', async () => {
        const d = (await t.call('GET', '/v1/webhooks/deliveries', { role: 'bank' })).body.deliveries[0];
        return d?.status === 'delivered' ? d : undefined;
      });
      assert.equal(delivered.lastStatus, 204);
      assert.equal(received.length, 1);
      const got = received[0]!;
      const check = verifySignature(String(got.headers['x-callshield-signature']), got.body, secret, Math.floor(Date.now() / 1000));
      assert.equal(check.ok, true, JSON.stringify(check));
      assert.equal(verifySignature(String(got.headers['x-callshield-signature']), got.body, 'wrong-secret-wrong', Math.floor(Date.now() / 1000)).ok, false);
      const event = JSON.parse(got.body);
      assert.equal(event.type, 'hold.created');
      assert.equal(event.data.holdId, held.body.holdId);
      assert.equal(got.headers['x-callshield-event'], 'hold.created');
    });

    it('events written while no dispatcher runs are delivered by the next one (no loss on restart)', async () => {
      await dispatcher!.stop();
      dispatcher = undefined;
      const res = await t.call('GET', '/v1/holds?status=held', { role: 'bank' });
      const holdId = res.body.holds[0].id;
      const rel = await t.call('POST', `/v1/holds/${holdId}/return`, { role: 'bank', body: { reason: 'customer confirmed a scam on call-back' } });
      assert.equal(rel.status, 200);
      const pending = await t.ctx.db.selectFrom('outbox').selectAll().where('event_type', '=', 'hold.returned').execute();
      assert.equal(pending.length, 1);
      assert.equal(pending[0]!.status, 'pending');
      const n = received.length;
      dispatcher = startOutboxDispatcher(t.ctx);
      await until('the returned event', async () => (received.length > n ? true : undefined));
      assert.equal(JSON.parse(received[received.length - 1]!.body).type, 'hold.returned');
    });

    it('a delivery log is per organisation', async () => {
      const police = await t.call('GET', '/v1/webhooks/deliveries', { role: 'police' });
      assert.deepEqual(police.body.deliveries, []);
      const admin = await t.call('GET', '/v1/webhooks/deliveries', { role: 'admin' });
      assert.ok(admin.body.deliveries.length >= 2);
    });
  });
});
}
