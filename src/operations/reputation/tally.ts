// A report or "not spam" updates its caller's reputation incrementally (reputation/tally.ts): the
// caller's tally is built from the store once, then each new row is added to it instead of
// re-reading every report of the caller. Anything the tally cannot follow falls back to the full
// recompute, which also stays the hourly check (app-context's re-score).
import type { AppContext } from '../../app-context.js';
import { CallerTally, TallyUnsupported } from '../../reputation/index.js';
import type { Evidence, Reputation } from '../../reputation/index.js';
import { evidenceOf } from './evidence-loader.js';
import { lookupReputation } from './lookup.js';

async function build(ctx: AppContext, caller: string): Promise<CallerTally> {
  // Read with the other callers whose tallies are being built now (evidence-loader.ts).
  const bundle = await evidenceOf(ctx, caller);
  const now = ctx.now();
  const tally = new CallerTally(bundle?.clearance, now);
  for (const e of bundle?.evidence ?? []) tally.add(e, now);
  return tally;
}

/**
 * Call right after the transaction that stored `added` (and the change-log entry, see
 * ownReputationChange) commits; null: the row is held in a burst and does not count. Returns the
 * caller's reputation, now in the hot index.
 */
export async function reputationAfterReport(ctx: AppContext, caller: string, added: Evidence | null): Promise<Reputation> {
  let reputation: Reputation | undefined;
  const tally = ctx.tallies.get(caller);
  if (tally) {
    try {
      if (added) {
        tally.add(added, ctx.now());
        ctx.tallies.grew(1);
      }
      reputation = tally.score(ctx.now());
    } catch (err) {
      if (!(err instanceof TallyUnsupported)) throw err;
      ctx.tallies.invalidate(caller);
    }
  } else {
    // The build reads after this row committed, so it sees the row; a build already under way may
    // not have, and adds the queued row after it (a row it did see is not counted twice).
    let b = ctx.tallies.building(caller);
    if (b) {
      if (added) b.pending.push(added);
    } else {
      b = ctx.tallies.startBuild(caller, () => build(ctx, caller), ctx.now);
    }
    await b.done;
    const built = ctx.tallies.get(caller);
    if (built) {
      try {
        reputation = built.score(ctx.now());
      } catch (err) {
        if (!(err instanceof TallyUnsupported)) throw err;
        ctx.tallies.invalidate(caller);
      }
    }
  }
  reputation ??= await lookupReputation(ctx, caller);
  ctx.index.set(caller, reputation);
  return reputation;
}
