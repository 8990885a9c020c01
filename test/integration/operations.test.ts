// Running the service: liveness without the database, readiness (database, change log caught up),
// graceful shutdown that ends event streams, the SQLite sync setting, and `callshield config`.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/store/open-database.js';
import { latestChangeSeq } from '../../src/store/changes.js';
import { BIN, ROOT, cliEnv, runCli } from '../helpers/run-cli.js';


const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, env);

describe('liveness and readiness', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(async () => {
    await t?.close().catch(() => {});
  });

  it('/readyz catches up on the change log before it says ready', async () => {
    await t.ctx.publish('test.kind', ['k1']);
    const latest = await latestChangeSeq(t.ctx.db);
    assert.ok(t.ctx.appliedChangeSeq() < latest, 'the change is not applied yet');
    const res = await t.call('GET', '/readyz');
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.checks, { index: 'loaded', database: 'ok', changes: 'caught-up' });
    assert.ok(t.ctx.appliedChangeSeq() >= latest);
  });

  it('without the database: /livez is 200, /readyz and /healthz are 503 problem documents', async () => {
    assert.equal((await t.call('GET', '/livez')).status, 200);
    await t.ctx.db.destroy();
    const live = await t.call('GET', '/livez');
    assert.equal(live.status, 200);
    assert.deepEqual(live.body, { status: 'ok' });
    const ready = await t.call('GET', '/readyz');
    assert.equal(ready.status, 503);
    assert.match(ready.headers.get('content-type') ?? '', /^application\/problem\+json/);
    assert.equal(ready.body.code, 'STORE_NOT_READY');
    assert.equal(ready.body.checks.database, 'unavailable');
    assert.equal((await t.call('GET', '/healthz')).status, 503);
  });
});

describe('SQLite sync setting', () => {
  it('CALLSHIELD_SQLITE_SYNC picks synchronous=FULL or NORMAL; anything else is refused at start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'callshield-sync-'));
    try {
      for (const [value, expected] of [['full', 2], ['normal', 1], ['', 1]] as const) {
        const config = loadConfig({ CALLSHIELD_SQLITE_SYNC: value }, { dbPath: join(dir, `${value || 'default'}.db`) });
        const { db } = openDatabase(config);
        const r = await sql<{ synchronous: number }>`pragma synchronous`.execute(db);
        assert.equal(r.rows[0]!.synchronous, expected, value);
        await db.destroy();
      }
      assert.throws(() => loadConfig({ CALLSHIELD_SQLITE_SYNC: 'off' }), (e: any) => e.code === 'CONFIG_INVALID' && e.field === 'CALLSHIELD_SQLITE_SYNC');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('callshield config', () => {
  it('prints the effective settings with secrets masked', async () => {
    const run = await cli(['config', '--json'], { DATABASE_URL: 'postgres://callshield:s3cret-pw@db.internal:5432/callshield', CALLSHIELD_SQLITE_SYNC: 'full', PORT: '9090', CALLSHIELD_SECRET_FILE: '/etc/callshield/secret' });
    assert.equal(run.code, 0, run.stderr);
    const c = JSON.parse(run.stdout);
    assert.equal(c.databaseUrl, 'postgres://callshield:***@db.internal:5432/callshield');
    assert.doesNotMatch(run.stdout, /s3cret-pw/);
    assert.equal(c.sqliteSync, 'full');
    assert.equal(c.port, 9090);
    assert.equal(c.shutdownTimeoutMs, 10000);
    const table = await cli(['config'], { CALLSHIELD_REDIS_URL: 'redis://:hunter2@cache:6379' });
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^CALLSHIELD_REDIS_URL\s+redis:\/\/:\*\*\*@cache:6379/m);
    assert.doesNotMatch(table.stdout, /hunter2/);
    assert.match(table.stdout, /^CALLSHIELD_SQLITE_SYNC\s+normal$/m);
    const bad = await cli(['config'], { CALLSHIELD_SQLITE_SYNC: 'sometimes' });
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /CALLSHIELD_SQLITE_SYNC/);
  });
});

describe('graceful shutdown', { skip: process.env.CALLSHIELD_TEST_ENGINE === 'postgres' ? 'the serve test uses a SQLite file' : false }, () => {
  let dir: string;
  let child: ChildProcess | undefined;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'callshield-shutdown-'));
  });
  after(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('SIGTERM ends open event streams with a shutdown event and exits 0', async () => {
    const db = join(dir, 'serve.db');
    const keys = await cli(['keys', 'create', '--org', 'Demo App', '--role', 'app'], { CALLSHIELD_DB: db });
    assert.equal(keys.code, 0, keys.stderr);
    const key = keys.stdout.trim().split('\n').pop()!;
    const proc = spawn(process.execPath, [BIN, 'serve', '--db', db, '--port', '0', '--host', '127.0.0.1'], { cwd: ROOT, env: cliEnv({ LOG_LEVEL: 'warn' }), stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      proc.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /callshield listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      void exited.then((code) => reject(new Error(`serve exited with ${code}`)));
    });
    const auth = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    const callee = '+8613800138000';
    assert.equal((await fetch(`${url}/v1/subscribers/${encodeURIComponent(callee)}/policy`, { method: 'PUT', headers: auth, body: '{}' })).status, 200);
    const start = await fetch(`${url}/v1/calls`, { method: 'POST', headers: auth, body: JSON.stringify({ caller: 'scammer@icloud.com', callee, channel: 'video' }) });
    assert.equal(start.status, 201);
    const { callId } = (await start.json()) as { callId: string };
    const streamText = new Promise<string>((resolve, reject) => {
      const req = httpRequest(`${url}/v1/calls/${callId}/events`, { headers: { authorization: `Bearer ${key}` } }, (res) => {
        assert.equal(res.statusCode, 200);
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('end', () => resolve(text));
      });
      req.on('error', reject).end();
      // Once the stream is open, ask the server to stop.
      req.on('response', () => proc.kill('SIGTERM'));
    });
    const text = await streamText;
    assert.match(text, /event: shutdown\n/);
    assert.equal(await exited, 0);
    child = undefined;
  });
});
