// Detection beyond the training data: calls written for this test from campaigns and scam types the
// data sets do not hold (never trained on, never read for rules), the leave-one-group-out machinery on
// a small data set written here, and the `eval-holdout` command that reports both.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assignSplit, evaluateConversations, leaveOneGroupOut, loadModel, parseConversations, robocallCampaign } from '../../../src/conversation/index.js';
import { nbRatios } from '../../../src/conversation/train-model.js';
import { toSparseDoc } from '../../../src/conversation/logistic-regression.js';
import type { Conversation } from '../../../src/conversation/index.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const UNSEEN = fileURLToPath(new URL('../../fixtures/conversation/unseen-campaigns.jsonl', import.meta.url));

test('calls from campaigns the data sets do not hold: every scam alerts on its first utterance, no honest call alerts', () => {
  const rows = parseConversations(readFileSync(UNSEEN, 'utf8'));
  const report = evaluateConversations(loadModel(), rows);
  for (const it of report.items) {
    if (it.label === 'scam') assert.equal(it.firstAlertTurn, 0, `${it.id} should alert at once (risk ${it.risk})`);
    else assert.equal(it.predicted, 'legit', `${it.id} is an honest call (risk ${it.risk})`);
  }
  assert.equal(report.overall.recall, 1);
  assert.equal(report.overall.fpr, 0);
  // Both languages and both labels are there, so the figures above mean something.
  assert.deepEqual(Object.keys(report.byLang).sort(), ['en', 'zh']);
  assert.ok(report.overall.scam >= 8 && report.overall.legit >= 6);
});

test('robocall campaigns are told apart by what the script is about', () => {
  const call = (text: string): Conversation => ({ id: 'x', lang: 'en', kind: 'call', label: 'scam', category: '', turns: [{ speaker: 'caller', text }], line: 1 });
  assert.equal(robocallCampaign(call('your social security number has been suspended, press 1')), 'ssa-legal');
  assert.equal(robocallCampaign(call("we are calling about your vehicle's extended warranty")), 'warranty');
  assert.equal(robocallCampaign(call('an order for an iPhone was placed on your Amazon account')), 'amazon-apple');
  assert.equal(robocallCampaign(call('a message about nothing in particular')), 'other');
});

test('naive-Bayes ratios: a feature only spam holds weighs towards spam, one only ham holds towards ham', () => {
  const docs = [toSparseDoc([1, 2], 1), toSparseDoc([1, 3], 0), toSparseDoc([2], 1)];
  const r = nbRatios(docs, 8, 1);
  assert.ok((r[2] as number) > 0);
  assert.ok((r[3] as number) < 0);
  assert.ok(Math.abs(r[7] as number) < Math.abs(r[2] as number)); // never seen: near 0
});

// A small data set written here: SMS of both classes and robocalls of two campaigns.
function smallData(): Conversation[] {
  const rows: Conversation[] = [];
  const add = (id: string, kind: string, label: 'scam' | 'legit', text: string): void => {
    rows.push({ id, lang: 'en', kind, label, category: kind === 'sms' ? '' : 'robocall', turns: [{ speaker: 'caller', text }], line: rows.length + 1 });
  };
  for (let i = 0; i < 30; i++) {
    add(`sms-h${i}`, 'sms', 'legit', `see you at ${i} tonight, bring the snacks please`);
    add(`sms-s${i}`, 'sms', 'scam', `WINNER! you won a ${i}00 prize, text CLAIM to 8${i}123 now`);
    add(`rc-w${i}`, 'call', 'scam', `this is about your car's extended warranty number ${i}, it is about to expire, press 1 to speak to an agent`);
    add(`rc-s${i}`, 'call', 'scam', `your social security number ${i} has been suspended for suspicious activity, press 1 to talk to an officer`);
  }
  return rows;
}

test('leave one campaign out: each campaign is missing from its model and replayed whole', () => {
  const rows = smallData();
  const base = loadModel();
  const legit = rows.filter((c) => c.label === 'legit').slice(0, 5);
  const r = leaveOneGroupOut('robocall', { training: rows, legitSets: { mine: legit }, base });
  assert.deepEqual(r.groups.map((g) => g.group), ['ssa-legal', 'warranty']);
  for (const g of r.groups) {
    const members = rows.filter((c) => c.kind === 'call' && robocallCampaign(c) === g.group);
    assert.equal(g.replayed, members.length, g.group);
    assert.equal(g.leftOut, members.filter((c) => assignSplit(c.id) === 'train').length, g.group);
    assert.equal(g.legit.mine?.legit, 5);
  }
  assert.equal(r.pooled.metrics.n, 60);
  assert.equal(r.pooled.legit.mine?.legit, 10);
  // Only train-split rows of a held-out group: the replayed count follows.
  const t = leaveOneGroupOut('robocall', { training: rows, legitSets: {}, base, evalSplit: 'test' });
  assert.equal(t.pooled.metrics.n, rows.filter((c) => c.kind === 'call' && assignSplit(c.id) === 'test').length);
});

test('eval-holdout prints per-source and held-out-campaign figures, and --json the same as one object', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-holdout-'));
  const rows = smallData();
  const line = (c: Conversation): string => JSON.stringify({ id: c.id, lang: c.lang, kind: c.kind, label: c.label, category: c.category, turns: c.turns });
  writeFileSync(join(dir, 'en-sms.jsonl'), rows.filter((c) => c.kind === 'sms').map(line).join('\n') + '\n');
  writeFileSync(join(dir, 'en-robocalls.jsonl'), rows.filter((c) => c.kind === 'call').map(line).join('\n') + '\n');
  const run = (...args: string[]) => spawnSync(process.execPath, ['bin/callshield.js', 'eval-holdout', dir, '--only', 'robocall', ...args], { cwd: root, encoding: 'utf8' });
  const text = run();
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /\| warranty \| \d+ \| 30 \|/);
  assert.match(text.stdout, /\*\*pooled\*\*/);
  const json = run('--json');
  assert.equal(json.status, 0, json.stderr);
  const out = JSON.parse(json.stdout) as { robocall: { groups: { group: string }[]; pooled: { metrics: { n: number } } } };
  assert.deepEqual(out.robocall.groups.map((g) => g.group), ['ssa-legal', 'warranty']);
  assert.equal(out.robocall.pooled.metrics.n, 60);
  const bad = spawnSync(process.execPath, ['bin/callshield.js', 'eval-holdout', dir, '--only', 'nope'], { cwd: root, encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /only/);
});
