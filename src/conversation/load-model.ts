import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CallshieldError } from '../errors.js';
import { decodeModel } from './model-codec.js';
import type { EncodedModel } from './model-codec.js';
import type { Model } from './types.js';

// The only file I/O in the domain: the committed model, read once at start-up.
export const DEFAULT_MODEL_PATH = fileURLToPath(new URL('./model/model.json', import.meta.url));

const cache = new Map<string, Model>();

export function loadModel(path: string = DEFAULT_MODEL_PATH): Model {
  const cached = cache.get(path);
  if (cached) return cached;
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (err) {
    throw new CallshieldError('CONVERSATION_MODEL_MISSING', `Cannot read the model file ${path}; run npm run train`, { cause: err });
  }
  let encoded: EncodedModel;
  try {
    encoded = JSON.parse(raw) as EncodedModel;
  } catch (err) {
    throw new CallshieldError('CONVERSATION_MODEL_MISSING', `The model file ${path} is not valid JSON`, { cause: err });
  }
  const model = decodeModel(encoded);
  cache.set(path, model);
  return model;
}
