import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nearDuplicateGroups } from '../../../src/conversation/near-duplicates.js';

test('templated copies of one message share a group; different messages do not', () => {
  const texts = [
    'URGENT! You have won a £900 prize. To claim call 09061701461 now. Claim code KL341. Valid 12 hours',
    'see you at the station at 7, bring the umbrella',
    'URGENT! You have won a £2000 prize. To claim call 09061790121 now. Claim code SK355. Valid 12 hours',
    'URGENT! You have won a £1000 cash prize. To claim call 09066612661 now. Claim code ZB21. Valid 12 hours only',
    'ok',
    'OK',
    'did you get the tickets for saturday',
  ];
  const g = nearDuplicateGroups(texts);
  assert.equal(g[0], 0);
  assert.equal(g[2], 0, 'another number and prize: the same template');
  assert.equal(g[3], 0, 'a chain of variants joins one group');
  assert.equal(g[1], 1);
  assert.equal(g[5], 4, 'equal after case and digit folding');
  assert.equal(g[6], 6);
  assert.equal(new Set(g).size, 4);
});

test('the threshold decides: at 1 only identical shingle sets group; the result does not depend on order', () => {
  const texts = ['win a free holiday now call 0800', 'win a free cruise now call 0800', 'WIN a free holiday now call 0900'];
  assert.deepEqual(nearDuplicateGroups(texts, { shingle: 3, threshold: 1 }), [0, 1, 0]);
  const loose = nearDuplicateGroups(texts, { shingle: 3, threshold: 0.2 });
  assert.deepEqual(loose, [0, 0, 0]);
  const reversed = nearDuplicateGroups([...texts].reverse(), { shingle: 3, threshold: 0.2 });
  assert.deepEqual(reversed, [0, 0, 0]);
  assert.deepEqual(nearDuplicateGroups([]), []);
  assert.deepEqual(nearDuplicateGroups(['', '!!!', '']), [0, 0, 0], 'texts without words fold to one empty key');
});
