// Cross-validation of the English SMS path on the TRAINING split only (the test split is never read
// here): k folds of the en-sms training rows, the robocall training rows always in, the model trained
// by trainModel, pruned and quantised as shipped, each held-out message scored by scoreMessage.
// Prints F1 and FPR pooled over every fold and seed, for each English message offset tried.
// --en-message trains the separate English message model (TrainConfig.enMessage: SMS rows only, word
// uni- and bigrams, plain LR) and sweeps its offset; without it, the shipped configuration.
// Usage: node --import tsx bench/support/sms-cv.ts [DATA_DIR, default: the shared-data helper's] [--seeds 11,12,13,14] [--folds 5] [--offsets 1,2,3] [--en-message]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { RISK_PARAMS } from '../../src/conversation/combine-risk.js';
import { decodeModel, encodeModel } from '../../src/conversation/model-codec.js';
import { parseConversations } from '../../src/conversation/parse-dataset.js';
import { scoreMessage } from '../../src/conversation/score-message.js';
import { hashId } from '../../src/conversation/split.js';
import { sharedDataDir } from '../../test/helpers/shared-data.js';
import { DEFAULT_TRAIN_CONFIG, selectTrainingRows, trainModel } from '../../src/conversation/train-model.js';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { seeds: { type: 'string', default: '11,12,13,14' }, folds: { type: 'string', default: '5' }, offsets: { type: 'string', default: '1,1.5,1.75,2,2.25,2.5,3' }, 'en-message': { type: 'boolean', default: false } },
});
const dir = positionals[0] ?? sharedDataDir();
// selectTrainingRows keeps the train split only: no test-split row is ever read into a fold.
const sms = selectTrainingRows(parseConversations(readFileSync(join(dir, 'en-sms.jsonl'), 'utf8')));
const robo = selectTrainingRows(parseConversations(readFileSync(join(dir, 'en-robocalls.jsonl'), 'utf8')));
const folds = Number(values.folds);
const offsets = (values.offsets as string).split(',').map(Number);
const cfg = values['en-message'] ? { ...DEFAULT_TRAIN_CONFIG, enMessage: { nbAlpha: 0, offset: 0 } } : DEFAULT_TRAIN_CONFIG;
const tally = offsets.map(() => ({ tp: 0, fp: 0, fn: 0, tn: 0 }));
for (const seed of (values.seeds as string).split(',')) {
  for (let f = 0; f < folds; f++) {
    const inFold = (id: string) => hashId(`cv${seed}:${id}`) % folds === f;
    const trained = trainModel([...robo, ...sms.filter((c) => !inFold(c.id))], cfg);
    const model = decodeModel(JSON.parse(JSON.stringify(encodeModel(trained, 60000))));
    const held = sms.filter((c) => inFold(c.id));
    offsets.forEach((o, k) => {
      // The English message model's own offset if the model has one, else the shared message offset.
      if (model.message?.en) (model.message.en as { offset: number }).offset = o;
      else RISK_PARAMS.modelOffset.message = o;
      const t = tally[k] as (typeof tally)[number];
      for (const c of held) {
        const scam = scoreMessage(model, c.turns.map((x) => x.text).join(' '), { lang: 'en' }).label === 'scam';
        if (c.label === 'scam') scam ? t.tp++ : t.fn++;
        else scam ? t.fp++ : t.tn++;
      }
    });
  }
}
offsets.forEach((o, k) => {
  const { tp, fp, fn, tn } = tally[k] as (typeof tally)[number];
  const p = tp / (tp + fp);
  const r = tp / (tp + fn);
  console.log(`offset ${o}: F1 ${((2 * p * r) / (p + r)).toFixed(4)} precision ${p.toFixed(4)} recall ${r.toFixed(4)} FPR ${(fp / (fp + tn)).toFixed(4)} (tp ${tp} fp ${fp} fn ${fn} tn ${tn})`);
});
