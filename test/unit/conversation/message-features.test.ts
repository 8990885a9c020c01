import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EN_MESSAGE_FEATURE_OPTIONS, MESSAGE_FEATURE_OPTIONS, collectMessageFeatures, messageWords } from '../../../src/conversation/message-features.js';

const MASK = (1 << 18) - 1;
const none = { ...MESSAGE_FEATURE_OPTIONS, urls: 0, shortCodes: 0, money: 0, ratios: 0 };

test('whole-message cues are deterministic and only depend on the text', () => {
  const t = 'WINNER! Text WIN to 87121 for £1.50/msg. www.win.co.uk';
  assert.deepEqual(collectMessageFeatures(t, MASK), collectMessageFeatures(t, MASK));
});

test('links, short codes and prices each add cues', () => {
  const base = (t: string) => collectMessageFeatures(t, MASK, none).length;
  const only = (t: string, o: Partial<typeof MESSAGE_FEATURE_OPTIONS>) => collectMessageFeatures(t, MASK, { ...none, ...o }).length - base(t);
  assert.equal(only('go to http://bit.ly/x now', { urls: 2 }), 2);
  assert.equal(only('see www.example.co.uk now', { urls: 2 }), 4); // "www." and the domain both count
  assert.equal(only('see you at the station', { urls: 2 }), 0);
  assert.equal(only('text WIN to 87121 now', { shortCodes: 1 }), 2); // a short code and a keyword
  assert.equal(only('text me when you get home', { shortCodes: 1 }), 0);
  assert.equal(only('only £1.50 a week', { money: 2 }), 2);
  assert.equal(only('150p per msg', { money: 1 }), 1);
  assert.equal(only('ok see you later', { money: 2 }), 0);
  assert.equal(only('anything at all', { ratios: 2 }), 4); // capitals and digits buckets, twice each
});

test('message words: links, e-mails, prices, phone numbers and other numbers become tokens', () => {
  assert.deepEqual(messageWords('Visit www.win-now.co.uk/claim or http://x.io/a?b=1 NOW'), ['visit', '_url_', 'or', '_url_', 'now']);
  assert.deepEqual(messageWords('Mail prizes@win.com'), ['mail', '_email_']);
  assert.deepEqual(messageWords('Win £1,000 cash! Only 150p/msg'), ['win', '_money_', 'cash', '!', 'only', '_money_', 'msg']);
  assert.deepEqual(messageWords('call 09061701461 or 0871 246 0324'), ['call', '_phone_', 'or', '_phone_']);
  assert.deepEqual(messageWords('text WIN to 87121 at 7'), ['text', 'win', 'to', '_num5_', 'at', '_num1_']);
  assert.deepEqual(messageWords("I'll be there"), ["i'll", 'be', 'there']);
});

test('word cues are off in the shared options, on in the English message options, and deterministic', () => {
  const t = 'Call 09061701461 to claim your £900 prize';
  assert.equal(MESSAGE_FEATURE_OPTIONS.words, 0);
  assert.equal(EN_MESSAGE_FEATURE_OPTIONS.words, 1);
  const base = collectMessageFeatures(t, MASK, MESSAGE_FEATURE_OPTIONS);
  const withWords = collectMessageFeatures(t, MASK, EN_MESSAGE_FEATURE_OPTIONS);
  // 7 words: 7 unigrams and 6 bigrams, after the shared cues.
  assert.deepEqual(withWords.slice(0, base.length), base);
  assert.equal(withWords.length - base.length, 13);
  assert.deepEqual(withWords, collectMessageFeatures(t, MASK, EN_MESSAGE_FEATURE_OPTIONS));
});
