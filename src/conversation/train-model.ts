import { fileURLToPath } from 'node:url';
import { forEachNgram } from './char-ngrams.js';
import { EN_MESSAGE_FEATURE_OPTIONS, collectMessageFeatures } from './message-features.js';
import { ZH_CUE_VALUE, collectZhMessageFeatures, unmaskDigits, zhCueIndices } from './zh-message-features.js';
import { toSparseDoc, toSparseDocWithCues, trainLogisticRegression } from './logistic-regression.js';
import { MODEL_VERSION } from './model-codec.js';
import { countScripts, detectLang, normaliseText } from './normalise-text.js';
import { assignSplit } from './split.js';
import type { SparseDoc } from './logistic-regression.js';
import type { Conversation } from './parse-dataset.js';
import type { Lang, LangModel, MessageLangModel, Model } from './types.js';

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
  /** The Chinese message model (trained only when message texts are given to trainModel). */
  zhMessage: ZhMessageTrainConfig;
  /**
   * Naive-Bayes scaling per language (NBSVM, Wang and Manning 2012): each feature is multiplied by its
   * log-count ratio r = log((p/|p|₁) / (q/|q|₁)) with add-alpha counts of documents holding it, the
   * regression is trained on the scaled features, and r is folded into the stored weights, so the
   * streaming scorer (a running sum of weights) is unchanged. 0 turns it off; else it is alpha.
   */
  nbAlpha?: Partial<Record<Lang, number>>;
  /** The English message model (trained when the rows hold English SMS; see EnMessageTrainConfig). */
  enMessage?: EnMessageTrainConfig;
}

/**
 * The English message model reads single English messages only. It learns from the English SMS rows
 * alone (the robocalls taught the shared model what a call sounds like, not what a text looks like),
 * with the whole-message cues plus normalised word uni- and bigrams (EN_MESSAGE_FEATURE_OPTIONS).
 * With `blend` its logit is averaged with the shared English model's when a message is scored (an
 * ensemble of two views of the text). Its settings and logit offset are fixed by cross-validation on
 * the training split with near-duplicates kept in one fold (bench/support/sms-cv.ts).
 */
export interface EnMessageTrainConfig {
  nbAlpha: number;
  offset: number;
  /** N-grams and words seen in fewer training messages than this get no weight (default 1: all). */
  minDocs?: number;
  /** L2 of this model (default: the shared l2). */
  l2?: number;
  /** Whether the robocall and other call rows are in too (default: SMS only). */
  withCalls?: boolean;
  /** MessageLangModel.blend: share of the shared English model's logit mixed in when scoring. */
  blend?: number;
  /** Character n-gram lengths of this model (default: the shared English model's, cfg.ngrams.en). */
  ngrams?: [number, number];
}

/**
 * The Chinese message model learns "a scam or an ad as one text" against "any other Chinese text".
 * Negatives: every turn of the legitimate calls, and the ordinary texts (written for the project, or
 * from a package with a clear licence; src/conversation/training/README.md). Positives: the caller
 * turns of the scam calls, and the written spam and fraud texts. Weights are per document.
 */
export interface ZhMessageTrainConfig {
  ngrams: [number, number];
  epochs: number;
  l2: number;
  /**
   * N-grams seen in fewer training documents than this get no weight (whole-message cues always do):
   * a rare n-gram only memorises its text, and thousands of small memorised weights are what the
   * shipped file cannot keep (pruning them moved scores more than dropping the common ones).
   */
  minDocs: number;
  /**
   * Weight of one turn of a legitimate call, by speaker (the agent's offers and menus read like an
   * ad when they arrive as a text, the customer's replies like ordinary talk), and of one caller
   * turn of a scam call.
   */
  callTurnWeight: { legitCaller: number; legitCallee: number; scam: number };
  /** Weight of one written ordinary, spam or fraud text. */
  textWeight: { ordinary: number; spam: number; fraud: number };
}

