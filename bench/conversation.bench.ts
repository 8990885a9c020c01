// Conversation guard: streaming detector throughput, per-utterance latency and memory per open call
// session, against a baseline in the same run (the bare character n-gram scoring of the same
// utterances, which the detector does as one of its steps). Run alone with
//   node --expose-gc --import tsx bench/conversation.bench.ts
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createCallSession, feedUtterance, loadModel, normaliseText, parseConversations } from '../src/conversation/index.js';
import { sumNgramWeights } from '../src/conversation/char-ngrams.js';
import type { CallSession, Utterance } from '../src/conversation/index.js';
import { missingDataMessage, sharedDataPath } from '../test/helpers/shared-data.js';

const model = loadModel();
const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
// Real transcripts when the labelled data sets are there (beside the checkout as in CI, or at
// CALLSHIELD_DATA_DIR), else the unit fixtures, and it says so.
const DATA = ['zh-calls.jsonl', 'en-calls.jsonl'];
const sources = DATA.flatMap((f) => sharedDataPath(f) ?? []);
const missing = DATA.filter((f) => sharedDataPath(f) === undefined);
if (missing.length > 0) process.stderr.write(`conversation bench: ${missingDataMessage(missing.join(' and '))}; measuring on the unit fixtures instead\n`);
const files = missing.length === 0 ? sources : [here('../test/unit/conversation/fixtures/legit-customer-service.jsonl'), here('../test/unit/conversation/fixtures/scam-calls.jsonl')];
const calls: Utterance[][] = files
  .flatMap((f) => parseConversations(readFileSync(f, 'utf8')))
  .map((c) => c.turns.filter((t) => t.text.trim() !== ''))
  .filter((t) => t.length > 0);
const utterances = calls.reduce((n, c) => n + c.length, 0);
const chars = calls.reduce((n, c) => n + c.reduce((m, u) => m + u.text.length, 0), 0);

function runDetector(latencies?: Float64Array): number {
  let k = 0;
  const t0 = process.hrtime.bigint();
  for (const call of calls) {
    const s = createCallSession();
    for (const u of call) {
      if (latencies) {
        const a = process.hrtime.bigint();
        feedUtterance(model, s, u);
        latencies[k++] = Number(process.hrtime.bigint() - a) / 1e6;
      } else feedUtterance(model, s, u);
    }
  }
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

function runBaseline(): number {
  const lm = model.langs.en;
  let sink = 0;
  const t0 = process.hrtime.bigint();
  for (const call of calls) for (const u of call) sink += sumNgramWeights(normaliseText(u.text), lm.ngramMin, lm.ngramMax, lm.weights).sum;
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (Number.isNaN(sink)) console.log('');
  return s;
}

runDetector();
runBaseline();
const detectorSec = Math.min(runDetector(), runDetector(), runDetector());
const baselineSec = Math.min(runBaseline(), runBaseline(), runBaseline());
const latencies = new Float64Array(utterances);
runDetector(latencies);
latencies.sort();
const pct = (p: number): number => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] as number;

// Memory per open session: 10,000 concurrent calls, a few utterances each, measured after a full GC.
const gc = (globalThis as { gc?: () => void }).gc;
const SESSIONS = 10_000;
const few = calls.slice(0, 50);
gc?.();
const before = process.memoryUsage().heapUsed;
const open: CallSession[] = [];
for (let i = 0; i < SESSIONS; i++) {
  const s = createCallSession();
  const call = few[i % few.length] as Utterance[];
  for (const u of call.slice(0, 4)) feedUtterance(model, s, u);
  open.push(s);
}
gc?.();
const perSession = (process.memoryUsage().heapUsed - before) / SESSIONS;

const uttPerSec = utterances / detectorSec;
const basePerSec = utterances / baselineSec;
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
console.log(`## Conversation guard

${calls.length} conversations, ${utterances.toLocaleString('en-US')} utterances (${Math.round(chars / utterances)} chars on average) from ${missing.length === 0 ? 'shared/data zh-calls + en-calls' : 'the unit fixtures (shared/data not found)'}; one core, node ${process.version}.

| measure | streaming detector | baseline: n-gram scoring only | ratio | target |
|---|---|---|---|---|
| utterances per second | ${fmt(uttPerSec)} | ${fmt(basePerSec)} | ${(uttPerSec / basePerSec).toFixed(2)}× | ≥ 20,000 |
| p50 per utterance | ${(pct(0.5) * 1000).toFixed(1)} µs | | | |
| p99 per utterance | ${(pct(0.99) * 1000).toFixed(1)} µs | | | < 1 ms |
| max per utterance | ${(pct(1) * 1000).toFixed(1)} µs | | | |
| heap per open session (${fmt(SESSIONS)} open, 4 utterances each) | ${gc ? `${fmt(perSession)} bytes` : 'run with --expose-gc'} | | | 10,000 fit easily |
`);
if (open.length !== SESSIONS) process.exitCode = 1;
