// `callshield train DIR`: reads the labelled conversations in DIR, trains the conversation guard's
// classifiers on the training split and writes the committed model file. Deterministic: same data,
// same file. DIR has no default: the data sets are not part of the repository.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { CallshieldError } from '../../errors.js';
import { DEFAULT_MODEL_PATH, encodeModel, parseConversations, selectTrainingRows, trainModel, DEFAULT_TRAIN_CONFIG } from '../../conversation/index.js';

// en-calls.jsonl (Switchboard) is deliberately absent: its licence allows measuring false alarms only.
const TRAIN_FILES = ['zh-calls.jsonl', 'en-sms.jsonl', 'en-robocalls.jsonl'];

/** Every training file's text, or one clear error naming the first path that is not there. */
function readTrainingFiles(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new CallshieldError('CONVERSATION_INVALID_DATASET', `no data directory at ${dir} (${resolve(dir)})`, { field: 'dir' });
  }
  return TRAIN_FILES.map((f) => {
    const path = join(dir, f);
    try {
      return readFileSync(path, 'utf8');
    } catch (err) {
      throw new CallshieldError('CONVERSATION_INVALID_DATASET', `cannot read ${path}: the data directory must hold ${TRAIN_FILES.join(', ')}`, { field: 'dir', cause: err });
    }
  });
}

export function registerTrain(program: Command): void {
  program
    .command('train <dir>')
    .description(`train the conversation guard classifiers on the training split of the labelled data sets in <dir> (${TRAIN_FILES.join(', ')})`)
    .option('--out <file>', 'model file to write', DEFAULT_MODEL_PATH)
    .option('--keep <n>', 'strongest weights kept per language', '60000')
    .action((dir: string, opts: { out: string; keep: string }) => {
      const rows = readTrainingFiles(dir).flatMap((text) => parseConversations(text));
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
