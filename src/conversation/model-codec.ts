import { CallshieldError } from '../errors.js';
import type { Lang, LangModel, MessageLangModel, Model } from './types.js';

// The committed model file keeps only the strongest weights, quantised to int8 with one scale per
// language, and the surviving indices delta-encoded as varints: a few hundred kB instead of the
// 8 MB two dense float64 tables would take. Pruning the small weights costs < 0.1 F1 points.

export interface EncodedLangModel {
  ngramMin: number;
  ngramMax: number;
  bias: number;
  scale: number;
  kept: number;
  indices: string;
  values: string;
}

export interface EncodedMessageModel extends EncodedLangModel {
  offset: number;
  /** MessageLangModel.blend; absent in files without a blend. */
  blend?: number;
}

export interface EncodedModel {
  version: number;
  dims: number;
  trainedOn?: Record<string, unknown>;
  langs: { zh: EncodedLangModel; en: EncodedLangModel };
  /** Optional message-mode classifiers (see Model.message); files without them still load. */
  message?: Partial<Record<Lang, EncodedMessageModel>>;
}

export const MODEL_VERSION = 1;

function encodeLangModel(m: LangModel, keep: number): EncodedLangModel {
  const order = Array.from(m.weights.keys())
    .filter((i) => m.weights[i] !== 0)
    .sort((a, b) => Math.abs(m.weights[b] as number) - Math.abs(m.weights[a] as number) || a - b)
    .slice(0, keep)
    .sort((a, b) => a - b);
  const maxAbs = order.reduce((mx, i) => Math.max(mx, Math.abs(m.weights[i] as number)), 0);
  const scale = maxAbs > 0 ? maxAbs / 127 : 1;
  const bytes: number[] = [];
  let prev = 0;
  for (const i of order) {
    let delta = i - prev;
    prev = i;
    while (delta >= 0x80) {
      bytes.push((delta & 0x7f) | 0x80);
      delta >>>= 7;
    }
    bytes.push(delta);
  }
  const values = Int8Array.from(order, (i) => Math.round((m.weights[i] as number) / scale));
  return {
    ngramMin: m.ngramMin,
    ngramMax: m.ngramMax,
    bias: m.bias,
    scale,
    kept: order.length,
    indices: Buffer.from(Uint8Array.from(bytes)).toString('base64'),
    values: Buffer.from(values.buffer).toString('base64'),
  };
}

function decodeLangModel(e: EncodedLangModel, dims: number): LangModel {
  const weights = new Float32Array(dims);
  const idxBytes = Buffer.from(e.indices, 'base64');
  const vals = new Int8Array(Buffer.from(e.values, 'base64'));
  let pos = 0;
  let prev = 0;
  for (let k = 0; k < e.kept; k++) {
    let delta = 0;
    let shift = 0;
    for (;;) {
      const b = idxBytes[pos++];
      if (b === undefined) throw new CallshieldError('CONVERSATION_MODEL_MISSING', 'The model file is truncated');
      delta |= (b & 0x7f) << shift;
      if (b < 0x80) break;
      shift += 7;
    }
    prev += delta;
    weights[prev] = (vals[k] as number) * e.scale;
  }
  return { ngramMin: e.ngramMin, ngramMax: e.ngramMax, bias: e.bias, weights };
}

/** keep: strongest weights kept per call/SMS model; messageKeep: per message model (default keep). */
export function encodeModel(model: Model, keep: number, trainedOn?: Record<string, unknown>, messageKeep: number = keep): EncodedModel {
  const encoded: EncodedModel = {
    version: model.version,
    dims: model.dims,
    ...(trainedOn ? { trainedOn } : {}),
    langs: { zh: encodeLangModel(model.langs.zh, keep), en: encodeLangModel(model.langs.en, keep) },
  };
  if (model.message) {
    const message: Partial<Record<Lang, EncodedMessageModel>> = {};
    for (const lang of ['zh', 'en'] as const) {
      const m = model.message[lang];
      if (m) message[lang] = { ...encodeLangModel(m, messageKeep), offset: m.offset, ...(m.blend ? { blend: m.blend } : {}) };
    }
    encoded.message = message;
  }
  return encoded;
}

export function decodeModel(e: EncodedModel): Model {
  if (e.version !== MODEL_VERSION || !e.langs?.zh || !e.langs?.en || (e.dims & (e.dims - 1)) !== 0) {
    throw new CallshieldError('CONVERSATION_MODEL_MISSING', `Unsupported model file (version ${String(e.version)})`);
  }
  const model: Model = {
    version: e.version,
    dims: e.dims,
    langs: { zh: decodeLangModel(e.langs.zh, e.dims), en: decodeLangModel(e.langs.en, e.dims) },
  };
  if (e.message) {
    const message: Partial<Record<Lang, MessageLangModel>> = {};
    for (const lang of ['zh', 'en'] as const) {
      const m = e.message[lang];
      if (!m) continue;
      if (typeof m.offset !== 'number' || !Number.isFinite(m.offset)) {
        throw new CallshieldError('CONVERSATION_MODEL_MISSING', `The ${lang} message model has no valid offset`);
      }
      if (m.blend !== undefined && (typeof m.blend !== 'number' || !(m.blend >= 0 && m.blend <= 1))) {
        throw new CallshieldError('CONVERSATION_MODEL_MISSING', `The ${lang} message model's blend must be a number from 0 to 1`);
      }
      message[lang] = { ...decodeLangModel(m, e.dims), offset: m.offset, ...(m.blend ? { blend: m.blend } : {}) };
    }
    model.message = message;
  }
  return model;
}
