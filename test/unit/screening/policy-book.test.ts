import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PolicyBook } from '../../../src/screening/index.js';
import type { SubscriberPolicy } from '../../../src/screening/index.js';

const policy = (over: Partial<SubscriberPolicy> = {}): SubscriberPolicy => ({
  contacts: new Set(),
  pinnedBusinesses: new Set(),
  silenceUnknownVideo: false,
  guardianMode: false,
  paused: false,
  blockWithheld: false,
  language: 'en',
  ...over,
});

describe('PolicyBook', () => {
  it("keeps each organisation's policy for a subscriber apart", () => {
    const book = new PolicyBook();
    book.set('app-a', 'sub', policy({ guardianMode: true }));
    book.set('app-b', 'sub', policy({ paused: true }));
    assert.equal(book.get('app-a', 'sub')?.guardianMode, true);
    assert.equal(book.get('app-a', 'sub')?.paused, false);
    assert.equal(book.get('app-b', 'sub')?.paused, true);
    assert.equal(book.get('carrier', 'sub'), undefined);
    assert.equal(book.forOrg('carrier'), undefined);
    assert.deepEqual([...book.ofSubscriber('sub')].map(([org]) => org).sort(), ['app-a', 'app-b']);
    assert.equal(book.size, 2);
  });
  it('counts replacements once and forgets an organisation with no policies left', () => {
    const book = new PolicyBook();
    book.set('app-a', 'sub', policy());
    book.set('app-a', 'sub', policy({ paused: true }));
    assert.equal(book.size, 1);
    assert.equal(book.delete('app-b', 'sub'), false);
    assert.equal(book.delete('app-a', 'sub'), true);
    assert.equal(book.size, 0);
    assert.equal(book.forOrg('app-a'), undefined);
    assert.equal(book.has('app-a', 'sub'), false);
  });
});
