// Strict base64url (RFC 4648 §5, no padding, RFC 7515 §2). Buffer.from(s, 'base64url') silently skips
// characters outside the alphabet, so a mutated token would decode to something else instead of failing.
const ALPHABET = /^[A-Za-z0-9_-]*$/;

export function encodeBase64url(data: string | Uint8Array): string {
  return (typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data)).toString('base64url');
}

/** Returns undefined for anything that is not canonical unpadded base64url. */
export function decodeBase64url(text: string): Buffer | undefined {
  if (!ALPHABET.test(text) || text.length % 4 === 1) return undefined;
  return Buffer.from(text, 'base64url');
}
