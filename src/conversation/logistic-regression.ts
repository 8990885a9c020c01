// Logistic regression over hashed n-gram counts, trained by Adagrad SGD. Small enough to write by
// hand, deterministic (seeded shuffle, fixed epochs) and fast on a few thousand conversations.
// Feature values are counts / sqrt(total n-grams), which the streaming detector reproduces from a
// running sum of weights and a running count, so scoring stays O(new text) per utterance.
import { seededRandom } from '../seeded-random.js';

export interface SparseDoc {
  indices: Int32Array;
  values: Float32Array;
  label: 0 | 1;
  weight: number;
}

export interface TrainOptions {
  dims: number;
  epochs: number;
  learningRate: number;
  l2: number;
  seed: number;
}

/** Count repeated indices and scale them by 1/sqrt(total). */
export function toSparseDoc(rawIndices: number[], label: 0 | 1, weight = 1): SparseDoc {
  const counts = new Map<number, number>();
  for (const i of rawIndices) counts.set(i, (counts.get(i) ?? 0) + 1);
  const norm = rawIndices.length > 0 ? 1 / Math.sqrt(rawIndices.length) : 0;
  const keys = [...counts.keys()].sort((a, b) => a - b);
  const indices = Int32Array.from(keys);
  const values = Float32Array.from(keys, (k) => (counts.get(k) as number) * norm);
  return { indices, values, label, weight };
}

/**
 * A document whose n-grams are scaled by 1/sqrt(their total) and whose extra tokens (whole-message
 * cues) keep a fixed value each, however long the text.
 */
export function toSparseDocWithCues(ngrams: number[], cues: number[], cueValue: number, label: 0 | 1, weight = 1): SparseDoc {
  const values = new Map<number, number>();
  const norm = ngrams.length > 0 ? 1 / Math.sqrt(ngrams.length) : 0;
  for (const i of ngrams) values.set(i, (values.get(i) ?? 0) + norm);
  for (const i of cues) values.set(i, (values.get(i) ?? 0) + cueValue);
  const keys = [...values.keys()].sort((a, b) => a - b);
  return { indices: Int32Array.from(keys), values: Float32Array.from(keys, (k) => values.get(k) as number), label, weight };
}

// The shuffle (and therefore the weights) must repeat exactly: a seeded generator.
export const createRandom = seededRandom;

export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

export function trainLogisticRegression(docs: SparseDoc[], opts: TrainOptions): { weights: Float32Array; bias: number } {
  const w = new Float64Array(opts.dims);
  const g2 = new Float64Array(opts.dims).fill(1e-8);
  let bias = 0;
  let biasG2 = 1e-8;
  const order = docs.map((_, i) => i);
  const random = createRandom(opts.seed);
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const t = order[i] as number;
      order[i] = order[j] as number;
      order[j] = t;
    }
    for (const di of order) {
      const d = docs[di] as SparseDoc;
      let z = bias;
      for (let k = 0; k < d.indices.length; k++) z += (w[d.indices[k] as number] as number) * (d.values[k] as number);
      const err = (sigmoid(z) - d.label) * d.weight;
      for (let k = 0; k < d.indices.length; k++) {
        const idx = d.indices[k] as number;
        const grad = err * (d.values[k] as number) + opts.l2 * (w[idx] as number);
        g2[idx] = (g2[idx] as number) + grad * grad;
        w[idx] = (w[idx] as number) - (opts.learningRate * grad) / Math.sqrt(g2[idx] as number);
      }
      biasG2 += err * err;
      bias -= (opts.learningRate * err) / Math.sqrt(biasG2);
    }
  }
  return { weights: Float32Array.from(w), bias };
}

export function predictLogit(weights: Float32Array, bias: number, doc: SparseDoc): number {
  let z = bias;
  for (let k = 0; k < doc.indices.length; k++) z += (weights[doc.indices[k] as number] as number) * (doc.values[k] as number);
  return z;
}
