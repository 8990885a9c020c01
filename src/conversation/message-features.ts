// Whole-message cues for a stand-alone text, which character n-grams cannot see: its length (spam
// packs an offer, a number and terms into one message; "ok, see you at 7" is short), how many words
// are in capitals ("FREE", "URGENT") before normalisation lowers them, and how many long digit runs
// (premium numbers, short codes) it holds. Counts are thermometer-coded: "caps:0", "caps:1", … so
// each extra capital word adds its own weight. Used in message mode only, in training and scoring.

function hashToken(token: string, mask: number): number {
  let h = 2166136261;
  for (let i = 0; i < token.length; i++) h = Math.imul(h ^ token.charCodeAt(i), 16777619);
  return (h ^ (h >>> 15)) & mask;
}

export function collectMessageFeatures(raw: string, mask: number): number[] {
  const out: number[] = [];
  const len = raw.length;
  const bucket = len < 15 ? 0 : len < 30 ? 1 : len < 60 ? 2 : len < 100 ? 3 : len < 140 ? 4 : 5;
  // Three copies so the bucket weighs like a short word's worth of n-grams.
  for (let k = 0; k < 3; k++) out.push(hashToken(`\u0000len:${bucket}`, mask));
  const caps = raw.match(/\b[A-Z]{2,}\b/g)?.length ?? 0;
  for (let k = 0; k < Math.min(caps, 5); k++) out.push(hashToken(`\u0000caps:${k}`, mask));
  const digitRuns = raw.match(/\d{5,}/g)?.length ?? 0;
  for (let k = 0; k < Math.min(digitRuns, 3); k++) out.push(hashToken(`\u0000digits:${k}`, mask));
  return out;
}
