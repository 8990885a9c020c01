import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DEFAULT_TRAIN_CONFIG, decodeModel, encodeModel, parseConversations, scoreMessage, trainModel } from '../../../src/conversation/index.js';
import type { TrainConfig } from '../../../src/conversation/index.js';
import { assignSplit } from '../../../src/conversation/split.js';
import { buildZhMessageDocs, dropRareFeatures, parseTextLines } from '../../../src/conversation/train-model.js';
import { zhCueIndices } from '../../../src/conversation/zh-message-features.js';
import { RISK_PARAMS } from '../../../src/conversation/combine-risk.js';

const rows = ['legit-customer-service.jsonl', 'scam-calls.jsonl', 'eval-sample.jsonl'].flatMap((f) =>
  parseConversations(readFileSync(new URL(`./fixtures/${f}`, import.meta.url), 'utf8')),
);
const cfg: TrainConfig = {
  dims: 1 << 12,
  epochs: 3,
  learningRate: 0.2,
  l2: 1e-6,
  seed: 7,
  ngrams: { zh: [1, 3], en: [2, 4] },
  zhMessage: { ...DEFAULT_TRAIN_CONFIG.zhMessage, epochs: 3, minDocs: 2 },
};
const zhTexts = {
  ordinary: ['今天天气不错，我们去公园散步吧', '晚饭吃什么？', '会议改到下午三点了', '市法院公开审理一起合同纠纷案'],
  spam: ['【万家超市】全场8折，满200减30，回T退订', '新盘开售，首付10万起，热线400-800-1234'],
  fraud: ['您的账户异常，请把验证码发给客服', '请立即将资金转入安全账户配合调查'],
};

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

