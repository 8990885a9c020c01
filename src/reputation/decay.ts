import type { EvidenceSource } from './types.js';

const DAY = 86_400_000;

// Half-lives, in days. Crowd reports fade over a month: scam numbers are burnt and recycled within
// weeks, and an honest business that was misreported should not carry it for a year. Call-pattern
// evidence describes behaviour of the last days, so it fades within a week. Partner lists do not
// fade: they carry their own expiry, set by whoever vouches for them.
export const HALF_LIFE_DAYS: Readonly<Record<EvidenceSource, number>> = {
  crowd: 30,
  police: Infinity,
  regulator: Infinity,
  carrier: Infinity,
  bank: Infinity,
  platform: Infinity,
  pattern: 7,
  attestation: 14,
};

/** The factor (0..1) that evidence of this source and age still counts for. */
export function decayFactor(source: EvidenceSource, ageMs: number): number {
  const halfLife = HALF_LIFE_DAYS[source];
  if (halfLife === Infinity || ageMs <= 0) return 1;
  return Math.pow(2, -ageMs / (halfLife * DAY));
}
