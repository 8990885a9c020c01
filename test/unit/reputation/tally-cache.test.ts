// The tally cache: reports that commit while a caller's tally is being built are added to it, and a
// build overtaken by another change to the caller's evidence is not kept.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CallerTally, TallyCache, scoreEvidence } from '../../../src/reputation/index.js';
import type { Evidence } from '../../../src/reputation/index.js';

const NOW = Date.UTC(2026, 10, 26, 12);
const report = (reporter: string, org = 'app'): Evidence => ({ source: 'crowd', category: 'fraud', at: NOW, reporter, org });

describe('TallyCache', () => {
  it('adds the reports queued during a build, and counts one the build already read once', async () => {
    const cache = new TallyCache();
    const stored = [report('a'), report('b')];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const build = cache.startBuild('+1', async () => {
      await gate;
      const t = new CallerTally(undefined, NOW);
      for (const e of stored) t.add(e, NOW);
      return t;
    }, () => NOW);
    // c committed after the read; b was read and is queued too (it committed before the read began).
    cache.building('+1')!.pending.push(report('c'), stored[1]!);
    release();
    await build.done;
    assert.equal(cache.building('+1'), undefined);
    assert.deepEqual(cache.get('+1')!.score(NOW), scoreEvidence([...stored, report('c')], NOW));
  });

  it('does not keep a build when the caller\'s evidence changed meanwhile', async () => {
    const cache = new TallyCache();
    const build = cache.startBuild('+2', async () => new CallerTally(undefined, NOW), () => NOW);
    cache.invalidate('+2');
    await build.done;
    assert.equal(cache.get('+2'), undefined);
    const again = cache.startBuild('+3', async () => new CallerTally(undefined, NOW), () => NOW);
    cache.clear();
    await again.done;
    assert.equal(cache.get('+3'), undefined);
  });

  it('drops the least recently used tallies beyond its bound', async () => {
    const cache = new TallyCache(3);
    for (const id of ['x', 'y', 'z']) {
      await cache.startBuild(id, async () => {
        const t = new CallerTally(undefined, NOW);
        t.add(report(`r-${id}`), NOW);
        t.add(report(`s-${id}`), NOW);
        return t;
      }, () => NOW).done;
    }
    assert.equal(cache.get('x'), undefined, 'x was dropped to keep z');
    assert.ok(cache.get('z'));
  });
});
