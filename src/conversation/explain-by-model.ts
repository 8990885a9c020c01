import { sumNgramWeights } from './char-ngrams.js';
import type { Lang, LangModel } from './types.js';

// Evidence for a model-only verdict: the word (English) or two-character span (Chinese) whose
// n-grams weigh most towards scam. Only run when an alert is raised, so its cost does not matter.
export function explainByModel(lm: LangModel, text: string, lang: Lang): string {
  const tokens = lang === 'zh' ? Array.from({ length: Math.max(0, text.length - 1) }, (_, i) => text.slice(i, i + 2)) : text.split(/[^\p{L}\p{N}£$€&']+/u);
  let best = '';
  let bestScore = -Infinity;
  for (const tok of tokens) {
    if (tok.length < 2) continue;
    const { sum } = sumNgramWeights(tok, lm.ngramMin, lm.ngramMax, lm.weights);
    if (sum > bestScore) {
      bestScore = sum;
      best = tok;
    }
  }
  return best;
}
