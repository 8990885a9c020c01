// `callshield eval-holdout DIR [--json]`: the detection report of docs/conversation.md in one run.
// 1. Per source: the committed model on the test split of each labelled file in DIR (Switchboard,
//    never trained on, whole file), guard and bare n-gram baseline, and pooled per language.
// 2. Leave one group out: robocall campaigns and Chinese scam types held out of training one at a
//    time (src/conversation/holdout.ts), with the held-out models' false alarms on legitimate calls.
// Only aggregate figures are printed: no row of any split is shown.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { CallshieldError } from '../../errors.js';
import { assignSplit, computeMetrics, evaluateConversations, leaveOneGroupOut, loadModel, parseConversations } from '../../conversation/index.js';

import type { Conversation, EvalItem, HoldoutReport, Metrics } from '../../conversation/index.js';


/** File, and which rows of it are measured: the test split, or all rows of a file never trained on. */
const SOURCES: Array<[file: string, rows: 'test' | 'all']> = [
  ['zh-calls.jsonl', 'test'],
  ['en-sms.jsonl', 'test'],
  ['en-robocalls.jsonl', 'test'],
  ['en-calls.jsonl', 'all'],
  ['zh-sms.jsonl', 'test'],
];

interface SourceRow {
  source: string;
  rows: 'test' | 'all';
  guard: Metrics;
  baseline: Metrics;
  firstHalf: number | null;
}

const fmt = (x: number | null): string => (x === null ? '-' : x.toFixed(3));

function readRows(path: string): Conversation[] {
  try {
    return parseConversations(readFileSync(path, 'utf8'));
  } catch (err) {
    if (err instanceof CallshieldError) throw err;
    throw new CallshieldError('CONVERSATION_INVALID_DATASET', `cannot read ${path}`, { field: 'dir', cause: err });
  }
}

function holdoutTable(r: HoldoutReport): string[] {
  const legitNames = Object.keys(r.pooled.legit);
  const lines = [
    `| held out (${r.source === 'robocall' ? 'robocall campaign' : 'zh scam type'}) | left out of training | replayed | caught | recall | alerted in 1st half | ${legitNames.map((n) => `false alarms: ${n}`).join(' | ')} |`,
    `|---|---|---|---|---|---|${legitNames.map(() => '---|').join('')}`,
  ];
  const legitCells = (l: Record<string, Metrics>): string => legitNames.map((n) => `${l[n]?.fp ?? 0}/${l[n]?.legit ?? 0}`).join(' | ');
  for (const g of r.groups) lines.push(`| ${g.group} | ${g.leftOut} | ${g.replayed} | ${g.metrics.tp} | ${fmt(g.metrics.recall)} | ${fmt(g.firstHalf)} | ${legitCells(g.legit)} |`);
  const p = r.pooled;
  lines.push(`| **pooled** | | ${p.metrics.n} | ${p.metrics.tp} | **${fmt(p.metrics.recall)}** | ${fmt(p.firstHalf)} | ${legitNames.map((n) => `${p.legit[n]?.fp}/${p.legit[n]?.legit} (FPR ${fmt(p.legit[n]?.fpr ?? null)})`).join(' | ')} |`);
  return lines;
}

