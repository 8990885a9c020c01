import * as crypto from 'node:crypto';
import { createHash, randomBytes } from 'node:crypto';

// Keys are 32 random bytes behind a recognisable prefix (so secret scanners can find leaked ones).
// Only the SHA-256 of a key is stored: a key has 256 bits of entropy, so a fast hash is enough
// (a slow password hash would add latency to every request and no security).
export const KEY_PREFIX = 'csk_';

export function generateApiKey(): string {
  return KEY_PREFIX + randomBytes(32).toString('base64url');
}

// crypto.hash (Node >= 20.12) is the one-shot form: no Hash object per call, on every request.
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;

export function hashApiKey(key: string): string {
  return oneShot ? oneShot('sha256', key, 'hex') : createHash('sha256').update(key).digest('hex');
}

export function looksLikeApiKey(key: string): boolean {
  return key.startsWith(KEY_PREFIX) && key.length === KEY_PREFIX.length + 43 && /^[A-Za-z0-9_-]+$/.test(key.slice(KEY_PREFIX.length));
}