export const DEFAULT_TRAIN_CONFIG: TrainConfig = {
  dims: 1 << 18,
  epochs: 25,
  learningRate: 0.2,
  l2: 1e-6,
  seed: 20230601,
  ngrams: { zh: [1, 3], en: [1, 5] },
  // English only: chosen by 2 × 5-fold cross-validation of the SMS path on the training split (docs/conversation.md).
  nbAlpha: { en: 1 },
  // The English message model, NB-scaled, its logit averaged with the shared model's, offset +1.75:
  // chosen by cross-validation with near-duplicate groups kept in one fold (bench/support/sms-cv.ts;
  // F1 +0.0025 over the shared model alone, better in 13 of 16 fold seeds; docs/conversation.md).
  enMessage: { nbAlpha: 1, offset: 1.75, blend: 0.5 },
  zhMessage: {
    ngrams: [1, 3],
    epochs: 25,
    l2: 1e-6,
    minDocs: 10,
    // 16,000 call turns against a few hundred written texts: the turns are down-weighted so the
    // written texts (the only ordinary prose and the only ads) are heard. Chosen on the calibration
    // part of zh-sms (docs/conversation.md), like the offset.
    callTurnWeight: { legitCaller: 0.1, legitCallee: 0.3, scam: 0.3 },
    textWeight: { ordinary: 3, spam: 5, fraud: 3 },
  },
};

/** Texts that are not conversations, for the message models: one string per message. */
export interface MessageTexts {
  ordinary: string[];
  spam: string[];
  fraud: string[];
}

/** The Chinese message texts shipped with the project (sources and licences in the folder's README). */
export const ZH_MESSAGE_TEXT_FILES: { dir: string } & Record<keyof MessageTexts, string[]> = {
  dir: fileURLToPath(new URL('./training/', import.meta.url)),
  ordinary: ['zh-ordinary.txt', 'jieba-sentences.txt'],
  spam: ['zh-spam.txt'],
  fraud: ['zh-fraud.txt'],
};

/**
 * Rows no shipped weight may come from: Switchboard (licence: measuring false alarms only) and the
 * Chinese SMS sample (no licence found: measuring and calibrating only; shared/data/README.md).
 */
