import { CallshieldError } from '../errors.js';

// Deliberately stricter than RFC 5322: video-call platforms accept ordinary addresses only, and a
// strict form keeps one address from having many spellings in the reputation index.
const EMAIL = /^[a-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** Lower-cases and checks an e-mail address used as a caller id (the FaceTime case). */
export function normaliseEmail(input: string, field = 'caller'): string {
  const text = input.trim().replace(/^mailto:/i, '').toLowerCase();
  if (text.length > 254 || !EMAIL.test(text) || text.includes('..') || text.startsWith('.')) {
    throw new CallshieldError('IDENTITY_INVALID_EMAIL', `"${input}" is not a valid e-mail address`, { field });
  }
  return text;
}
