import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodeModel, encodeModel, parseConversations, trainModel } from '../../../src/conversation/index.js';
import type { TrainConfig } from '../../../src/conversation/index.js';
import { assignSplit } from '../../../src/conversation/split.js';

const rows = ['legit-customer-service.jsonl', 'scam-calls.jsonl', 'eval-sample.jsonl'].flatMap((f) =>
  parseConversations(readFileSync(new URL(`./fixtures/${f}`, import.meta.url), 'utf8')),
);
const cfg: TrainConfig = { dims: 1 << 12, epochs: 3, learningRate: 0.2, l2: 1e-6, seed: 7, ngrams: { zh: [1, 3], en: [2, 4] } };

test('training twice on the same rows gives identical weights', () => {
  const a = trainModel(rows, cfg);
  const b = trainModel([...rows], cfg);
  assert.deepEqual(a.langs.zh.weights, b.langs.zh.weights);
  assert.deepEqual(a.langs.en.weights, b.langs.en.weights);
  assert.equal(a.langs.en.bias, b.langs.en.bias);
  assert.equal(JSON.stringify(encodeModel(a, 500)), JSON.stringify(encodeModel(b, 500)));
});

test('a different seed gives different weights (the seed is what fixes them)', () => {
  const a = trainModel(rows, cfg);
  const c = trainModel(rows, { ...cfg, seed: 8 });
  assert.notDeepEqual(a.langs.en.weights, c.langs.en.weights);
});

test('Switchboard rows are never trained on', () => {
  const swb = rows.map((r) => ({ ...r, id: `switchboard#${r.id}` }));
  const m = trainModel(swb, cfg);
  assert.ok(m.langs.en.weights.every((w) => w === 0));
});

test('the quantised model keeps the strongest weights within one step', () => {
  const m = trainModel(rows, cfg);
  const round = decodeModel(JSON.parse(JSON.stringify(encodeModel(m, 100000))));
  const w = m.langs.en.weights;
  const step = Math.max(...Array.from(w, Math.abs)) / 127;
  for (let i = 0; i < w.length; i++) assert.ok(Math.abs((round.langs.en.weights[i] as number) - (w[i] as number)) <= step / 2 + 1e-9);
});

test('the split is stable and roughly 80/20', () => {
  assert.equal(assignSplit('uci-sms#5'), assignSplit('uci-sms#5'));
  let test = 0;
  for (let i = 0; i < 5000; i++) if (assignSplit(`row#${i}`) === 'test') test++;
  assert.ok(test > 900 && test < 1100, String(test));
});
