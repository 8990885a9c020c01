// When a caller's calling pattern becomes evidence (docs/governance.md has the reasoning and the
// measured precision/recall on synthetic data). A person rarely places more than a few calls an
// hour; an autodialler places hundreds, most of them hung up within seconds, often walking through
// a number range. Harassment is the opposite shape: many calls to one or two people.
export const CDR_THRESHOLDS = Object.freeze({
  /** Callers with fewer calls in the file are never flagged. */
  minCalls: 12,
  /** Robocall: at least this many calls in one sliding hour ... */
  robocallPeakHour: 100,
  /** ... with at least this share under 10 seconds. */
  robocallShortShare: 0.5,
  /** Robocall by sequential dialling: this many calls in an hour ... */
  sequentialPeakHour: 40,
  /** ... with at least this share to the number right after (within 10 of) the previous callee. */
  sequentialShare: 0.5,
  /** Harassment: at least this many calls ... */
  harassmentCalls: 12,
  /** ... to at most this many distinct numbers. */
  harassmentMaxDistinct: 2,
  /** ... and unwelcome: at least this share at night, or at most this share answered (a family's many daytime calls are answered). */
  harassmentNightShare: 0.25,
  harassmentMaxAnswerRate: 0.5,
  /** Marketing to the do-not-call list: at least this many calls ... */
  dncCalls: 30,
  /** ... with at least this share of callees on the list. */
  dncShare: 0.2,
  /** A call shorter than this (seconds) counts as "short". */
  shortSeconds: 10,
  /** Night is 22:00-06:00 local time. */
  nightStartHour: 22,
  nightEndHour: 6,
  /** Sequential dialling: the callee is 1..10 above the previous one. */
  sequentialStep: 10,
});

/** The thresholds as numbers; a deployment sets its own through the CALLSHIELD_CDR_* settings. */
export type CdrThresholds = { readonly [K in keyof typeof CDR_THRESHOLDS]: number };
