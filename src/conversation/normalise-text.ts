import { convertTradToSimp } from './trad-to-simp.js';
import type { Lang } from './types.js';

// NFKC folds full-width letters, digits and punctuation (common in Chinese input methods and ASR
// output) to their ASCII forms, so "ＣＶＶ" and "６位" match the same rules as "cvv" and "6位".
export function normaliseText(text: string): string {
  return convertTradToSimp(text.normalize('NFKC').toLowerCase()).replace(/\s+/g, ' ').trim();
}

const han = /\p{Script=Han}/gu;
const latin = /[a-z]/g;

/** Characters per script, used to tell the language of an utterance without a language model. */
export function countScripts(text: string): { zh: number; en: number } {
  const zh = text.match(han)?.length ?? 0;
  const en = text.match(latin)?.length ?? 0;
  return { zh, en };
}

// A Han character carries roughly a word, a Latin letter a fifth of one: weigh them so a Chinese
// sentence with a brand name in it ("下载zoom") still counts as Chinese.
export function detectLang(counts: { zh: number; en: number }): Lang {
  return counts.zh * 4 >= counts.en && counts.zh > 0 ? 'zh' : 'en';
}

// Punctuation only a Chinese (or Japanese) input method types: 「」『』【】、。《》〈〉〔〕.
const cjkPunctuation = /[\u3001\u3002\u3008-\u3011\u3014\u3015]/u;

/**
 * The language of a stand-alone message. Any Han character or CJK punctuation makes it Chinese: the
 * English message model learnt from English SMS and robocalls only, so a Chinese text that is
 * mostly a brand name or a link ("「AmazonAurora」") is not its kind of text, while the Chinese
 * message model learnt from Chinese texts full of Latin names and links.
 */
export function detectMessageLang(text: string, counts: { zh: number; en: number }): Lang {
  return counts.zh > 0 || cjkPunctuation.test(text) ? 'zh' : 'en';
}
