// Strict base64url (RFC 4648 §5, no padding, RFC 7515 §2). Buffer.from(s, 'base64url') silently skips
// characters outside the alphabet, so a mutated token would decode to something else instead of failing.
const ALPHABET = /^[A-Za-z0-9_-]*$/;

export function encodeBase64url(data: string | Uint8Array): string {
  return (typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data)).toString('base64url');
}

const INDEX = new Map(Array.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_', (c, i) => [c, i]));

/**
 * Returns undefined for anything that is not canonical unpadded base64url. Canonical includes the
 * unused low bits of the last character being zero (RFC 4648 §3.5): otherwise "AB" and "AA" decode
 * to the same byte, and a PASSporT signature could be re-spelt (four spellings of one token) and
 * still verify.
 */
export function decodeBase64url(text: string): Buffer | undefined {
  const rem = text.length % 4;
  if (!ALPHABET.test(text) || rem === 1) return undefined;
  if (rem !== 0 && ((INDEX.get(text[text.length - 1]!) ?? 0) & (rem === 2 ? 0x0f : 0x03)) !== 0) return undefined;
  return Buffer.from(text, 'base64url');
}
