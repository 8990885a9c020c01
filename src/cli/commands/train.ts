// `callshield train DIR`: reads the labelled conversations in DIR, trains the conversation guard's
// classifiers on the training split and writes the committed model file. Deterministic: same data,
// same file. DIR has no default: the data sets are not part of the repository.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { CallshieldError } from '../../errors.js';
import {
  DEFAULT_MODEL_PATH,
  DEFAULT_TRAIN_CONFIG,
  assignSplit,
  decodeModel,
  encodeModel,
  parseConversations,
  selectTrainingRows,
  trainModel,
} from '../../conversation/index.js';
import { calibrateMessageOffset } from '../../conversation/calibrate-message.js';
import { ZH_MESSAGE_TEXT_FILES, parseTextLines } from '../../conversation/train-model.js';
import type { MessageTexts } from '../../conversation/train-model.js';

// en-calls.jsonl (Switchboard) is deliberately absent: its licence allows measuring false alarms only.
const TRAIN_FILES = ['zh-calls.jsonl', 'en-sms.jsonl', 'en-robocalls.jsonl'];
// zh-sms.jsonl (licence unknown) never trains weights: its train split only sets the Chinese message
// threshold (calibration); its test split is left for measuring.
const CALIBRATION_FILE = 'zh-sms.jsonl';

function readZhTexts(): MessageTexts {
  const read = (files: string[]): string[] => files.flatMap((f) => parseTextLines(readFileSync(join(ZH_MESSAGE_TEXT_FILES.dir, f), 'utf8')));
  return { ordinary: read(ZH_MESSAGE_TEXT_FILES.ordinary), spam: read(ZH_MESSAGE_TEXT_FILES.spam), fraud: read(ZH_MESSAGE_TEXT_FILES.fraud) };
}

/** Every named file's text, or one clear error naming the first path that is not there. */
function readDataFiles(dir: string, files: readonly string[]): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new CallshieldError('CONVERSATION_INVALID_DATASET', `no data directory at ${dir} (${resolve(dir)})`, { field: 'dir' });
  }
  return files.map((f) => {
    const path = join(dir, f);
    try {
      return readFileSync(path, 'utf8');
    } catch (err) {
      throw new CallshieldError('CONVERSATION_INVALID_DATASET', `cannot read ${path}: the data directory must hold ${[...TRAIN_FILES, CALIBRATION_FILE].join(', ')}`, { field: 'dir', cause: err });
    }
  });
}

export function registerTrain(program: Command): void {
  program
    .command('train <dir>')
    .description(`train the conversation guard classifiers on the training split of the labelled data sets in <dir> (${TRAIN_FILES.join(', ')}; ${CALIBRATION_FILE} calibrates only)`)
    .option('--out <file>', 'model file to write', DEFAULT_MODEL_PATH)
    .option('--keep <n>', 'strongest weights kept per language', '60000')
    .option('--calibration-fpr <share>', 'share of ordinary Chinese messages allowed to alert on the calibration split', '0.005')
    .action((dir: string, opts: { out: string; keep: string; calibrationFpr: string }) => {
      const dataTexts = readDataFiles(dir, [...TRAIN_FILES, CALIBRATION_FILE]);
      const calibrationText = dataTexts.pop();
      const trainTexts = dataTexts;
      const rows = trainTexts.flatMap((text) => parseConversations(text));
      const train = selectTrainingRows(rows);
      const texts = readZhTexts();
      const keep = Number(opts.keep);
      const trained = trainModel(train, DEFAULT_TRAIN_CONFIG, texts);
      // Calibrate the model as it will be shipped: pruned and quantised.
      const shipped = decodeModel(JSON.parse(JSON.stringify(encodeModel(trained, keep))));
      const calibrationRows = parseConversations(calibrationText!).filter((c) => assignSplit(c.id) === 'train');
      const cal = calibrateMessageOffset(shipped, 'zh', calibrationRows, Number(opts.calibrationFpr));
      (trained.message?.zh as { offset: number }).offset = cal.offset;
      const encoded = encodeModel(trained, keep, {
        files: TRAIN_FILES,
        rows: train.length,
        split: 'train (80% by id hash, see src/conversation/split.ts)',
        config: DEFAULT_TRAIN_CONFIG,
        message: {
          zh: {
            texts: Object.fromEntries((['ordinary', 'spam', 'fraud'] as const).map((k) => [k, { files: ZH_MESSAGE_TEXT_FILES[k], count: texts[k].length }])),
            calibration: { file: CALIBRATION_FILE, split: 'train', ...cal },
          },
        },
      });
      writeFileSync(opts.out, JSON.stringify(encoded) + '\n');
      process.stdout.write(
        `trained on ${train.length} conversations and ${texts.ordinary.length + texts.spam.length + texts.fraud.length} Chinese texts, wrote ${opts.out}\n` +
          `zh message offset ${cal.offset}: ${cal.fp} of ${cal.legit} ordinary and ${cal.tp} of ${cal.scam} spam calibration messages alert\n`,
      );
    });
}
