// The README's "Detection quality" table is what the committed model measures. The rows measured on
// the labelled data sets run only where those files are (CI has them beside the checkout; elsewhere
// set CALLSHIELD_DATA_DIR) and say so when they skip; the fixture row runs everywhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { assignSplit, evaluateConversations, loadModel, parseConversations } from '../../../src/conversation/index.js';
import type { Metrics } from '../../../src/conversation/index.js';
import { missingDataMessage, sharedDataPath } from '../../helpers/shared-data.js';

const README = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
const FIXTURE = fileURLToPath(new URL('./fixtures/legit-customer-service.jsonl', import.meta.url));

interface Row {
  n: number;
  precision: string;
  recall: string;
  f1: string;
  fpr: string;
}

/** The README table row whose first cell starts with `label`: n and the four figures as printed. */
function readmeRow(label: string): Row {
  const section = README.slice(README.indexOf('## Detection quality'));
  const line = section.split('\n').find((l) => l.startsWith(`| ${label}`));
  assert.ok(line, `README "Detection quality" has no row starting with "${label}"`);
  const cells = line.split('|').slice(1, -1).map((c) => c.trim());
  const [n, precision, recall, f1, fpr] = cells.slice(-5) as [string, string, string, string, string];
  return { n: Number(n), precision, recall, f1, fpr };
}

const shown = (x: number | null): string => (x === null ? '–' : x.toFixed(3));

// On a set with no scam rows the README prints only the false-positive rate (precision there is
// 0 or undefined, and says nothing).
function measured(m: Metrics): Row {
  const precision = m.scam === 0 ? '–' : shown(m.precision);
  return { n: m.n, precision, recall: shown(m.recall), f1: shown(m.f1), fpr: shown(m.fpr) };
}

const model = loadModel();

function checkRow(label: string, file: string, split: 'all' | 'test'): void {
  const rows = parseConversations(readFileSync(file, 'utf8')).filter((c) => split === 'all' || assignSplit(c.id) === split);
  assert.deepEqual(measured(evaluateConversations(model, rows).overall), readmeRow(label));
}

const DATA_ROWS: Array<[label: string, file: string, split: 'all' | 'test']> = [
  ['zh-calls test split', 'zh-calls.jsonl', 'test'],
  ['en-sms test split', 'en-sms.jsonl', 'test'],
  ['en-robocalls test split', 'en-robocalls.jsonl', 'test'],
  ['en-calls, whole file', 'en-calls.jsonl', 'all'],
];

for (const [label, name, split] of DATA_ROWS) {
  const path = sharedDataPath(name);
  test(`README figures for ${label} are what the model measures`, { skip: path ? false : missingDataMessage(name) }, () => {
    checkRow(label, path!, split);
  });
}

test('README figures for the hand-written customer-service calls are what the model measures', () => {
  checkRow('legitimate customer-service calls and chats', FIXTURE, 'all');
});
