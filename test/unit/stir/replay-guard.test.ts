import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReplayGuard } from '../../../src/stir/replay-guard.js';

test('a token on another call is a replay; on the same call (retransmission, fork) it is not', () => {
  const g = new ReplayGuard();
  assert.equal(g.see('tok', 'call-1', 60_000, 0), 'first');
  assert.equal(g.see('tok', 'call-1', 60_000, 1000), 'same-call');
  assert.equal(g.see('tok', 'call-2', 60_000, 2000), 'replayed');
  // The replay does not take the token over: the first call keeps it.
  assert.equal(g.see('tok', 'call-1', 60_000, 3000), 'same-call');
  assert.equal(g.see('other', 'call-2', 60_000, 3000), 'first');
});

test('entries go when the token is stale, and the count is bounded', () => {
  const g = new ReplayGuard(3);
  g.see('a', 'c1', 10_000, 0);
  g.see('b', 'c2', 20_000, 0);
  assert.equal(g.size, 2);
  g.sweep(15_000);
  assert.equal(g.size, 1, 'a expired');
  assert.equal(g.see('a', 'c9', 70_000, 15_000), 'first', 'a stale token is no replay here (the freshness check refuses it)');
  for (const t of ['c', 'd', 'e', 'f']) g.see(t, 'cx', 100_000, 16_000);
  assert.equal(g.size, 3);
  assert.equal(g.see('b', 'c3', 20_000, 16_000), 'first', 'the oldest went first');
});

test('sightings from other nodes count, but never replace this node\'s own', () => {
  const g = new ReplayGuard();
  g.remember('t', 'far', 60_000, 0);
  assert.equal(g.see('t', 'near', 60_000, 1), 'replayed');
  g.see('u', 'mine', 60_000, 1);
  g.remember('u', 'theirs', 60_000, 2);
  assert.equal(g.see('u', 'mine', 60_000, 3), 'same-call');
  g.remember('old', 'x', 5, 10);
  assert.equal(g.size, 2, 'an already stale sighting is not kept');
});
