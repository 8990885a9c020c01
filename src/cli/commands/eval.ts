// `callshield eval FILE.jsonl [--json] [--split test]`: replays labelled conversations through the
// streaming detector and prints precision, recall, F1, false-positive rate and early warning.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { CallshieldError } from '../../errors.js';
import { assignSplit, evaluateConversations, loadModel, parseConversations } from '../../conversation/index.js';
import type { EvalReport, Metrics } from '../../conversation/index.js';
import { registerEvalHoldout } from './eval-holdout.js';

function fmt(x: number | null): string {
  return x === null ? '-' : x.toFixed(3);
}

function row(name: string, m: Metrics): string {
  return `| ${name} | ${m.n} | ${m.scam} | ${fmt(m.precision)} | ${fmt(m.recall)} | ${fmt(m.f1)} | ${fmt(m.fpr)} |`;
}

function formatText(r: EvalReport): string {
  const lines = ['| group | n | scam | precision | recall | F1 | FPR |', '|---|---|---|---|---|---|---|', row('overall', r.overall)];
  for (const [k, m] of Object.entries(r.byLang)) lines.push(row(`lang ${k}`, m));
  for (const [k, m] of Object.entries(r.byKind)) lines.push(row(`kind ${k}`, m));
  const e = r.earlyWarning;
  lines.push(
    '',
    `early warning (scam calls: ${e.scamCalls}, with a caller credential/money request found by the stage rules: ${e.withRequest}; others use the midpoint)`,
    `  alerted at or before the first request: ${fmt(e.beforeRequest)}`,
    `  alerted within the first half of the utterances: ${fmt(e.firstHalf)}`,
    `  median utterance index of the first alert: ${e.medianFirstAlertTurn ?? '-'} (median fraction of the call: ${fmt(e.medianFirstAlertFraction)})`,
  );
  return lines.join('\n') + '\n';
}

export function registerEval(program: Command): void {
  program
    .command('eval <file>')
    .description('replay a .jsonl file of labelled conversations through the conversation guard and score it')
    .option('--json', 'print one JSON object')
    .option('--split <split>', 'all | train | test: keep only rows of that id-hash split', 'all')
    .option('--model <file>', 'model file (default: the committed one)')
    .option('--baseline', 'score with the bare n-gram classifier alone (no rules, no gating) for comparison')
    .action((file: string, opts: { json?: boolean; split: string; model?: string; baseline?: boolean }) => {
      if (!['all', 'train', 'test'].includes(opts.split)) {
        throw new CallshieldError('CONVERSATION_INVALID_DATASET', '--split must be all, train or test', { field: 'split' });
      }
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (err) {
        throw new CallshieldError('CONVERSATION_INVALID_DATASET', `cannot read ${file}`, { field: 'file', cause: err });
      }
      const rows = parseConversations(text).filter((c) => opts.split === 'all' || assignSplit(c.id) === opts.split);
      const report = evaluateConversations(loadModel(opts.model), rows, opts.baseline ? 'model-only' : 'guard');
      if (opts.json) {
        const { overall, byLang, byKind, byCategory, earlyWarning, threshold, items } = report;
        const slim = items.map((it) => ({ id: it.id, label: it.label, predicted: it.predicted, risk: it.risk, firstAlertTurn: it.firstAlertTurn }));
        process.stdout.write(JSON.stringify({ overall, byLang, byKind, byCategory, earlyWarning, threshold, items: slim }) + '\n');
      } else process.stdout.write(formatText(report));
    });
  registerEvalHoldout(program);
}