export function registerEvalHoldout(program: Command): void {
  program
    .command('eval-holdout <dir>')
    .description('per-source test-split figures and leave-one-campaign-out results (robocall campaigns, zh scam types) for the conversation guard')
    .option('--json', 'print one JSON object')
    .option('--only <what>', 'sources | robocall | zh | all', 'all')
    .option('--holdout-split <split>', 'which rows of a held-out group are replayed: all | train | test (train: for choosing settings)', 'all')
    .option('--fixtures <file>', 'legitimate customer-service calls for the false-alarm check', 'test/unit/conversation/fixtures/legit-customer-service.jsonl')
    .action((dir: string, opts: { json?: boolean; only: string; holdoutSplit: string; fixtures: string }) => {
      if (!['sources', 'robocall', 'zh', 'all'].includes(opts.only)) throw new CallshieldError('CONVERSATION_INVALID_DATASET', '--only must be sources, robocall, zh or all', { field: 'only' });
      if (!['all', 'train', 'test'].includes(opts.holdoutSplit)) throw new CallshieldError('CONVERSATION_INVALID_DATASET', '--holdout-split must be all, train or test', { field: 'holdout-split' });
      if (!existsSync(dir)) throw new CallshieldError('CONVERSATION_INVALID_DATASET', `no data directory at ${dir}`, { field: 'dir' });
      const model = loadModel();
      const data: Record<string, Conversation[]> = {};
      const file = (name: string): Conversation[] => (data[name] ??= existsSync(join(dir, name)) ? readRows(join(dir, name)) : []);
      const service = existsSync(opts.fixtures) ? readRows(opts.fixtures).filter((c) => c.label === 'legit') : [];
      const out: Record<string, unknown> = {};
      const text: string[] = [];

      if (opts.only === 'all' || opts.only === 'sources') {
        const sources: SourceRow[] = [];
        const byLang: Record<string, { guard: EvalItem[]; baseline: EvalItem[] }> = {};
        for (const [name, which] of SOURCES) {
          const rows = file(name).filter((c) => which === 'all' || assignSplit(c.id) === 'test');
          if (rows.length === 0) continue;
          const g = evaluateConversations(model, rows);
          const b = evaluateConversations(model, rows, 'model-only');
          sources.push({ source: name, rows: which, guard: g.overall, baseline: b.overall, firstHalf: g.earlyWarning.firstHalf });
          for (const [i, it] of g.items.entries()) {
            const k = `${it.lang}/${it.kind === 'sms' ? 'sms' : 'call'}`;
            (byLang[k] ??= { guard: [], baseline: [] }).guard.push(it);
            byLang[k].baseline.push(b.items[i] as EvalItem);
          }
        }
        const langs = Object.fromEntries(Object.entries(byLang).map(([k, v]) => [k, { guard: computeMetrics(v.guard), baseline: computeMetrics(v.baseline) }]));
        out.sources = sources;
        out.byLang = langs;
        text.push('Per source (test split; en-calls: whole file, never trained on):', '', '| source | rows | n | precision | recall | F1 | FPR | alerted in 1st half | baseline recall | baseline F1 | baseline FPR |', '|---|---|---|---|---|---|---|---|---|---|---|');
        for (const s of sources) {
          const m = s.guard;
          text.push(`| ${s.source} | ${s.rows} | ${m.n} | ${fmt(m.precision)} | ${fmt(m.recall)} | ${fmt(m.f1)} | ${fmt(m.fpr)} | ${fmt(s.firstHalf)} | ${fmt(s.baseline.recall)} | ${fmt(s.baseline.f1)} | ${fmt(s.baseline.fpr)} |`);
        }
        text.push('', 'Per language and kind (the rows above pooled):', '', '| language/kind | n | precision | recall | F1 | FPR | baseline F1 | baseline FPR |', '|---|---|---|---|---|---|---|---|');
        for (const [k, v] of Object.entries(langs)) {
          const m = v.guard;
          text.push(`| ${k} | ${m.n} | ${fmt(m.precision)} | ${fmt(m.recall)} | ${fmt(m.f1)} | ${fmt(m.fpr)} | ${fmt(v.baseline.f1)} | ${fmt(v.baseline.fpr)} |`);
        }
        text.push('');
      }
      const split = opts.holdoutSplit as 'all' | 'train' | 'test';
      if (opts.only === 'all' || opts.only === 'robocall') {
        const r = leaveOneGroupOut('robocall', {
          training: [...file('en-sms.jsonl'), ...file('en-robocalls.jsonl')],
          legitSets: { 'en-calls': file('en-calls.jsonl'), 'service (en)': service.filter((c) => c.lang === 'en') },
          base: model,
          evalSplit: split,
        });
        out.robocall = r;
        text.push('Robocall campaigns held out of training one at a time:', '', ...holdoutTable(r), '');
      }
      if (opts.only === 'all' || opts.only === 'zh') {
        const zh = file('zh-calls.jsonl');
        const r = leaveOneGroupOut('zh', {
          training: zh,
          legitSets: { 'zh-calls legit test split': zh.filter((c) => c.label === 'legit' && assignSplit(c.id) === 'test'), 'service (zh)': service.filter((c) => c.lang === 'zh') },
          base: model,
          evalSplit: split,
        });
        out.zh = r;
        text.push('Chinese scam types held out of training one at a time:', '', ...holdoutTable(r), '');
      }
      process.stdout.write(opts.json ? JSON.stringify(out) + '\n' : text.join('\n') + '\n');
    });
}
