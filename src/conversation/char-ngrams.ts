// Hashed character n-grams: no word segmentation needed for Chinese, robust to ASR spelling for
// English. Digits all hash as "0" so phone numbers, amounts and codes generalise across messages.
// The text is padded with spaces so word starts and ends are their own n-grams.

const FNV_OFFSET = 2166136261;
const FNV_PRIME = 16777619;
const ZERO = 48;

function codeAt(text: string, i: number, len: number): number {
  if (i < 0 || i >= len) return 32;
  const c = text.charCodeAt(i);
  return c >= 48 && c <= 57 ? ZERO : c;
}

/** Calls visit(index) for every n-gram (nMin..nMax chars) of the padded text. */
export function forEachNgram(text: string, nMin: number, nMax: number, mask: number, visit: (index: number) => void): void {
  const len = text.length;
  for (let start = -1; start < len; start++) {
    let h = FNV_OFFSET;
    for (let k = 0; k < nMax; k++) {
      const pos = start + k;
      if (pos > len) break;
      h = Math.imul(h ^ codeAt(text, pos, len), FNV_PRIME);
      if (k + 1 >= nMin) visit((h ^ (h >>> 15)) & mask);
    }
  }
}

/** Sum of the weights of every n-gram of the text, and how many there were: O(length). */
export function sumNgramWeights(text: string, nMin: number, nMax: number, weights: Float32Array): { sum: number; count: number } {
  const mask = weights.length - 1;
  const len = text.length;
  let sum = 0;
  let count = 0;
  for (let start = -1; start < len; start++) {
    let h = FNV_OFFSET;
    for (let k = 0; k < nMax; k++) {
      const pos = start + k;
      if (pos > len) break;
      h = Math.imul(h ^ codeAt(text, pos, len), FNV_PRIME);
      if (k + 1 >= nMin) {
        sum += weights[(h ^ (h >>> 15)) & mask] as number;
        count++;
      }
    }
  }
  return { sum, count };
}
