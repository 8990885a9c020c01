// Whole-message cues for a stand-alone text, which character n-grams cannot see: its length (spam
// packs an offer, a number and terms into one message; "ok, see you at 7" is short), how many words
// are in capitals ("FREE", "URGENT") before normalisation lowers them, how many long digit runs
// (premium numbers) it holds, links, short codes ("text WIN to 87121", "reply STOP"), prices
// ("£1.50", "150p"), and how much of it is capitals or digits. Counts are thermometer-coded:
// "caps:0", "caps:1", … so each extra capital word adds its own weight. Used in message mode only,
// in training and scoring.

/**
 * Which cue groups a message gets, and how many copies of each (a copy weighs like one n-gram).
 * Chosen by 5-fold cross-validation of the whole detector on the training split of en-sms
 * (docs/conversation.md); word n-grams and a spam-word count were tried too and added nothing.
 */
export interface MessageFeatureOptions {
  /** Copies of the length bucket. */
  lenCopies: number;
  /** Links: "www.", "http://", "something.co.uk". */
  urls: number;
  /** Short codes and keywords: "text WIN to 87121", "reply STOP". */
  shortCodes: number;
  /** Prices and amounts: "£1.50", "150p", "$5". */
  money: number;
  /** Share of capitals among letters and of digits among characters, bucketed. */
  ratios: number;
  /** Copies of each word unigram and bigram of the normalised text (messageWords); 0 turns them off. */
  words: number;
}

/** The cues of the shared English model's SMS documents (no words: that model also reads calls). */
export const MESSAGE_FEATURE_OPTIONS: MessageFeatureOptions = { lenCopies: 3, urls: 2, shortCodes: 1, money: 2, ratios: 2, words: 0 };

/** The cues of the English message model (model.message.en): the same, plus word uni- and bigrams. */
export const EN_MESSAGE_FEATURE_OPTIONS: MessageFeatureOptions = { ...MESSAGE_FEATURE_OPTIONS, words: 1 };

/** FNV-1a of a cue token, folded into the hashed feature space like an n-gram. */
export function hashToken(token: string, mask: number): number {
  let h = 2166136261;
  for (let i = 0; i < token.length; i++) h = Math.imul(h ^ token.charCodeAt(i), 16777619);
  return (h ^ (h >>> 15)) & mask;
}

function thermo(out: number[], name: string, count: number, max: number, copies: number, mask: number): void {
  for (let k = 0; k < Math.min(count, max); k++) for (let c = 0; c < copies; c++) out.push(hashToken(`\u0000${name}:${k}`, mask));
}

const URL_RE = /(https?:\/\/|www\.|\b[a-z0-9-]{1,63}\.(com|co\.uk|net|org|tv|biz|info|uk|mobi)\b)/gi;
const SHORT_CODE_RE = /\b(text|txt|send|reply|sms|call)\b[^.!?\n]{0,25}?\b(to|on)\s+\d{4,6}\b/gi;
const KEYWORD_RE = /\b(text|txt|send|reply|sms)\s+(["']?[A-Z]{2,}["']?)(?=\W|$)/g;
const MONEY_RE = /([£$€]\s?\d|\d+\s?(p|ppm|pence|gbp|p\/min|p\/msg)\b|\b\d+(\.\d+)?\s?(pounds|quid)\b)/gi;

export function collectMessageFeatures(raw: string, mask: number, o: MessageFeatureOptions = MESSAGE_FEATURE_OPTIONS): number[] {
  const out: number[] = [];
  const len = raw.length;
  const bucket = len < 15 ? 0 : len < 30 ? 1 : len < 60 ? 2 : len < 100 ? 3 : len < 140 ? 4 : 5;
  // Several copies so the bucket weighs like a short word's worth of n-grams.
  for (let k = 0; k < o.lenCopies; k++) out.push(hashToken(`\u0000len:${bucket}`, mask));
  const caps = raw.match(/\b[A-Z]{2,}\b/g)?.length ?? 0;
  for (let k = 0; k < Math.min(caps, 5); k++) out.push(hashToken(`\u0000caps:${k}`, mask));
  const digitRuns = raw.match(/\d{5,}/g)?.length ?? 0;
  for (let k = 0; k < Math.min(digitRuns, 3); k++) out.push(hashToken(`\u0000digits:${k}`, mask));
  if (o.urls > 0) thermo(out, 'url', raw.match(URL_RE)?.length ?? 0, 2, o.urls, mask);
  if (o.shortCodes > 0) {
    thermo(out, 'short', raw.match(SHORT_CODE_RE)?.length ?? 0, 2, o.shortCodes, mask);
    thermo(out, 'kw', raw.match(KEYWORD_RE)?.length ?? 0, 2, o.shortCodes, mask);
  }
  if (o.money > 0) thermo(out, 'money', raw.match(MONEY_RE)?.length ?? 0, 3, o.money, mask);
  if (o.ratios > 0) {
    const letters = raw.match(/[A-Za-z]/g)?.length ?? 0;
    const upper = raw.match(/[A-Z]/g)?.length ?? 0;
    const digits = raw.match(/\d/g)?.length ?? 0;
    const capRatio = letters > 0 ? upper / letters : 0;
    const digRatio = len > 0 ? digits / len : 0;
    const capB = capRatio < 0.1 ? 0 : capRatio < 0.2 ? 1 : capRatio < 0.35 ? 2 : capRatio < 0.6 ? 3 : 4;
    const digB = digRatio === 0 ? 0 : digRatio < 0.03 ? 1 : digRatio < 0.08 ? 2 : digRatio < 0.15 ? 3 : 4;
    for (let c = 0; c < o.ratios; c++) {
      out.push(hashToken(`\u0000capr:${capB}`, mask));
      out.push(hashToken(`\u0000digr:${digB}`, mask));
    }
  }
  if (o.words > 0) {
    const words = messageWords(raw);
    for (let k = 0; k < words.length; k++) {
      const w = words[k] as string;
      for (let c = 0; c < o.words; c++) out.push(hashToken(`\u0001w:${w}`, mask));
      if (k > 0) for (let c = 0; c < o.words; c++) out.push(hashToken(`\u0001b:${words[k - 1] as string} ${w}`, mask));
    }
  }
  return out;
}

// Replaced before words are cut, most specific first: an e-mail (before its domain reads as a link), a link, a price, a phone number,
// then any other number (by digit count: a 5-digit short code is not a 2-digit time).
const WORD_NORMALISERS: [RegExp, (m: string) => string][] = [
  [/\b[\w.+-]+@[\w-]+\.[\w.]+\b/g, () => ' _email_ '],
  [/(https?:\/\/\S+|www\.\S+|\b[a-z0-9-]{1,63}\.(com|co\.uk|net|org|tv|biz|info|uk|mobi)\b\S*)/gi, () => ' _url_ '],
  [/([£$€]\s?\d[\d,]*(\.\d+)?|\b\d+(\.\d+)?\s?(p|ppm|pence|gbp|p\/min|p\/msg|pounds|quid)\b)/gi, () => ' _money_ '],
  [/(\+?\d[\d\s-]{8,}\d)/g, () => ' _phone_ '],
  [/\d+/g, (m) => ` _num${Math.min(m.length, 5)}_ `],
];

/** The words of a message, lower case, with links, e-mails, prices, phone numbers and numbers as tokens. */
export function messageWords(raw: string): string[] {
  let t = raw;
  for (const [re, to] of WORD_NORMALISERS) t = t.replace(re, to);
  return t.toLowerCase().match(/[a-z_'][a-z0-9_']*|[!?]/g) ?? [];
}
