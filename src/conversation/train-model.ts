import { forEachNgram } from './char-ngrams.js';
import { collectMessageFeatures } from './message-features.js';
import { toSparseDoc, trainLogisticRegression } from './logistic-regression.js';
import { MODEL_VERSION } from './model-codec.js';
import { countScripts, detectLang, normaliseText } from './normalise-text.js';
import { assignSplit } from './split.js';
import type { SparseDoc } from './logistic-regression.js';
import type { Conversation } from './parse-dataset.js';
import type { Lang, LangModel, Model } from './types.js';

// Builds the two classifiers (Chinese, English) from labelled conversations. Only rows of the
// training split are used, and never rows whose source is the Switchboard corpus (licence: only for
// measuring false alarms). Each call also contributes its early prefixes, labelled like the whole,
// because the streaming detector scores the conversation so far, not the finished call.

export interface TrainConfig {
  dims: number;
  epochs: number;
  learningRate: number;
  l2: number;
  seed: number;
  ngrams: Record<Lang, [number, number]>;
}

export const DEFAULT_TRAIN_CONFIG: TrainConfig = {
  dims: 1 << 18,
  epochs: 25,
  learningRate: 0.2,
  l2: 1e-6,
  seed: 20230601,
  ngrams: { zh: [1, 3], en: [2, 5] },
};

export function isForbiddenSource(c: Conversation): boolean {
  return /switchboard/i.test(c.id) || /switchboard/i.test(c.category);
}

function docLang(c: Conversation): Lang {
  if (c.lang === 'zh' || c.lang === 'en') return c.lang;
  return detectLang(countScripts(normaliseText(c.turns.map((t) => t.text).join(' '))));
}

function indicesOf(texts: string[], cfg: TrainConfig, lang: Lang): number[] {
  const [nMin, nMax] = cfg.ngrams[lang];
  const out: number[] = [];
  for (const t of texts) forEachNgram(normaliseText(t), nMin, nMax, cfg.dims - 1, (i) => out.push(i));
  return out;
}

// Cut points for prefixes: the first few turns (where early warning is decided) and the middle.
function prefixLengths(n: number): number[] {
  return [...new Set([1, 2, 3, 4, Math.ceil(n / 2), n])].filter((k) => k >= 1 && k <= n).sort((a, b) => a - b);
}

export function buildDocs(conversations: Conversation[], cfg: TrainConfig): Record<Lang, SparseDoc[]> {
  const docs: Record<Lang, SparseDoc[]> = { zh: [], en: [] };
  for (const c of conversations) {
    const lang = docLang(c);
    const label = c.label === 'scam' ? 1 : 0;
    const texts = c.turns.map((t) => t.text).filter((t) => t.trim() !== '');
    if (texts.length === 0) continue;
    if (texts.length === 1) {
      const indices = indicesOf(texts, cfg, lang);
      // Stand-alone messages are scored in message mode, which adds whole-message cues.
      if (c.kind === 'sms') indices.push(...collectMessageFeatures(texts[0] as string, cfg.dims - 1));
      docs[lang].push(toSparseDoc(indices, label));
      // Speech-recognised robocalls often start mid-sentence: also learn from the second half.
      const only = texts[0] as string;
      if (c.kind === 'call' && only.length > 120) {
        const cut = only.indexOf(' ', Math.floor(only.length / 2));
        if (cut > 0) docs[lang].push(toSparseDoc(indicesOf([only.slice(cut + 1)], cfg, lang), label, 0.5));
      }
      continue;
    }
    for (const k of prefixLengths(texts.length)) {
      docs[lang].push(toSparseDoc(indicesOf(texts.slice(0, k), cfg, lang), label, k === texts.length ? 1 : 0.5));
    }
  }
  return docs;
}

export function selectTrainingRows(conversations: Conversation[], keep: (c: Conversation) => boolean = () => true): Conversation[] {
  return conversations.filter((c) => !isForbiddenSource(c) && assignSplit(c.id) === 'train' && keep(c));
}

/** Trains on exactly the rows given (callers pick the split), deterministically. */
export function trainModel(rows: Conversation[], cfg: TrainConfig = DEFAULT_TRAIN_CONFIG): Model {
  const docs = buildDocs(rows.filter((c) => !isForbiddenSource(c)), cfg);
  const langs = {} as Record<Lang, LangModel>;
  for (const lang of ['zh', 'en'] as const) {
    const { weights, bias } = trainLogisticRegression(docs[lang], {
      dims: cfg.dims,
      epochs: cfg.epochs,
      learningRate: cfg.learningRate,
      l2: cfg.l2,
      seed: cfg.seed,
    });
    langs[lang] = { ngramMin: cfg.ngrams[lang][0], ngramMax: cfg.ngrams[lang][1], bias, weights };
  }
  return { version: MODEL_VERSION, dims: cfg.dims, langs };
}
