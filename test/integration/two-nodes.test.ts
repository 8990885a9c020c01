// Two service processes on one store: a report accepted by node A changes node B's decision (the
// change log, applied on NOTIFY with PostgreSQL and by polling on a shared SQLite file). The same
// holds for the governance registries (holders, do-not-call) and the payments check's state
// (flags, enrolments, payment history): each test first makes node B load the state, so what it
// sees afterwards came through the change log, not a fresh load.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnServiceNode } from '../helpers/spawn-node.js';
import type { ServiceNode } from '../helpers/spawn-node.js';
import { assertContract } from '../helpers/openapi-contract.js';
import { createTestDatabase } from '../helpers/postgres.js';
import { generateKeyPem } from '../../src/audit/index.js';

const onPostgres = process.env.CALLSHIELD_TEST_ENGINE === 'postgres';

function cli(args: string[], env: Record<string, string>): string {
  return execFileSync(process.execPath, ['bin/callshield.js', ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });
}

async function post(url: string, key: string, body: unknown): Promise<{ status: number; body: any }> {
  const r = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const out = { status: r.status, headers: r.headers, body: await r.json() };
  const { origin, pathname } = new URL(url);
  await assertContract(origin, 'POST', pathname, out);
  return out;
}

describe(`two service nodes on one ${onPostgres ? 'PostgreSQL' : 'SQLite'} store`, () => {
  let a: ServiceNode;
  let b: ServiceNode;
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;
  let appKey: string;
  let policeKey: string;
  let carrierKey: string;
  let businessKey: string;
  let bankKey: string;

  before(async () => {
    if (onPostgres) {
      const db = await createTestDatabase();
      // Both nodes (and the CLI) mount the same secret file, as docs/scaling.md says, and sign audit
      // checkpoints with one shared key, which PostgreSQL requires given.
      const dir = mkdtempSync(join(tmpdir(), 'callshield-2n-'));
      writeFileSync(join(dir, 'audit-key.pem'), generateKeyPem(), { mode: 0o600 });
      env = { DATABASE_URL: db.url, CALLSHIELD_SECRET_FILE: join(dir, 'callshield.secret'), CALLSHIELD_AUDIT_KEY_FILE: join(dir, 'audit-key.pem') };
      cleanup = async () => (await db.drop(), rmSync(dir, { recursive: true, force: true }));
    } else {
      const dir = mkdtempSync(join(tmpdir(), 'callshield-2n-'));
      env = { CALLSHIELD_DB: join(dir, 'shared.db') };
      cleanup = async () => rmSync(dir, { recursive: true, force: true });
    }
    appKey = cli(['keys', 'create', '--org', 'App', '--role', 'app'], env).trim().split('\n').at(-1)!;
    policeKey = cli(['keys', 'create', '--org', 'Police', '--role', 'police', '--person', 'badge-police-1'], env).trim().split('\n').at(-1)!;
    carrierKey = cli(['keys', 'create', '--org', 'Carrier', '--role', 'carrier'], env).trim().split('\n').at(-1)!;
    businessKey = cli(['keys', 'create', '--org', 'Shop', '--role', 'business'], env).trim().split('\n').at(-1)!;
    bankKey = cli(['keys', 'create', '--org', 'Bank', '--role', 'bank', '--person', 'badge-bank-1'], env).trim().split('\n').at(-1)!;
    [a, b] = await Promise.all([spawnServiceNode(env), spawnServiceNode(env)]);
  });
  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await cleanup?.();
  });

  async function waitForAction(node: ServiceNode, caller: string, want: string[]): Promise<{ action: string; ms: number }> {
    const started = Date.now();
    for (;;) {
      const r = await post(`${node.url}/v1/screen`, appKey, { caller, callee: '+8613800138000', channel: 'pstn' });
      assert.equal(r.status, 200);
      if (want.includes(r.body.action)) return { action: r.body.action, ms: Date.now() - started };
      if (Date.now() - started > 5000) assert.fail(`node never saw the change: still ${r.body.action}`);
      await new Promise((res) => setTimeout(res, 50));
    }
  }

  it('reports filed on node A change decisions on node B', async () => {
    const caller = '+8613700001234';
    const before = await post(`${b.url}/v1/screen`, appKey, { caller, callee: '+8613800138000', channel: 'pstn' });
    assert.equal(before.body.action, 'allow');
    for (let i = 0; i < 6; i++) {
      const r = await post(`${a.url}/v1/reports`, appKey, { caller, reporter: `sub-${i}`, category: 'fraud' });
      assert.equal(r.status, 201);
    }
    const seen = await waitForAction(b, caller, ['warn', 'block']);
    assert.equal(seen.action, 'warn');
  });

  it('a police list uploaded on node B blocks on node A', async () => {
    const r = await post(`${b.url}/v1/lists`, policeKey, { name: 'case 7', category: 'fraud', entries: [{ identifier: '+8613700005678' }] });
    assert.equal(r.status, 201);
    const seen = await waitForAction(a, '+8613700005678', ['block']);
    assert.equal(seen.action, 'block');
  });

  it('keeps one audit chain when both nodes write at once', async () => {
    const uploads = Array.from({ length: 24 }, (_, i) =>
      post(`${(i % 2 ? a : b).url}/v1/lists`, policeKey, { name: `parallel ${i}`, category: 'fraud', entries: [{ identifier: `+861370010${String(i).padStart(4, '0')}` }] }),
    );
    const results = await Promise.all(uploads);
    assert.deepEqual(results.map((r) => r.status), results.map(() => 201));
    const out = cli(['audit', 'verify', '--json'], env);
    const check = JSON.parse(out.trim().split('\n').at(-1)!);
    assert.equal(check.ok, true, out);
    assert.ok(check.entries >= 24 + 3, `entries: ${check.entries}`);
  });

  it('a policy set on node A applies on node B', async () => {
    const callee = '+8613800138999';
    const put = await fetch(`${a.url}/v1/subscribers/${encodeURIComponent(callee)}/policy`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${appKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ silenceUnknownVideo: true }),
    });
    assert.equal(put.status, 200);
    const started = Date.now();
    for (;;) {
      const r = await post(`${b.url}/v1/screen`, appKey, { caller: 'stranger@example.com', callee, channel: 'video' });
      if (r.body.action === 'silence') break;
      if (Date.now() - started > 5000) assert.fail(`policy did not reach node B: ${r.body.action}`);
      await new Promise((res) => setTimeout(res, 50));
    }
  });

  /** Asks `probe` until `done` holds (5 s at most) and returns the last answer. */
  async function until<T>(what: string, probe: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
    const started = Date.now();
    for (;;) {
      const v = await probe();
      if (done(v)) return v;
      if (Date.now() - started > 5000) assert.fail(`${what}: ${JSON.stringify(v)}`);
      await new Promise((res) => setTimeout(res, 50));
    }
  }

  const codes = (body: { reasons: { code: string }[] }): string[] => body.reasons.map((r) => r.code);

  async function screenOn(node: ServiceNode, caller: string): Promise<any> {
    const r = await post(`${node.url}/v1/screen`, appKey, { caller, callee: '+8613800138000', channel: 'pstn' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body;
  }

  /** The app registers the subscriber on a node (sets their policy): an app acts only for people it serves. */
  async function serveOn(node: ServiceNode, subscriber: string): Promise<void> {
    const r = await fetch(`${node.url}/v1/subscribers/${encodeURIComponent(subscriber)}/policy`, { method: 'PUT', headers: { authorization: `Bearer ${appKey}`, 'content-type': 'application/json' }, body: '{}' });
    assert.equal(r.status, 200, await r.text());
  }

  async function scrubOn(node: ServiceNode, number: string): Promise<any> {
    const r = await post(`${node.url}/v1/dnc/scrub`, businessKey, { purpose: 'marketing', numbers: [number] });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.results[0];
  }

  async function checkOn(node: ServiceNode, body: { payer: string; payeeAccount: string; amount: number; currency?: string }): Promise<any> {
    const r = await post(`${node.url}/v1/transfers/check`, bankKey, { currency: 'CNY', channel: 'mobile', ...body });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body;
  }

  it('a holder block registered on node A labels the caller on node B', async () => {
    const caller = '+861066106610';
    assert.equal((await screenOn(b, caller)).verifiedCaller, undefined);
    const r = await post(`${a.url}/v1/holders`, carrierKey, { blocks: [{ holder: 'ICBC', identityLevel: 'verified', use: 'customer-service', prefix: '+86106610' }] });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const seen = await until('node B never saw the holder block', () => screenOn(b, caller), (d) => d.verifiedCaller !== undefined);
    assert.equal(seen.verifiedCaller, 'ICBC');
    assert.ok(codes(seen).includes('VERIFIED_HOLDER'), JSON.stringify(seen.reasons));
  });

  it('a number put on the do-not-call list on node A is refused by a scrub on node B, and callable again after withdrawal', async () => {
    const number = '+8613800137777';
    assert.equal((await scrubOn(b, number)).callable, true);
    await serveOn(a, number);
    const r = await post(`${a.url}/v1/dnc`, appKey, { number });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const refused = await until('node B still scrubs the number as callable', () => scrubOn(b, number), (x) => x.callable === false);
    assert.deepEqual(codes(refused), ['DNC_REGISTERED']);
    const w = await post(`${a.url}/v1/dnc/withdraw`, appKey, { number });
    assert.equal(w.status, 200, JSON.stringify(w.body));
    await until('node B never saw the withdrawal', () => scrubOn(b, number), (x) => x.callable === true);
  });

  it('a consent granted, then revoked, on node A decides the scrub on node B', async () => {
    const number = '+8613800137778';
    await serveOn(a, number);
    assert.equal((await post(`${a.url}/v1/dnc`, appKey, { number })).status, 201);
    await until('node B never saw the registration', () => scrubOn(b, number), (x) => x.callable === false);
    // Given after the registration, so it outranks it (one given before would not).
    const c = await post(`${a.url}/v1/consents`, businessKey, { number, purpose: 'marketing', channel: 'voice', grantedAt: new Date().toISOString(), evidence: 'signed web form #4411' });
    assert.equal(c.status, 201, JSON.stringify(c.body));
    await until('node B never saw the consent', () => scrubOn(b, number), (x) => x.callable === true);
    const r = await post(`${a.url}/v1/consents/${c.body.id}/revoke`, businessKey, {});
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const refused = await until('node B never saw the revocation', () => scrubOn(b, number), (x) => x.callable === false);
    assert.deepEqual(codes(refused), ['CONSENT_REVOKED', 'DNC_REGISTERED']);
  });

  it('a payee flagged by police on node A is blocked by the transfer check on node B', async () => {
    const mule = '6011111111111117';
    const first = await checkOn(b, { payer: 'cust-flag', payeeAccount: mule, amount: 10 });
    assert.notEqual(first.decision, 'block');
    const r = await post(`${a.url}/v1/accounts/flags`, policeKey, { account: mule, evidence: 'mule account in case 2026-117' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const seen = await until('node B never saw the flag', () => checkOn(b, { payer: 'cust-flag', payeeAccount: mule, amount: 10 }), (d) => d.decision === 'block');
    assert.deepEqual(codes(seen), ['PAYEE_CONFIRMED_MULE']);
  });

  it('a freeze approved on node A blocks transfers to its account on node B, and its two-person release lifts it there', async () => {
    const account = '4000 0566 5566 5556';
    const secondOfficer = cli(['keys', 'create', '--org', 'Police', '--role', 'police', '--person', 'badge-police-2'], env).trim().split('\n').at(-1)!;
    assert.notEqual((await checkOn(b, { payer: 'cust-frozen', payeeAccount: account, amount: 10 })).decision, 'block');
    const filed = await post(`${a.url}/v1/freezes`, policeKey, { caseNumber: 'TN-1', accounts: [{ account, bank: 'Bank' }], amount: 10, currency: 'CNY', legalBasis: 'emergency freeze' });
    assert.equal(filed.status, 201, JSON.stringify(filed.body));
    assert.equal((await post(`${a.url}/v1/freezes/${filed.body.id}/approve`, secondOfficer, {})).body.status, 'active');
    const seen = await until('node B never saw the freeze', () => checkOn(b, { payer: 'cust-frozen', payeeAccount: account, amount: 10 }), (d) => d.decision === 'block');
    assert.deepEqual(codes(seen), ['FREEZE_ACTIVE']);
    assert.equal((await post(`${a.url}/v1/freezes/${filed.body.id}/release`, policeKey, { reason: 'returned' })).body.status, 'active');
    assert.equal((await post(`${a.url}/v1/freezes/${filed.body.id}/release`, secondOfficer, { reason: 'confirmed' })).body.status, 'released');
    await until('node B still blocks after the release', () => checkOn(b, { payer: 'cust-frozen', payeeAccount: account, amount: 10 }), (d) => d.decision !== 'block');
  });

  it("an enrolment made on node A is used by node B's transfer check", async () => {
    const check = () => checkOn(b, { payer: 'cust-2n', payeeAccount: '4111 1111 1111 1111', amount: 10 });
    assert.ok(codes(await check()).includes('PAYER_NOT_ENROLLED'));
    const r = await post(`${a.url}/v1/payers`, bankKey, { payer: 'cust-2n', subscriber: '+8613600136001' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    await until('node B still treats the payer as not enrolled', check, (d) => !codes(d).includes('PAYER_NOT_ENROLLED'));
  });

  it("a risky call followed on node A holds the payer's transfer checked on node B", async () => {
    const subscriber = '+8613600136077';
    assert.equal((await post(`${b.url}/v1/payers`, bankKey, { payer: 'cust-risky', subscriber })).status, 201);
    const check = () => checkOn(b, { payer: 'cust-risky', payeeAccount: '4111 1111 1111 1111', amount: 50_000 });
    assert.ok(!codes(await check()).includes('RISKY_CALL_ACTIVE'));
    // The app running the guard serves the callee (its policy, set on node A).
    await serveOn(a, subscriber);
    const start = await post(`${a.url}/v1/calls`, appKey, { caller: 'scammer@icloud.com', callee: subscriber, channel: 'video' });
    assert.equal(start.status, 201);
    for (const text of ['您好，我是贷款平台的客服', '您的征信记录有问题，需要注销', '请下载腾讯会议并共享屏幕', '把钱转到银监会认证的安全账户']) {
      const u = await post(`${a.url}/v1/calls/${start.body.callId}/utterances`, appKey, { speaker: 'caller', text });
      assert.equal(u.status, 200);
    }
    const d = await until('node B never saw the risky call', check, (r) => codes(r).includes('RISKY_CALL_ACTIVE'));
    assert.ok(['hold', 'block', 'confirm'].includes(d.decision), d.decision);
  });

  it("payments allowed on node A count in node B's history and known payees", async () => {
    const iban = 'DE89370400440532013000';
    for (let i = 0; i < 4; i++) assert.equal((await checkOn(a, { payer: 'cust-2n', payeeAccount: iban, amount: 200 + i, currency: 'EUR' })).decision, 'allow');
    // The change log is applied in order: once node B sees a flag made after the payments, it has
    // applied the payments too. (Probing with the payments themselves would add to B's history.)
    const r = await post(`${a.url}/v1/accounts/flags`, bankKey, { account: 'alipay:probe-2n', evidence: 'a marker for this test' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    await until('node B never saw the marker flag', () => checkOn(b, { payer: 'cust-probe', payeeAccount: 'alipay:probe-2n', amount: 1 }), (d) => d.decision === 'hold');
    const big = await checkOn(b, { payer: 'cust-2n', payeeAccount: iban, amount: 50_000, currency: 'EUR' });
    assert.deepEqual(codes(big), ['AMOUNT_UNUSUAL']);
    assert.equal(big.decision, 'confirm');
  });
});
