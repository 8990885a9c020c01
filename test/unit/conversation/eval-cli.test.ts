import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const sample = fileURLToPath(new URL('./fixtures/eval-sample.jsonl', import.meta.url));

function runCli(...args: string[]) {
  return spawnSync(process.execPath, ['bin/callshield.js', ...args], { cwd: root, encoding: 'utf8' });
}

test('eval --json prints one object of the documented shape', () => {
  const r = runCli('eval', sample, '--json');
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as Record<string, any>;
  for (const key of ['overall', 'byLang', 'byKind', 'earlyWarning', 'items']) assert.ok(key in out, key);
  for (const key of ['n', 'precision', 'recall', 'f1', 'fpr']) assert.ok(key in out.overall, key);
  assert.equal(out.overall.n, 5);
  assert.deepEqual(Object.keys(out.byKind).sort(), ['call', 'sms']);
  assert.deepEqual(Object.keys(out.byLang).sort(), ['en', 'zh']); // "xx" and missing langs fall back to the script
  assert.equal(out.items.length, 5);
  for (const it of out.items) {
    assert.deepEqual(Object.keys(it).sort(), ['firstAlertTurn', 'id', 'label', 'predicted', 'risk']);
    assert.equal(it.predicted === 'scam', it.firstAlertTurn !== null, it.id);
  }
  const byId = Object.fromEntries(out.items.map((it: any) => [it.id, it]));
  assert.equal(byId.s1.predicted, 'scam');
  assert.equal(byId.s2.predicted, 'scam');
  assert.equal(byId.l1.predicted, 'legit');
  assert.ok(typeof out.earlyWarning.firstHalf === 'number');
});

test('eval without --json prints a table', () => {
  const r = runCli('eval', sample);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /\| overall \| 5 \|/);
  assert.match(r.stdout, /early warning/);
});

test('a malformed line is a clear error naming the line, exit code 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'callshield-eval-'));
  const file = join(dir, 'bad.jsonl');
  writeFileSync(file, '{"id":"a","label":"legit","turns":[{"speaker":"caller","text":"hi"}]}\n\n{"id": "b", "label": \n');
  const r = runCli('eval', file, '--json');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /CONVERSATION_INVALID_DATASET/);
  assert.match(r.stderr, /line 3/);
  assert.equal(r.stdout, '');
});

test('--split test keeps only held-out rows', () => {
  const r = runCli('eval', sample, '--json', '--split', 'test');
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { overall: { n: number } };
  assert.ok(out.overall.n < 5);
});

test('a file that is not there is one line naming it, exit code 2', () => {
  const missing = join(mkdtempSync(join(tmpdir(), 'callshield-eval-')), 'no-such.jsonl');
  const r = runCli('eval', missing, '--json');
  assert.equal(r.status, 2);
  assert.equal(r.stderr, `callshield: CONVERSATION_INVALID_DATASET (file): cannot read ${missing}\n`);
  assert.equal(r.stdout, '');
});

test('eval without a file says the argument is missing', () => {
  const r = runCli('eval', '--json');
  assert.notEqual(r.status, 0);
  assert.match(r.stderr.split('\n')[0]!, /^error: missing required argument 'file'$/);
});
