import type { AmountHistory } from './types.js';

/** How many recent amounts are kept for the median: enough to be stable, small enough to keep in memory per payer. */
export const RECENT_AMOUNTS = 25;

export const EMPTY_HISTORY: AmountHistory = Object.freeze({ count: 0, mean: 0, recent: Object.freeze([]) as readonly number[] });

/** Adds one completed payment: a running mean over all of them, the median over the most recent. */
export function addAmount(history: AmountHistory | undefined, amount: number): AmountHistory {
  const h = history ?? EMPTY_HISTORY;
  const count = h.count + 1;
  const mean = h.mean + (amount - h.mean) / count;
  const recent = [...h.recent, amount].slice(-RECENT_AMOUNTS);
  return { count, mean, recent };
}
