import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCertificateCache } from '../../../src/stir/certificate-cache.js';

const fresh = { maxAgeSeconds: undefined, noStore: false };

test('entries live for max-age, capped by the configured maximum and by notAfter', () => {
  const cache = createCertificateCache<string>({ maxAgeSeconds: 100, defaultAgeSeconds: 10 });
  cache.set('a', 'A', { maxAgeSeconds: 50, noStore: false }, 0);
  cache.set('b', 'B', { maxAgeSeconds: 10_000, noStore: false }, 0);
  cache.set('c', 'C', fresh, 0);
  cache.set('d', 'D', { maxAgeSeconds: 50, noStore: false, notAfter: 5_000 }, 0);
  assert.equal(cache.get('a', 49_999), 'A');
  assert.equal(cache.get('a', 50_000), undefined);
  assert.equal(cache.get('b', 99_999), 'B');
  assert.equal(cache.get('b', 100_000), undefined);
  assert.equal(cache.get('c', 9_999), 'C');
  assert.equal(cache.get('c', 10_000), undefined);
  assert.equal(cache.get('d', 5_000), undefined);
});

test('no-store and max-age=0 are not stored', () => {
  const cache = createCertificateCache<string>();
  assert.equal(cache.set('a', 'A', { maxAgeSeconds: undefined, noStore: true }, 0), false);
  assert.equal(cache.set('b', 'B', { maxAgeSeconds: 0, noStore: false }, 0), false);
  assert.equal(cache.size, 0);
});

test('the least recently used entry goes when the bound is reached', () => {
  const cache = createCertificateCache<number>({ maxEntries: 3 });
  for (const [i, url] of ['a', 'b', 'c'].entries()) cache.set(url, i, fresh, 0);
  cache.get('a', 1);
  cache.set('d', 3, fresh, 1);
  assert.equal(cache.size, 3);
  assert.equal(cache.get('b', 2), undefined);
  assert.equal(cache.get('a', 2), 0);
  assert.equal(cache.get('d', 2), 3);
});