test('rows of the Chinese SMS sample are never trained on', () => {
  const sms = rows.map((r) => ({ ...r, id: `zh-sms-${r.id}` }));
  const m = trainModel(sms, cfg, { ordinary: [], spam: [], fraud: [] });
  assert.ok(m.langs.zh.weights.every((w) => w === 0));
  assert.ok(m.langs.en.weights.every((w) => w === 0));
  assert.ok(m.message?.zh?.weights.every((w) => w === 0));
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

test('the Chinese message model is trained only when texts are given, and deterministically', () => {
  assert.equal(trainModel(rows, cfg).message, undefined);
  const a = trainModel(rows, cfg, zhTexts);
  const b = trainModel([...rows], cfg, { ...zhTexts });
  assert.ok(a.message?.zh && b.message?.zh);
  assert.deepEqual(a.message.zh.weights, b.message.zh.weights);
  assert.equal(a.message.zh.bias, b.message.zh.bias);
  assert.ok(a.message.zh.weights.some((w) => w !== 0));
  // The call models do not depend on the message texts.
  assert.deepEqual(a.langs.zh.weights, trainModel(rows, cfg).langs.zh.weights);
});

test('message documents: legit call turns and written ordinary texts are negatives, scam caller turns and spam positives', () => {
  const docs = buildZhMessageDocs(rows, zhTexts, cfg);
  const zhCalls = rows.filter((c) => c.lang === 'zh' || /\p{Script=Han}/u.test(c.turns[0]?.text ?? ''));
  assert.ok(zhCalls.length > 0);
  const pos = docs.filter((d) => d.label === 1).length;
  const neg = docs.filter((d) => d.label === 0).length;
  assert.ok(pos >= zhTexts.spam.length + zhTexts.fraud.length);
  assert.ok(neg >= zhTexts.ordinary.length);
  // Switchboard rows never become message documents either.
  const swb = buildZhMessageDocs(rows.map((r) => ({ ...r, id: `switchboard#${r.id}` })), { ordinary: [], spam: [], fraud: [] }, cfg);
  assert.equal(swb.length, 0);
});

test('rare n-grams are dropped from message documents, cues never are', () => {
  const docs = buildZhMessageDocs([], zhTexts, cfg);
  const cues = zhCueIndices(cfg.dims - 1);
  const kept = dropRareFeatures(docs, 3, cues);
  let before = 0;
  let after = 0;
  kept.forEach((d, k) => {
    const orig = docs[k]!;
    before += orig.indices.length;
    after += d.indices.length;
    for (const i of orig.indices) if (cues.has(i)) assert.ok(d.indices.includes(i));
  });
  assert.ok(after < before);
  assert.deepEqual(dropRareFeatures(docs, 1, cues), docs);
});

test('a model file with a message model round-trips its offset, and one without still loads', () => {
  const m = trainModel(rows, cfg, zhTexts);
  m.message!.zh!.offset = -1.25;
  const round = decodeModel(JSON.parse(JSON.stringify(encodeModel(m, 100000))));
  assert.equal(round.message?.zh?.offset, -1.25);
  assert.equal(round.message?.zh?.bias, m.message!.zh!.bias);
  const old = JSON.parse(JSON.stringify(encodeModel(trainModel(rows, cfg), 1000)));
  assert.equal(decodeModel(old).message, undefined);
  const bad = JSON.parse(JSON.stringify(encodeModel(m, 1000)));
  delete bad.message.zh.offset;
  assert.throws(() => decodeModel(bad), /offset/);
});

test('text files: one text a line, comments and blank lines skipped', () => {
  assert.deepEqual(parseTextLines('# header\n\n第一行\r\n  第二行  \n#注释\n'), ['第一行', '第二行']);
});

test('the English message model (on by default, blended) is deterministic, SMS-only and reads English messages', () => {
  assert.deepEqual(DEFAULT_TRAIN_CONFIG.enMessage, { nbAlpha: 1, offset: 1.75, blend: 0.5 });
  const withEn: TrainConfig = { ...cfg, enMessage: { nbAlpha: 0, offset: 0.5 } };
  const a = trainModel(rows, withEn);
  const b = trainModel([...rows], withEn);
  assert.ok(a.message?.en && b.message?.en, 'an English message model');
  assert.deepEqual(a.message.en.weights, b.message.en.weights);
  assert.equal(a.message.en.bias, b.message.en.bias);
  assert.equal(a.message.en.offset, 0.5);
  assert.equal(a.message.zh, undefined);
  // The call models do not change.
  assert.deepEqual(a.langs.en.weights, trainModel(rows, cfg).langs.en.weights);
  // Only English SMS rows teach it: with no SMS there is none.
  assert.equal(trainModel(rows.filter((c) => c.kind !== 'sms'), withEn).message, undefined);
  // It survives the file format, and a Chinese message still goes to the Chinese side.
  const round = decodeModel(JSON.parse(JSON.stringify(encodeModel(a, 1000))));
  assert.equal(round.message?.en?.offset, 0.5);
  const en = scoreMessage(round, 'WINNER!! Claim your £900 prize, call 09061701461 now');
  const shared = scoreMessage({ ...round, message: {} }, 'WINNER!! Claim your £900 prize, call 09061701461 now');
  assert.notEqual(en.risk, shared.risk, 'the English message model scores English messages');
  const zh = scoreMessage(round, '您的账户异常，请把验证码发给客服');
  assert.equal(zh.risk, scoreMessage({ ...round, message: {} }, '您的账户异常，请把验证码发给客服').risk);
});

test('a blended English message model mixes its logit with the shared model’s, and the file keeps the blend', () => {
  const withEn: TrainConfig = { ...cfg, enMessage: { nbAlpha: 1, offset: 0, blend: 0.5 } };
  const m = decodeModel(JSON.parse(JSON.stringify(encodeModel(trainModel(rows, withEn), 1000))));
  assert.equal(m.message?.en?.blend, 0.5);
  const own = { ...m, message: { en: { ...(m.message?.en as NonNullable<NonNullable<typeof m.message>['en']>), blend: 0 } } };
  const logit = (r: number) => Math.log(r / (1 - r));
  for (const text of ['WINNER!! Claim your £900 prize, call 09061701461 now', 'ok see you at 7, bring the keys']) {
    const mixed = logit(scoreMessage(m, text).risk);
    const a = logit(scoreMessage(own, text).risk);
    const b = logit(scoreMessage({ ...m, message: {} }, text).risk);
    assert.notEqual(a, b, 'the two models disagree, so the mix is visible');
    // The rule term is the same in all three, so the mixed logit is the mean of the two (the shared
    // model alone adds the shared message offset; the blended one its own, 0 here).
    const mean = (a + b - RISK_PARAMS.modelOffset.message) / 2;
    assert.ok(Math.abs(mixed - mean) < 1e-9, `${mixed} vs ${mean}`);
  }
  // A Chinese message is untouched by the English blend.
  const zh = '您的账户异常，请把验证码发给客服';
  assert.equal(scoreMessage(m, zh).risk, scoreMessage({ ...m, message: {} }, zh).risk);
  const bad = JSON.parse(JSON.stringify(encodeModel(trainModel(rows, withEn), 1000)));
  for (const blend of [1.5, -0.1, 'half']) {
    bad.message.en.blend = blend;
    assert.throws(() => decodeModel(bad), /blend/);
  }
});

test('the English message model may have n-gram lengths of its own, kept in the file and used to score', () => {
  const own: TrainConfig = { ...cfg, enMessage: { nbAlpha: 1, offset: 0, ngrams: [1, 3] } };
  const a = decodeModel(JSON.parse(JSON.stringify(encodeModel(trainModel(rows, own), 1000))));
  const b = decodeModel(JSON.parse(JSON.stringify(encodeModel(trainModel(rows, { ...cfg, enMessage: { nbAlpha: 1, offset: 0 } }), 1000))));
  assert.deepEqual([a.message?.en?.ngramMin, a.message?.en?.ngramMax], [1, 3]);
  assert.deepEqual([b.message?.en?.ngramMin, b.message?.en?.ngramMax], cfg.ngrams.en, 'by default the shared lengths');
  // The shared call model keeps its own lengths either way.
  assert.deepEqual([a.langs.en.ngramMin, a.langs.en.ngramMax], cfg.ngrams.en);
  const text = 'WINNER!! Claim your £900 prize, call 09061701461 now';
  assert.notEqual(scoreMessage(a, text).risk, scoreMessage(b, text).risk, 'other lengths, other features, another score');
});
