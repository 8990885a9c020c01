import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectZhMessageFeatures, unmaskDigits, zhCueIndices, zhMessageCues } from '../../../src/conversation/zh-message-features.js';

const MASK = (1 << 18) - 1;

test('masked digits in Chinese text are read back as digits, English and words are left alone', () => {
  assert.equal(unmaskDigits('晚间xxx点跳涨至xxx'), '晚间000点跳涨至000');
  assert.equal(unmaskDigits('x.x折，xG手机，电话xxxxxxxxxxx'), '0.0折，0G手机，电话00000000000');
  assert.equal(unmaskDigits('最近买了xbox，好玩'), '最近买了xbox，好玩');
  assert.equal(unmaskDigits('love you xxx'), 'love you xxx'); // no Chinese: an English sign-off
});

test('each Chinese cue group fires on its own kind of text', () => {
  assert.deepEqual(zhMessageCues('点击 http://t.cn/abc 领取'), { url: 2, gift: 1 }); // "http://" and the domain
  assert.equal(zhMessageCues('详询13812345678')['phone'], 1);
  assert.equal(zhMessageCues('详询xxxxxxxxxxx')['phone'], 1, 'masked mobile number');
  assert.equal(zhMessageCues('热线400-800-1234')['phone'], 1);
  assert.equal(zhMessageCues('发送短信至10690001234')['short'], 1);
  assert.equal(zhMessageCues('致电95588')['short'], 1);
  assert.equal(zhMessageCues('回TD退订')['optout'], 2);
  assert.equal(zhMessageCues('拒收请回复R')['optout'], 2);
  assert.equal(zhMessageCues('【万家超市】周末特价')['sign'], 1);
  assert.equal(zhMessageCues('全场8折，满300减50')['discount'], 2);
  assert.equal(zhMessageCues('只要199元，￥39起')['price'], 3);
  assert.equal(zhMessageCues('名额有限，先到先得')['push'], 2);
  assert.equal(zhMessageCues('尊-敬-的-手-机-用-户')['spaced'], 1);
  assert.equal(zhMessageCues('农行6228480012345678912 王刚')['card'], 1);
  assert.equal(zhMessageCues('工行 6222 0212 3456 7890 123')['card'], 1);
});

test('an ordinary sentence fires none of the ad cues', () => {
  const cues = zhMessageCues('今天下雨了，我在家看书，晚上一起吃饭吧');
  for (const k of ['url', 'phone', 'short', 'optout', 'sign', 'price', 'discount', 'gift', 'push', 'card', 'spaced']) assert.ok(!(k in cues), k);
});

test('cue tokens are deterministic, thermometer-coded and inside the known cue set', () => {
  const t = '【鑫海百货】全场5折，满500送100元，回TD退订，详询13812345678';
  const a = collectZhMessageFeatures(t, MASK);
  assert.deepEqual(a, collectZhMessageFeatures(t, MASK));
  const known = zhCueIndices(MASK);
  for (const i of a) assert.ok(known.has(i), String(i));
  // More discounts add more tokens (up to the cap), not more of the same one.
  const one = collectZhMessageFeatures('全场5折', MASK).length;
  const two = collectZhMessageFeatures('全场5折，特价', MASK).length;
  assert.equal(two, one + 1);
  // The card-and-bank cue needs both.
  assert.ok(collectZhMessageFeatures('农行6228480012345678912', MASK).length > collectZhMessageFeatures('6228480012345678912', MASK).length);
});
