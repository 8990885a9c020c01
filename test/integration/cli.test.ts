// The real CLI (`node bin/callshield.js ...`) as a newcomer runs it, on temporary SQLite files.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { BIN, ROOT, cliEnv, runCli } from '../helpers/run-cli.js';

// The FTC complaint file ships in the repository (examples/), so a fresh clone has it.
const COMPLAINTS = 'examples/ftc-dnc-complaints-2021-07-08.csv';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const cli = (args: string[], env: Record<string, string> = {}): Promise<Run> => runCli(args, env, { maxBuffer: 16 * 1024 * 1024 });

/** Asks until `done` holds (5 s at most), for changes that reach a running server through the change log. */
async function waitFor(probe: () => Promise<Response>, done: (r: Response) => boolean): Promise<Response> {
  const started = Date.now();
  for (;;) {
    const r = await probe();
    if (done(r)) return r;
    if (Date.now() - started > 5000) assert.fail(`still ${r.status}`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

function lines(text: string): string[] {
  return text.split('\n').filter((l) => l.trim() !== '');
}

/** Starts `callshield serve --port 0` and resolves with its address once it listens. */
function serve(db: string): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'serve', '--db', db, '--port', '0', '--host', '127.0.0.1'], { cwd: ROOT, env: cliEnv({ LOG_LEVEL: 'warn' }), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve did not start in time; stdout ${out} stderr ${err}`));
    }, 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /callshield listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]! });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code} before listening; stdout ${out} stderr ${err}`));
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

// The CLI works on SQLite files given with --db; the PostgreSQL run of the integration suite
// (CALLSHIELD_TEST_ENGINE=postgres) would only repeat the same runs.
describe('callshield CLI', { skip: process.env.CALLSHIELD_TEST_ENGINE === 'postgres' ? 'the CLI tests use SQLite files' : false }, () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'callshield-cli-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  describe('keys and serve', () => {
    let server: ChildProcess | undefined;
    after(async () => {
      if (server) await stop(server);
    });

    it('keys create prints the key as its last line, and that key works against `serve` on the same file', async () => {
      const db = join(dir, 'keys.db');
      const run = await cli(['keys', 'create', '--org', 'Demo App', '--role', 'app'], { CALLSHIELD_DB: db });
      assert.equal(run.code, 0, run.stderr);
      const out = lines(run.stdout);
      const key = out[out.length - 1]!;
      assert.match(key, /^csk_[A-Za-z0-9_-]{43}$/);
      assert.ok(existsSync(db), 'CALLSHIELD_DB names the file');
      assert.ok(!run.stdout.slice(0, run.stdout.lastIndexOf(key)).includes(key), 'the key is printed once');

      const started = await serve(db);
      server = started.child;
      const me = await fetch(`${started.url}/v1/me`, { headers: { authorization: `Bearer ${key}` } });
      assert.equal(me.status, 200);
      const keyId = /key id ([0-9a-f-]{36})/.exec(run.stdout)?.[1];
      assert.ok(keyId, run.stdout);
      assert.deepEqual(await me.json(), { org: 'Demo App', role: 'app', person: 'system:Demo App', keyId });
      const screened = await fetch(`${started.url}/v1/screen`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ caller: 'scammer@icloud.com', callee: '138 0013 8000', channel: 'video' }),
      });
      assert.equal(screened.status, 200);
      assert.equal(((await screened.json()) as { callerKind: string }).callerKind, 'email');
      const forbidden = await fetch(`${started.url}/v1/orgs`, { headers: { authorization: `Bearer ${key}` } });
      assert.equal(forbidden.status, 403);
      const unknown = await fetch(`${started.url}/v1/me`, { headers: { authorization: `Bearer ${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}` } });
      assert.equal(unknown.status, 401);

      // keys list: what each key is, never the key; the use above is recorded.
      const listed = await cli(['keys', 'list', '--json'], { CALLSHIELD_DB: db });
      assert.equal(listed.code, 0, listed.stderr);
      const view = lines(listed.stdout).map((l) => JSON.parse(l)).find((k) => k.id === keyId);
      assert.equal(view.status, 'active');
      assert.equal(view.prefix, key.slice(0, 8));
      assert.ok(view.lastUsedAt, 'last use recorded');
      assert.ok(!listed.stdout.includes(key), 'the key itself is never listed');

      // keys rotate with no grace: the running server refuses the old key, takes the new one.
      const rotated = await cli(['keys', 'rotate', keyId, '--grace', '0'], { CALLSHIELD_DB: db });
      assert.equal(rotated.code, 0, rotated.stderr);
      const newKey = lines(rotated.stdout).at(-1)!;
      const newKeyId = /key id ([0-9a-f-]{36})/.exec(rotated.stdout)?.[1];
      const meWith = async (k: string) => fetch(`${started.url}/v1/me`, { headers: { authorization: `Bearer ${k}` } });
      const refusedOld = await waitFor(() => meWith(key), (r) => r.status === 401);
      assert.equal(((await refusedOld.json()) as { code: string }).code, 'AUTH_KEY_EXPIRED');
      assert.equal((await meWith(newKey)).status, 200);

      // keys revoke: the running server refuses the key within about a second.
      const revoked = await cli(['keys', 'revoke', newKeyId!, '--reason', 'laptop stolen'], { CALLSHIELD_DB: db });
      assert.equal(revoked.code, 0, revoked.stderr);
      const refusedNew = await waitFor(() => meWith(newKey), (r) => r.status === 401);
      assert.equal(((await refusedNew.json()) as { code: string }).code, 'AUTH_KEY_REVOKED');
      const again = await cli(['keys', 'rotate', newKeyId!], { CALLSHIELD_DB: db });
      assert.equal(again.code, 2);
      assert.match(again.stderr, /REQUEST_CONFLICT \(id\): key .* was revoked/);
      assert.match((await cli(['keys', 'create', '--org', 'X', '--role', 'app', '--expires', 'soon'], { CALLSHIELD_DB: db })).stderr, /AUTH_INVALID_EXPIRY \(expires\)/);
      await stop(server);
      server = undefined;
    });

    it('a bad role exits 2 with one line naming AUTH_INVALID_ROLE, and prints no key', async () => {
      const db = join(dir, 'badrole.db');
      const run = await cli(['keys', 'create', '--org', 'Demo', '--role', 'superuser', '--db', db]);
      assert.equal(run.code, 2);
      assert.equal(lines(run.stderr).length, 1, run.stderr);
      assert.match(run.stderr, /AUTH_INVALID_ROLE/);
      assert.doesNotMatch(run.stdout, /csk_/);
    });
  });

  describe('import, screen, report, audit, migrate on one file', () => {
    let db: string;
    before(() => {
      db = join(dir, 'ftc.db');
    });

    it('import complaints loads about 13,000 FTC complaints', async () => {
      const run = await cli(['import', 'complaints', COMPLAINTS, '--db', db]);
      assert.equal(run.code, 0, run.stderr);
      const m = /imported (\d+) complaints about (\d+) numbers; skipped (\d+)/.exec(run.stdout);
      assert.ok(m, run.stdout);
      const imported = Number(m[1]);
      assert.ok(imported >= 12_500 && imported <= 13_500, `imported ${imported}`);
      assert.ok(Number(m[2]) > 10_000);
      const sqlite = new SQLite(db, { readonly: true });
      try {
        const { n } = sqlite.prepare('select count(*) as n from reports').get() as { n: number };
        assert.equal(n, imported);
      } finally {
        sqlite.close();
      }
    });

    it('screen of the most complained-about number warns (one import is one organisation\'s crowd: warn, never block alone)', async () => {
      const run = await cli(['screen', '+13152328257', '--to', '+12025550143', '--db', db, '--json']);
      assert.equal(run.code, 0, run.stderr);
      const d = JSON.parse(run.stdout) as { action: string; score: number; caller: string; label: string };
      assert.equal(d.action, 'warn');
      assert.equal(d.caller, '+13152328257');
      assert.equal(d.score, 78);
      assert.match(d.label, /42 reports/);
    });

    it('report then screen shows the report counted', async () => {
      const caller = '+12025550199';
      const before = JSON.parse((await cli(['screen', caller, '--to', '+12025550143', '--db', db, '--json'])).stdout) as { score: number; action: string };
      assert.equal(before.score, 0);
      const first = await cli(['report', caller, '--category', 'fraud', '--reporter', 'cli-sub-1', '--claimed', 'IRS', '--db', db]);
      assert.equal(first.code, 0, first.stderr);
      // A reporter first seen just now weighs 0.75 (docs/scoring.md): 100 · (1 − e^(−0.75/4)) = 17.
      assert.match(first.stdout, new RegExp(`on \\${caller}: now score 17`));
      const second = await cli(['report', caller, '--category', 'fraud', '--reporter', 'cli-sub-2', '--db', db]);
      assert.equal(second.code, 0, second.stderr);
      const after = await cli(['screen', caller, '--to', '+12025550143', '--db', db, '--json']);
      const d = JSON.parse(after.stdout) as { score: number; action: string; label: string; reasons: { code: string; text: string }[] };
      assert.ok(d.score > 22, `score ${d.score}`);
      assert.equal(d.action, 'label');
      assert.match(d.label, /2 reports/);
      assert.match(d.label, /poses as IRS/);
      const text = await cli(['screen', caller, '--to', '+12025550143', '--db', db]);
      assert.match(text.stdout, /^LABEL\s+\+12025550199\s+score \d+/);
    });

    it('report refuses a phone number as reporter, exit 2', async () => {
      const run = await cli(['report', '+12025550199', '--category', 'fraud', '--reporter', '+12025550100', '--db', db]);
      assert.equal(run.code, 2);
      assert.match(run.stderr, /REPUTATION_INVALID_REPORTER/);
    });

    it('audit verify exits 0 and prints ok; after tampering it exits 1 and names the entry', async () => {
      const ok = await cli(['audit', 'verify', '--db', db]);
      assert.equal(ok.code, 0, ok.stderr);
      assert.match(ok.stdout, /ok/);
      const json = await cli(['audit', 'verify', '--db', db, '--json']);
      assert.equal(JSON.parse(json.stdout).ok, true);

      const sqlite = new SQLite(db);
      let seq: number;
      try {
        const row = sqlite.prepare("select seq from audit_log where action = 'complaints.import'").get() as { seq: number } | undefined;
        assert.ok(row, 'the import is audited');
        seq = row.seq;
        const r = sqlite.prepare('update audit_log set details = ? where seq = ?').run(JSON.stringify({ imported: 1 }), seq);
        assert.equal(r.changes, 1);
      } finally {
        sqlite.close();
      }
      const broken = await cli(['audit', 'verify', '--db', db]);
      assert.equal(broken.code, 1);
      assert.match(broken.stdout, new RegExp(`REWRITTEN at entry ${seq}\\b`));
      const brokenJson = await cli(['audit', 'verify', '--db', db, '--json']);
      assert.equal(brokenJson.code, 1);
      assert.equal(JSON.parse(brokenJson.stdout).brokenAt.seq, seq);
    });

    it('migrate says up to date on a migrated file, and applies on a new one', async () => {
      const up = await cli(['migrate', '--db', db]);
      assert.equal(up.code, 0, up.stderr);
      assert.match(up.stdout, /up to date/);
      const fresh = await cli(['migrate', '--db', join(dir, 'fresh', 'new.db')]);
      assert.equal(fresh.code, 0, fresh.stderr);
      assert.match(fresh.stdout, /applied 0001-initial/);
    });
  });
});
