import { CallshieldError } from '../errors.js';

export interface SipUri {
  readonly user: string;
  readonly host: string;
  /** true when `user=phone` is set or the user part is a dialable number. */
  readonly userIsPhone: boolean;
}

// RFC 3261 §19.1: sip:user@host;params. Visual separators in a telephone-subscriber user part
// (RFC 3966 §5.1.1: - . ( )) are dropped before deciding whether it is a number.
export function parseSipUri(input: string, field = 'caller'): SipUri {
  const text = input.trim().replace(/^<(.*)>$/, '$1');
  const m = /^sips?:([^@;?>]+)@([^;?>]+)((?:;[^?>]*)?)/i.exec(text);
  if (!m) {
    throw new CallshieldError('IDENTITY_INVALID_SIP_URI', `"${input}" is not a SIP URI (sip:user@host)`, { field });
  }
  let user: string;
  try {
    user = decodeURIComponent(m[1] ?? '');
  } catch {
    throw new CallshieldError('IDENTITY_INVALID_SIP_URI', `"${input}" has a badly escaped user part`, { field });
  }
  const host = (m[2] ?? '').toLowerCase();
  if (!/^[a-z0-9.\-[\]:]+$/.test(host)) {
    throw new CallshieldError('IDENTITY_INVALID_SIP_URI', `"${m[2]}" is not a SIP host`, { field });
  }
  const params = (m[3] ?? '').toLowerCase();
  const digits = user.replace(/[-.()\s]/g, '');
  const userIsPhone = /(^|;)user=phone(;|$)/.test(params.slice(1)) || /^\+?\d{5,15}$/.test(digits);
  // Escapes must not smuggle in what would give one caller many spellings (or break storage). An
  // escaped ';' is refused too: it used to be cut off there, so `sip:a%3Bx@h` and `sip:a%3By@h` were
  // one caller.
  if (!userIsPhone && (user === '' || /[\p{Cc}\s@;]/u.test(user))) {
    throw new CallshieldError('IDENTITY_INVALID_SIP_URI', `"${input}" has control characters, spaces, ";" or "@" in its user part`, { field });
  }
  return { user: userIsPhone ? digits : user, host, userIsPhone };
}
