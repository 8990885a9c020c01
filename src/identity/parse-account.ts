import { CallshieldError } from '../errors.js';

const PLATFORM = /^[a-z0-9][a-z0-9.-]{0,31}$/;
// Account ids are opaque to us; keep their case (some platforms are case-sensitive) but forbid
// whitespace and control characters so one id has one spelling.
const ACCOUNT_ID = /^[^\s\p{Cc}]{1,128}$/u;

/** `account:<platform>:<id>` → canonical form with the platform lower-cased. */
export function normaliseAccount(input: string, field = 'caller'): string {
  const text = input.trim();
  const m = /^account:([^:]*):(.*)$/i.exec(text);
  if (!m) {
    throw new CallshieldError('IDENTITY_INVALID_ACCOUNT', `"${input}" must look like account:<platform>:<id>`, { field });
  }
  const platform = (m[1] ?? '').toLowerCase();
  const id = m[2] ?? '';
  if (!PLATFORM.test(platform)) {
    throw new CallshieldError('IDENTITY_INVALID_ACCOUNT', `"${m[1]}" is not a platform name (a-z, 0-9, . and -)`, { field });
  }
  if (!ACCOUNT_ID.test(id)) {
    throw new CallshieldError('IDENTITY_INVALID_ACCOUNT', 'the account id must be 1-128 characters without spaces', { field });
  }
  return `account:${platform}:${id}`;
}
