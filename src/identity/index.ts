export type { Identifier, IdentifierKind, ParseOptions } from './types.js';
export { parseIdentifier, looksCanonicalE164, ANONYMOUS } from './parse-identifier.js';
export { normaliseNumber, assertRegion } from './normalise-number.js';
export { normaliseEmail } from './parse-email.js';
export { normaliseAccount } from './parse-account.js';
export { parseSipUri } from './parse-sip-uri.js';
export type { SipUri } from './parse-sip-uri.js';
export { hashIdentifier } from './hash-identifier.js';
