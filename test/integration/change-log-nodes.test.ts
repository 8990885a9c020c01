// Across nodes nothing is lost (issue 18): a change-log entry commits with the change it describes,
// so a node killed right after the commit cannot take it with it; and a node that was away longer
// than the change log is kept reloads its indexes in full, says so in its log and in /readyz, and
// serves the new state. Real `callshield serve` processes on one store (SQLite file, or PostgreSQL
// with --engine postgres).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { spawnServiceNode } from '../helpers/spawn-node.js';
import type { ServiceNode } from '../helpers/spawn-node.js';
import { createTestDatabase } from '../helpers/postgres.js';
import { generateKeyPem } from '../../src/audit/index.js';
import { openDatabase } from '../../src/store/open-database.js';
import { latestChangeSeq, prunedThrough } from '../../src/store/changes.js';
import type { Database } from '../../src/store/schema.js';

const onPostgres = process.env.CALLSHIELD_TEST_ENGINE === 'postgres';

function cli(args: string[], env: Record<string, string>): string {
  return execFileSync(process.execPath, ['bin/callshield.js', ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });
}

async function post(url: string, key: string, body: unknown, method = 'POST'): Promise<{ status: number; body: any }> {
  const r = await fetch(url, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: r.status, body: await r.json() };
}

