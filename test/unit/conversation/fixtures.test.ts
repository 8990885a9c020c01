import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { evaluateConversations, loadModel, parseConversations } from '../../../src/conversation/index.js';

// Hand-written stand-ins for the hidden sets: legitimate customer service (agents asking for order
// numbers, names, addresses; customers giving card numbers) and non-robocall scam scripts. Never
// trained on.
const model = loadModel();
const read = (f: string) => parseConversations(readFileSync(new URL(`./fixtures/${f}`, import.meta.url), 'utf8'));

test('legitimate customer-service fixtures are mostly not alerted', () => {
  const r = evaluateConversations(model, read('legit-customer-service.jsonl'));
  assert.ok(r.overall.n >= 40);
  assert.ok((r.overall.fpr ?? 1) <= 0.05, `FPR ${r.overall.fpr}`);
});

test('legitimate fixtures stay quiet with the speakers swapped (customer as caller)', () => {
  const swapped = read('legit-customer-service.jsonl').map((c) => ({
    ...c,
    turns: c.turns.map((t) => ({ ...t, speaker: t.speaker === 'caller' ? ('callee' as const) : ('caller' as const) })),
  }));
  const r = evaluateConversations(model, swapped);
  assert.ok((r.overall.fpr ?? 1) <= 0.05, `FPR ${r.overall.fpr}`);
});

test('scam-script fixtures are alerted, early', () => {
  const r = evaluateConversations(model, read('scam-calls.jsonl'));
  assert.ok((r.overall.recall ?? 0) >= 0.9, `recall ${r.overall.recall}`);
  assert.ok((r.earlyWarning.beforeRequest ?? 0) >= 0.8, JSON.stringify(r.earlyWarning));
});
