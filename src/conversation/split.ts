// Deterministic train/test split by hashing each row's id: the same row always lands in the same
// split, whatever the file order, and new rows do not reshuffle old ones.
export type Split = 'train' | 'test';
export const TEST_PERCENT = 20;

export function hashId(id: string): number {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  h ^= h >>> 13;
  h = Math.imul(h, 0x5bd1e995);
  return (h ^ (h >>> 15)) >>> 0;
}

export function assignSplit(id: string): Split {
  return hashId(id) % 100 < TEST_PERCENT ? 'test' : 'train';
}

/** A second, independent cut of the training split used to choose settings (never the test split). */
export function isDevRow(id: string): boolean {
  return hashId(`dev:${id}`) % 100 < 25;
}
