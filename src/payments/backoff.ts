/**
 * Delay before the next delivery attempt: base · 2^(attempt−1), capped, with ±20% jitter so that a
 * receiver coming back up is not hit by every queued event in the same instant.
 */
export function retryDelayMs(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  const jitter = 1 + (random() * 0.4 - 0.2);
  return Math.max(1, Math.round(Math.min(maxMs, exp * jitter)));
}
