import { areaState } from '../../app-context.js';
import type { AppContext } from '../../app-context.js';
import { CallshieldError } from '../../errors.js';
import { RangeBuckets, bucketOf } from '../../reputation/index.js';
import type { HotReputation } from '../../reputation/index.js';
import { rangeAnswer } from '../../screening/index.js';
import type { RangeAnswer } from '../../screening/index.js';

// The SHA-256 buckets of the range look-up follow the reputation index: built from it on first use
// (one hash per identifier in the index, about a second per million), then kept in step by the
// index's watcher, which sees every identifier enter or leave whether the change came from a write
// on this node, the change log or a full re-score.
const rangeSlot = areaState('reputation.range', () => ({ buckets: undefined as RangeBuckets | undefined }));

export function rangeBuckets(ctx: AppContext): RangeBuckets {
  const state = ctx.area(rangeSlot);
  if (!state.buckets) {
    const buckets = new RangeBuckets();
    for (const id of ctx.index.keys()) buckets.add(id);
    ctx.index.watch((id, present) => (present ? buckets.add(id) : buckets.remove(id)));
    state.buckets = buckets;
  }
  return state.buckets;
}

const PREFIX = /^[0-9a-f]{5}$/;

/** GET /v1/lookup/range/{prefix}: every listed identifier of the bucket, padded with decoys (docs/privacy.md). */
export function lookupRange(ctx: AppContext, prefix: string): RangeAnswer {
  if (!PREFIX.test(prefix)) {
    throw new CallshieldError('REQUEST_INVALID_QUERY', 'prefix must be the first 5 lower-case hex characters of SHA-256 of the canonical identifier', { field: 'prefix' });
  }
  const members: [string, HotReputation][] = [];
  for (const id of rangeBuckets(ctx).get(bucketOf(prefix))) {
    const r = ctx.index.get(id);
    if (r) members.push([id, r]);
  }
  // The decoys' seed is keyed with the deployment secret: stable per prefix, unguessable outside.
  return rangeAnswer(prefix, members, ctx.hash(`range-decoys:${prefix}`));
}
