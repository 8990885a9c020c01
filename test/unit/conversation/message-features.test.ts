import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectMessageFeatures, MESSAGE_FEATURE_OPTIONS } from '../../../src/conversation/message-features.js';

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
