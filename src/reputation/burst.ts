// A burst: many reporters that callshield had not seen before, all from one organisation, all
// reporting the same caller within a day. That is what an app inventing reporter references looks
// like; a real scam wave looks like it only from one app at a time and shows in the others too.
// From the BURST_AT-th new reporter on, that organisation's new reporters on that caller are held
// (they do not count) until a regulator accepts or rejects the burst.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A reporter first seen less than this long ago is "new". */
export const BURST_NEW_REPORTER_MS = 7 * DAY;
/** New reporters are counted over this window (and a burst stays open while they keep coming within it). */
export const BURST_WINDOW_MS = DAY;
/** The n-th distinct new reporter from one organisation on one caller within the window starts a burst. */
export const BURST_AT = 7;

export function isNewReporter(firstSeenAt: number, now: number): boolean {
  return now - firstSeenAt < BURST_NEW_REPORTER_MS;
}

/** Does one more new reporter, after `alreadyCounted` distinct new reporters in the window, start a burst? */
export function startsBurst(alreadyCounted: number): boolean {
  return alreadyCounted + 1 >= BURST_AT;
}
