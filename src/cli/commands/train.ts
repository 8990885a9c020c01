// `callshield train`: reads the labelled conversations, trains the conversation guard's classifiers
// on the training split and writes the committed model file. Deterministic: same data, same file.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_MODEL_PATH, encodeModel, parseConversations, selectTrainingRows, trainModel, DEFAULT_TRAIN_CONFIG } from '../../conversation/index.js';

// en-calls.jsonl (Switchboard) is deliberately absent: its licence allows measuring false alarms only.
const TRAIN_FILES = ['zh-calls.jsonl', 'en-sms.jsonl', 'en-robocalls.jsonl'];

export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('train the conversation guard classifiers on the training split of shared/data')
    .option('--data <dir>', 'directory holding the labelled .jsonl files', '../shared/data')
    .option('--out <file>', 'model file to write', DEFAULT_MODEL_PATH)
    .option('--keep <n>', 'strongest weights kept per language', '60000')
    .action((opts: { data: string; out: string; keep: string }) => {
      const rows = TRAIN_FILES.flatMap((f) => parseConversations(readFileSync(join(opts.data, f), 'utf8')));
      const train = selectTrainingRows(rows);
      const model = trainModel(train, DEFAULT_TRAIN_CONFIG);
      const encoded = encodeModel(model, Number(opts.keep), {
        files: TRAIN_FILES,
        rows: train.length,
        split: 'train (80% by id hash, see src/conversation/split.ts)',
        config: DEFAULT_TRAIN_CONFIG,
      });
      writeFileSync(opts.out, JSON.stringify(encoded) + '\n');
      process.stdout.write(`trained on ${train.length} conversations, wrote ${opts.out}\n`);
    });
}