/** Asks `probe` until `done` holds (10 s at most) and returns the last answer. */
async function until<T>(what: string, probe: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  const started = Date.now();
  for (;;) {
    const v = await probe();
    if (done(v)) return v;
    if (Date.now() - started > 10_000) assert.fail(`${what}: ${JSON.stringify(v)}`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

describe(`change log across nodes on ${onPostgres ? 'PostgreSQL' : 'SQLite'}`, () => {
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;
  let db: Kysely<Database>;
  let appKey: string;
  let policeKey: string;
  let businessKey: string;
  const nodes: ServiceNode[] = [];

  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'callshield-cl-'));
    if (onPostgres) {
      const pg = await createTestDatabase();
      writeFileSync(join(dir, 'audit-key.pem'), generateKeyPem(), { mode: 0o600 });
      env = { DATABASE_URL: pg.url, CALLSHIELD_SECRET_FILE: join(dir, 'callshield.secret'), CALLSHIELD_AUDIT_KEY_FILE: join(dir, 'audit-key.pem') };
      cleanup = async () => (await pg.drop(), rmSync(dir, { recursive: true, force: true }));
    } else {
      env = { CALLSHIELD_DB: join(dir, 'shared.db') };
      cleanup = async () => rmSync(dir, { recursive: true, force: true });
    }
    env.CALLSHIELD_CHANGE_POLL_MS = '100';
    appKey = cli(['keys', 'create', '--org', 'App', '--role', 'app'], env).trim().split('\n').at(-1)!;
    policeKey = cli(['keys', 'create', '--org', 'Police', '--role', 'police', '--person', 'badge-1'], env).trim().split('\n').at(-1)!;
    businessKey = cli(['keys', 'create', '--org', 'Shop', '--role', 'business'], env).trim().split('\n').at(-1)!;
    ({ db } = openDatabase({ dbPath: env.CALLSHIELD_DB ?? '', databaseUrl: env.DATABASE_URL }));
  });
  after(async () => {
    for (const n of nodes) {
      if (n.proc.signalCode === null && n.proc.exitCode === null) n.proc.kill('SIGCONT');
      await n.stop();
    }
    await db?.destroy();
    await cleanup?.();
  });

  async function screen(node: ServiceNode, caller: string, callee = '+8613800138000', channel = 'pstn'): Promise<string> {
    const r = await post(`${node.url}/v1/screen`, appKey, { caller, callee, channel });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.action;
  }

  it('a node killed right after committing a write does not lose its change-log entry: the other node applies it', async () => {
    const b = await spawnServiceNode(env);
    // Node A dies the hardest way (SIGKILL, no exit handlers) right after the commit of a write that
    // logged a reputation change: the moment the entry used to be written, after the commit.
    const a = await spawnServiceNode({ ...env, CALLSHIELD_TEST_EXIT_AFTER_COMMIT: 'reputation' });
    nodes.push(a, b);
    const caller = '+8613700009911';
    assert.equal(await screen(b, caller), 'allow');
    const exited = new Promise<NodeJS.Signals | null>((resolve) => a.proc.once('exit', (_code, signal) => resolve(signal)));
    const upload = await fetch(`${a.url}/v1/lists`, {
      method: 'POST',
      headers: { authorization: `Bearer ${policeKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'case 99', category: 'fraud', entries: [{ identifier: caller }] }),
    }).then(
      (r) => r.status,
      () => 'no answer',
    );
    assert.equal(upload, 'no answer', 'node A died before it could answer');
    assert.equal(await exited, 'SIGKILL');
    await until('node B never applied the change node A committed before it died', () => screen(b, caller), (action) => action === 'block');
  });

  it('a node away longer than the change log is kept reloads in full, logs it, shows it in /readyz and serves the new state', async () => {
    // A keeps the change log for one second (and prunes it); B keeps the default, so the only
    // pruning is A's, and B never holds SQLite's write lock while it is stopped.
    const a = await spawnServiceNode({ ...env, CALLSHIELD_CHANGE_LOG_RETENTION_SECONDS: '1' });
    const b = await spawnServiceNode(env);
    nodes.push(a, b);
    const callee = '+8613800138555';
    const listed = '+8613700009922';
    const dncNumber = '+8613800137555';
    // B holds a policy set on A, and has loaded the do-not-call registry.
    assert.equal((await post(`${a.url}/v1/subscribers/${encodeURIComponent(callee)}/policy`, appKey, { silenceUnknownVideo: true }, 'PUT')).status, 200);
    await until('node B never saw the policy', () => screen(b, 'stranger@example.com', callee, 'video'), (action) => action === 'silence');
    const scrub = async (node: ServiceNode) => (await post(`${node.url}/v1/dnc/scrub`, businessKey, { purpose: 'marketing', numbers: [dncNumber] })).body.results[0].callable;
    assert.equal(await scrub(b), true);
    const first = (await (await fetch(`${b.url}/readyz`)).json()) as { reloads: number };
    assert.equal(first.reloads, 0);

    b.proc.kill('SIGSTOP');
    try {
      // Meanwhile on A: the policy goes, a police list blocks a caller, the number joins the list.
      const del = await fetch(`${a.url}/v1/subscribers/${encodeURIComponent(callee)}/policy`, { method: 'DELETE', headers: { authorization: `Bearer ${appKey}` } });
      assert.equal(del.status, 200);
      assert.equal((await post(`${a.url}/v1/lists`, policeKey, { name: 'case 100', category: 'fraud', entries: [{ identifier: listed }] })).status, 201);
      assert.equal((await post(`${a.url}/v1/subscribers/${encodeURIComponent(dncNumber)}/policy`, appKey, {}, 'PUT')).status, 200);
      assert.equal((await post(`${a.url}/v1/dnc`, appKey, { number: dncNumber })).status, 201);
      const written = await latestChangeSeq(db);
      // Wait until A's pruning removed every entry B has not applied.
      await until('node A never pruned the change log', () => prunedThrough(db), (p) => p >= written);
    } finally {
      b.proc.kill('SIGCONT');
    }

    const ready = await until('node B never reloaded', async () => (await (await fetch(`${b.url}/readyz`)).json()) as { status: string; reloads: number; lastReloadAt: string; checks: Record<string, string> }, (r) => r.status === 'ok' && r.reloads >= 1);
    assert.equal(ready.checks.changes, 'caught-up');
    assert.ok(Date.parse(ready.lastReloadAt) > 0);
    // The log lines come through a pipe: they may arrive just after the answer.
    await until('the reload is not in the log', async () => b.lines.filter((l) => /reloading every index in full|full reload done/.test(l)).length, (n) => n >= 2);
    assert.equal(await screen(b, listed), 'block', 'the listed caller is blocked on B');
    assert.notEqual(await screen(b, 'stranger@example.com', callee, 'video'), 'silence', 'the deleted policy is gone on B');
    assert.equal(await scrub(b), false, 'the do-not-call registration reached B');
  });
});
