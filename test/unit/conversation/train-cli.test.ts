// `callshield train DIR` as a developer runs it: the data directory is an argument with no default
// (the labelled data sets are not in the repository), and a missing one is a one-line error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeModel } from '../../../src/conversation/index.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const fixture = (f: string) => fileURLToPath(new URL(`./fixtures/${f}`, import.meta.url));

function runCli(...args: string[]) {
  return spawnSync(process.execPath, ['bin/callshield.js', ...args], { cwd: root, encoding: 'utf8' });
}

test('train without a data directory says the argument is missing and writes nothing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'callshield-train-'));
  const out = join(dir, 'model.json');
  const r = runCli('train', '--out', out);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr.split('\n')[0]!, /^error: missing required argument 'dir'$/);
  assert.equal(existsSync(out), false);
});

test('a data directory that is not there is one line naming it, exit code 2, nothing written', () => {
  const dir = mkdtempSync(join(tmpdir(), 'callshield-train-'));
  const out = join(dir, 'model.json');
  const missing = join(dir, 'no-such-data');
  const r = runCli('train', missing, '--out', out);
  assert.equal(r.status, 2);
  assert.equal(r.stderr, `callshield: CONVERSATION_INVALID_DATASET (dir): no data directory at ${missing} (${missing})\n`);
  assert.equal(r.stdout, '');
  assert.equal(existsSync(out), false);
});

test('a data directory without one of the training files names that file, nothing written', () => {
  const dir = mkdtempSync(join(tmpdir(), 'callshield-train-'));
  const out = join(dir, 'model.json');
  copyFileSync(fixture('scam-calls.jsonl'), join(dir, 'zh-calls.jsonl'));
  copyFileSync(fixture('legit-customer-service.jsonl'), join(dir, 'en-sms.jsonl'));
  const r = runCli('train', dir, '--out', out);
  assert.equal(r.status, 2);
  assert.match(r.stderr, new RegExp(`^callshield: CONVERSATION_INVALID_DATASET \\(dir\\): cannot read ${join(dir, 'en-robocalls.jsonl')}: `));
  assert.equal(r.stderr.trimEnd().split('\n').length, 1);
  assert.equal(existsSync(out), false);
});

test('train on a directory holding the training files and the calibration file writes a model that loads', () => {
  const dir = mkdtempSync(join(tmpdir(), 'callshield-train-'));
  const out = join(dir, 'model.json');
  copyFileSync(fixture('scam-calls.jsonl'), join(dir, 'zh-calls.jsonl'));
  copyFileSync(fixture('legit-customer-service.jsonl'), join(dir, 'en-sms.jsonl'));
  copyFileSync(fixture('eval-sample.jsonl'), join(dir, 'en-robocalls.jsonl'));
  copyFileSync(fixture('zh-messages.jsonl'), join(dir, 'zh-sms.jsonl'));
  const r = runCli('train', dir, '--out', out, '--keep', '1000');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^trained on \\d+ conversations and \\d+ Chinese texts, wrote ${out}\\n`));
  const model = decodeModel(JSON.parse(readFileSync(out, 'utf8')));
  assert.ok(model.langs.en.weights.some((w) => w !== 0));
  assert.ok(model.langs.zh.weights.some((w) => w !== 0));
});
