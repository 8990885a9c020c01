// Two service processes on one store: a report accepted by node A changes node B's decision (the
// change log, applied on NOTIFY with PostgreSQL and by polling on a shared SQLite file).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnServiceNode } from '../helpers/spawn-node.js';
import type { ServiceNode } from '../helpers/spawn-node.js';
import { createTestDatabase } from '../helpers/postgres.js';

const onPostgres = process.env.CALLSHIELD_TEST_ENGINE === 'postgres';

function cli(args: string[], env: Record<string, string>): string {
  return execFileSync(process.execPath, ['bin/callshield.js', ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });
}

async function post(url: string, key: string, body: unknown): Promise<{ status: number; body: any }> {
  const r = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: r.status, body: await r.json() };
}

describe(`two service nodes on one ${onPostgres ? 'PostgreSQL' : 'SQLite'} store`, () => {
  let a: ServiceNode;
  let b: ServiceNode;
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;
  let appKey: string;
  let policeKey: string;

  before(async () => {
    if (onPostgres) {
      const db = await createTestDatabase();
      env = { DATABASE_URL: db.url };
      cleanup = db.drop;
    } else {
      const dir = mkdtempSync(join(tmpdir(), 'callshield-2n-'));
      env = { CALLSHIELD_DB: join(dir, 'shared.db') };
      cleanup = async () => rmSync(dir, { recursive: true, force: true });
    }
    appKey = cli(['keys', 'create', '--org', 'App', '--role', 'app'], env).trim().split('\n').at(-1)!;
    policeKey = cli(['keys', 'create', '--org', 'Police', '--role', 'police'], env).trim().split('\n').at(-1)!;
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
});
