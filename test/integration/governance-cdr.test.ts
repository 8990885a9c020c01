// Call-pattern analytics: POST /v1/cdr, the import operation behind `callshield import cdr`, the
// generator behind `callshield gen cdr`, and the evidence it leaves.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { importCdrFile } from '../../src/operations/governance/cdr.js';
import { CLI_OPERATOR } from '../../src/operations/actor.js';

let t: TestServer;
before(async () => {
  t = await startTestServer();
});
after(async () => {
  await t?.close();
});

const CLI = fileURLToPath(new URL('../../bin/callshield.js', import.meta.url));
const HEADER = 'caller,callee,start,duration,answered,attestation';
const iso = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}Z`;
const base = Date.now() - 6 * 3_600_000;

function robocallCsv(caller: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${caller},+86139${String(40000000 + i)},${iso(base + i * 12_000)},${i % 10 === 0 ? 25 : 3},${i % 4 === 0 ? 1 : 0},B`);
}

async function count(table: 'governance_patterns' | 'governance_cdr_imports'): Promise<number> {
  return Number((await t.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
}

describe('POST /v1/cdr', () => {
  it('flags a robocaller, reports malformed lines by number and imports the rest', async () => {
    const lines = [HEADER, ...robocallCsv('+8617000000009', 250)];
    lines.splice(3, 0, '+8617000000009,oops,2026-11-01T00:00:00Z,3,0,B');
    lines.splice(10, 0, 'not,a,record');
    const res = await t.call('POST', '/v1/cdr', { role: 'carrier', raw: `${lines.join('\n')}\n`, contentType: 'text/csv' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.rows, 250);
    assert.equal(res.body.malformed, 2);
    assert.deepEqual(res.body.issues.map((i: any) => i.line), [4, 11]);
    assert.match(res.body.issues[0].reason, /^callee/);
    assert.equal(res.body.flagged, 1);
    assert.equal(res.body.flags[0].caller, '+8617000000009');
    assert.equal(res.body.flags[0].category, 'robocall');
    assert.match(res.body.flags[0].origin, /^250 calls in an hour at peak; 250 calls to \d+ distinct numbers, 90% under 10 s, 25% answered, 100% dialled in number order$/);
  });
  it('the flag is reputation evidence (source "pattern") with its reason', async () => {
    const res = await t.call('GET', `/v1/identifiers/${encodeURIComponent('+8617000000009')}`, { role: 'carrier' });
    assert.equal(res.body.category, 'robocall');
    const reason = res.body.reasons.find((r: any) => r.code === 'CALL_PATTERN');
    assert.match(reason.text, /250 calls in an hour/);
    const d = await t.call('POST', '/v1/screen', { role: 'carrier', body: { caller: '+8617000000009', callee: '+8613800138000', channel: 'pstn' } });
    assert.ok(d.body.score > 0);
  });
  it('a CSV whose header lacks columns is refused and nothing is written', async () => {
    const before = [await count('governance_patterns'), await count('governance_cdr_imports')];
    const res = await t.call('POST', '/v1/cdr', { role: 'carrier', raw: 'caller,callee,start\n+8613800138000,+8613900139000,2026-11-01T00:00:00Z\n', contentType: 'text/csv' });
    assert.equal(res.status, 400);
    assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
    assert.equal(res.body.code, 'GOVERNANCE_INVALID_CSV');
    assert.equal(res.body.field, 'body');
    assert.match(res.body.detail, /duration, answered, attestation/);
    assert.deepEqual([await count('governance_patterns'), await count('governance_cdr_imports')], before);
    const json = await t.call('POST', '/v1/cdr', { role: 'carrier', body: { rows: [] } });
    assert.equal(json.status, 415);
    assert.equal((await t.call('POST', '/v1/cdr', { role: 'app', raw: HEADER, contentType: 'text/csv' })).status, 403);
  });
});

describe('import cdr and gen cdr', () => {
  it('imports a file with malformed lines, keeps the rest and stores only the flags', async () => {
    const file = join(t.dir, 'cdr.csv');
    const lines = [HEADER, ...robocallCsv('+8617000000010', 150)];
    lines.push('+8617000000010,+8613900139000,yesterday,3,0,B');
    for (let i = 0; i < 500; i++) lines.push(`+86139${String(50000000 + i)},+8613800138000,${iso(base + i * 1000)},120,1,A`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    const progress: number[] = [];
    const r = await importCdrFile(t.ctx, file, CLI_OPERATOR, { onProgress: (p) => progress.push(p.bytes / p.totalBytes) });
    assert.equal(r.rows, 650);
    assert.deepEqual(r.issues, [{ line: 152, reason: 'start "yesterday" is not an ISO-8601 date-time' }]);
    assert.equal(r.callers, 501);
    assert.deepEqual(r.flags.map((f) => f.caller), ['+8617000000010']);
    assert.equal(progress.at(-1), 1);
    const stored = await t.ctx.db.selectFrom('governance_patterns').select(['identifier', 'features']).where('import_id', '=', r.id).execute();
    assert.equal(stored.length, 1);
    assert.equal(JSON.parse(stored[0]!.features).calls, 150);
  });
  it('the CLI generates the same file for the same seed and evaluates detection against its labels', () => {
    const a = join(t.dir, 'gen-a.csv');
    const b = join(t.dir, 'gen-b.csv');
    for (const out of [a, b]) {
      const g = spawnSync(process.execPath, [CLI, 'gen', 'cdr', '--calls', '20000', '--seed', '5', '--out', out], { encoding: 'utf8' });
      assert.equal(g.status, 0, g.stderr);
    }
    assert.equal(readFileSync(a, 'utf8'), readFileSync(b, 'utf8'));
    const db = join(t.dir, 'cli.db');
    const imp = spawnSync(process.execPath, [CLI, 'import', 'cdr', a, '--db', db, '--evaluate', '--json'], { encoding: 'utf8' });
    assert.equal(imp.status, 0, imp.stderr);
    const r = JSON.parse(imp.stdout);
    assert.equal(r.rows, 20_000);
    assert.equal(r.malformed, 0);
    assert.deepEqual(r.evaluation.map((e: any) => e.label), ['harassment', 'robocall']);
    assert.match(imp.stderr, /importing \[/);
    const bad = spawnSync(process.execPath, [CLI, 'import', 'cdr', join(t.dir, 'missing.csv'), '--db', db], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /GOVERNANCE_INVALID_CSV \(file\)/);
  });
  it('`dnc scrub` streams a file to CSV with the reasons', () => {
    const db = join(t.dir, 'scrub.db');
    const reg = spawnSync(process.execPath, [CLI, 'dnc', 'register', '+8613800138000', '--db', db], { encoding: 'utf8' });
    assert.equal(reg.status, 0, reg.stderr);
    const file = join(t.dir, 'numbers.txt');
    writeFileSync(file, '+8613800138000\r\n138 0013 8001\nbogus\n');
    const out = join(t.dir, 'scrubbed.csv');
    const s = spawnSync(process.execPath, [CLI, 'dnc', 'scrub', file, '--purpose', 'marketing', '--db', db, '--out', out], { encoding: 'utf8' });
    assert.equal(s.status, 0, s.stderr);
    assert.equal(readFileSync(out, 'utf8'), 'number,e164,callable,reasons\n+8613800138000,+8613800138000,0,DNC_REGISTERED\n138 0013 8001,+8613800138001,1,\nbogus,,0,INVALID_NUMBER\n');
    assert.match(s.stderr, /scrubbed 3 numbers .* 1 callable, 2 not \(DNC_REGISTERED 1, INVALID_NUMBER 1\)/);
    const badPurpose = spawnSync(process.execPath, [CLI, 'dnc', 'scrub', file, '--purpose', 'spam', '--db', db], { encoding: 'utf8' });
    assert.equal(badPurpose.status, 2);
    assert.match(badPurpose.stderr, /purpose/);
  });
  it('`dnc scrub` output neutralises formula-leading input and keeps E.164 numbers as they are', () => {
    const db = join(t.dir, 'scrub-inject.db');
    const file = join(t.dir, 'inject.csv');
    writeFileSync(file, 'name,number\nx,+8613800138005\ny,=1+2\nz,@SUM(A1)\nw,-3+cmd\n');
    const out = join(t.dir, 'inject-out.csv');
    const s = spawnSync(process.execPath, [CLI, 'dnc', 'scrub', file, '--purpose', 'research', '--db', db, '--out', out], { encoding: 'utf8' });
    assert.equal(s.status, 0, s.stderr);
    assert.equal(readFileSync(out, 'utf8'), "number,e164,callable,reasons\n+8613800138005,+8613800138005,1,\n'=1+2,,0,INVALID_NUMBER\n'@SUM(A1),,0,INVALID_NUMBER\n'-3+cmd,,0,INVALID_NUMBER\n");
  });
});