export function isForbiddenSource(c: Conversation): boolean {
  return /switchboard/i.test(c.id) || /switchboard/i.test(c.category) || /^zh-sms-/i.test(c.id);
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

/** The English message model's character n-gram lengths: its own, else the shared English model's. */
const enMessageNgrams = (cfg: TrainConfig): [number, number] => cfg.enMessage?.ngrams ?? cfg.ngrams.en;

/** Documents of the English message model: each English SMS of the rows, with the message model's cues. */
export function buildEnMessageDocs(conversations: Conversation[], cfg: TrainConfig): SparseDoc[] {
  const docs: SparseDoc[] = [];
  const own: TrainConfig = { ...cfg, ngrams: { ...cfg.ngrams, en: enMessageNgrams(cfg) } };
  for (const c of conversations) {
    if (isForbiddenSource(c) || c.kind !== 'sms' || docLang(c) !== 'en') continue;
    const texts = c.turns.map((t) => t.text).filter((t) => t.trim() !== '');
    if (texts.length !== 1) continue;
    const indices = indicesOf(texts, own, 'en');
    indices.push(...collectMessageFeatures(texts[0] as string, cfg.dims - 1, EN_MESSAGE_FEATURE_OPTIONS));
    docs.push(toSparseDoc(indices, c.label === 'scam' ? 1 : 0));
  }
  return docs;
}

/**
 * Logistic regression over NB-scaled features when `alpha` > 0 (the ratios folded back into the
 * weights, so the stored table scores raw features), plain otherwise.
 */
function trainNbScaled(docs: Parameters<typeof nbRatios>[0], cfg: TrainConfig, alpha: number): ReturnType<typeof trainLogisticRegression> {
  const r = alpha > 0 ? nbRatios(docs, cfg.dims, alpha) : undefined;
  const { weights, bias } = trainLogisticRegression(r ? scaleDocs(docs, r) : docs, {
    dims: cfg.dims,
    epochs: cfg.epochs,
    learningRate: cfg.learningRate,
    l2: cfg.l2,
    seed: cfg.seed,
  });
  if (r) for (let i = 0; i < weights.length; i++) weights[i] = (weights[i] as number) * (r[i] as number);
  return { weights, bias };
}

/** The English message model, or undefined when the rows hold no English SMS of both labels. */
export function trainEnMessageModel(rows: Conversation[], cfg: TrainConfig = DEFAULT_TRAIN_CONFIG): MessageLangModel | undefined {
  if (!cfg.enMessage) return undefined;
  let docs = buildEnMessageDocs(rows, cfg);
  if (!docs.some((d) => d.label === 1) || !docs.some((d) => d.label === 0)) return undefined;
  if (cfg.enMessage.withCalls) docs = [...docs, ...buildDocs(rows.filter((c) => !isForbiddenSource(c) && c.kind !== 'sms' && docLang(c) === 'en'), cfg).en];
  docs = dropRareFeatures(docs, cfg.enMessage.minDocs ?? 1, new Set());
  const { weights, bias } = trainNbScaled(docs, { ...cfg, l2: cfg.enMessage.l2 ?? cfg.l2 }, cfg.enMessage.nbAlpha);
  const [ngramMin, ngramMax] = enMessageNgrams(cfg);
  const model: MessageLangModel = { ngramMin, ngramMax, bias, weights, offset: cfg.enMessage.offset };
  if (cfg.enMessage.blend) model.blend = cfg.enMessage.blend;
  return model;
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

function zhMessageDoc(raw: string, cfg: TrainConfig, label: 0 | 1, weight: number): SparseDoc {
  const text = unmaskDigits(raw);
  const [nMin, nMax] = cfg.zhMessage.ngrams;
  const ngrams: number[] = [];
  forEachNgram(normaliseText(text), nMin, nMax, cfg.dims - 1, (i) => ngrams.push(i));
  return toSparseDocWithCues(ngrams, collectZhMessageFeatures(text, cfg.dims - 1), ZH_CUE_VALUE, label, weight);
}

/** Documents of the Chinese message model: each one stand-alone text, scored as a message would be. */
export function buildZhMessageDocs(conversations: Conversation[], texts: MessageTexts, cfg: TrainConfig): SparseDoc[] {
  const docs: SparseDoc[] = [];
  const w = cfg.zhMessage;
  for (const c of conversations) {
    // Conversations only (calls, chats): the message model's single texts are the written ones.
    if (isForbiddenSource(c) || docLang(c) !== 'zh' || c.kind === 'sms') continue;
    for (const t of c.turns) {
      if (t.text.trim() === '') continue;
      // A victim's reply in a scam call is ordinary talk, but it repeats the script ("转到安全账户？"):
      // it teaches neither class, so it is left out.
      if (c.label === 'scam' && t.speaker !== 'caller') continue;
      const label = c.label === 'scam' ? 1 : 0;
      const weight = label ? w.callTurnWeight.scam : t.speaker === 'caller' ? w.callTurnWeight.legitCaller : w.callTurnWeight.legitCallee;
      if (weight > 0) docs.push(zhMessageDoc(t.text, cfg, label, weight));
    }
  }
  for (const t of texts.ordinary) docs.push(zhMessageDoc(t, cfg, 0, w.textWeight.ordinary));
  for (const t of texts.spam) docs.push(zhMessageDoc(t, cfg, 1, w.textWeight.spam));
  for (const t of texts.fraud) docs.push(zhMessageDoc(t, cfg, 1, w.textWeight.fraud));
  return docs;
}

/** Removes the features found in fewer than minDocs documents, except the ones in keep. */
export function dropRareFeatures(docs: SparseDoc[], minDocs: number, keep: Set<number>): SparseDoc[] {
  if (minDocs <= 1) return docs;
  const df = new Map<number, number>();
  for (const d of docs) for (const i of d.indices) df.set(i, (df.get(i) ?? 0) + 1);
  return docs.map((d) => {
    const ks: number[] = [];
    for (let k = 0; k < d.indices.length; k++) {
      const i = d.indices[k] as number;
      if ((df.get(i) as number) >= minDocs || keep.has(i)) ks.push(k);
    }
    return { ...d, indices: Int32Array.from(ks, (k) => d.indices[k] as number), values: Float32Array.from(ks, (k) => d.values[k] as number) };
  });
}

export function selectTrainingRows(conversations: Conversation[], keep: (c: Conversation) => boolean = () => true): Conversation[] {
  return conversations.filter((c) => !isForbiddenSource(c) && assignSplit(c.id) === 'train' && keep(c));
}

/**
 * The Chinese message model alone, with offset 0 (calibrate it with calibrateMessageOffset on data
 * it was not trained on).
 */
export function trainZhMessageModel(rows: Conversation[], texts: MessageTexts, cfg: TrainConfig = DEFAULT_TRAIN_CONFIG): MessageLangModel {
  const docs = dropRareFeatures(buildZhMessageDocs(rows, texts, cfg), cfg.zhMessage.minDocs, zhCueIndices(cfg.dims - 1));
  const { weights, bias } = trainLogisticRegression(docs, {
    dims: cfg.dims,
    epochs: cfg.zhMessage.epochs,
    learningRate: cfg.learningRate,
    l2: cfg.zhMessage.l2,
    seed: cfg.seed,
  });
  return { ngramMin: cfg.zhMessage.ngrams[0], ngramMax: cfg.zhMessage.ngrams[1], bias, weights, offset: 0 };
}

/**
 * Trains on exactly the rows given (callers pick the split), deterministically. With zhTexts, also
 * the Chinese message model (offset 0, to be calibrated).
 */
export function trainModel(rows: Conversation[], cfg: TrainConfig = DEFAULT_TRAIN_CONFIG, zhTexts?: MessageTexts): Model {
  const docs = buildDocs(rows.filter((c) => !isForbiddenSource(c)), cfg);
  const langs = {} as Record<Lang, LangModel>;
  for (const lang of ['zh', 'en'] as const) {
    const { weights, bias } = trainNbScaled(docs[lang], cfg, cfg.nbAlpha?.[lang] ?? 0);
    langs[lang] = { ngramMin: cfg.ngrams[lang][0], ngramMax: cfg.ngrams[lang][1], bias, weights };
  }
  const model: Model = { version: MODEL_VERSION, dims: cfg.dims, langs };
  const en = trainEnMessageModel(rows, cfg);
  if (zhTexts || en) model.message = {};
  if (en) (model.message as NonNullable<Model['message']>).en = en;
  if (zhTexts) (model.message as NonNullable<Model['message']>).zh = trainZhMessageModel(rows, zhTexts, cfg);
  return model;
}

/** Naive-Bayes log-count ratios of every feature, from the documents holding it (weighted, add-alpha). */
export function nbRatios(docs: SparseDoc[], dims: number, alpha: number): Float64Array {
  const p = new Float64Array(dims).fill(alpha);
  const q = new Float64Array(dims).fill(alpha);
  for (const d of docs) {
    const t = d.label === 1 ? p : q;
    for (let k = 0; k < d.indices.length; k++) t[d.indices[k] as number] = (t[d.indices[k] as number] as number) + d.weight;
  }
  let sp = 0;
  let sq = 0;
  for (let i = 0; i < dims; i++) {
    sp += p[i] as number;
    sq += q[i] as number;
  }
  const r = new Float64Array(dims);
  for (let i = 0; i < dims; i++) r[i] = Math.log((p[i] as number) / sp) - Math.log((q[i] as number) / sq);
  return r;
}

function scaleDocs(docs: SparseDoc[], r: Float64Array): SparseDoc[] {
  return docs.map((d) => ({ ...d, values: Float32Array.from(d.values, (v, k) => v * (r[d.indices[k] as number] as number)) }));
}

/** One text per line; blank lines and lines starting with # are skipped. */
export function parseTextLines(content: string): string[] {
  return content
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}
