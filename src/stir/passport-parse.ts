import { decodeBase64url } from './base64url.js';
import { rejectIdentity } from './stir-rejection.js';
import type { Attestation, PassportHeader, PassportPayload } from './types.js';

export interface ParsedPassport {
  header: PassportHeader;
  payload: PassportPayload;
  /** Every claim as sent, including extensions such as `rcd`/`rcdi` (RFC 9795) that payload leaves out. */
  claims: Readonly<Record<string, unknown>>;
  /** `b64url(header).b64url(payload)`: the bytes the signature covers (RFC 7515 §5.2). */
  signingInput: string;
  /** Raw R‖S, 64 bytes (RFC 7518 §3.4). */
  signature: Buffer;
  warnings: string[];
}

export interface ParsePassportOptions {
  /**
   * Strict (default) refuses the shapes RFC 8225/8588 do not allow. Lenient accepts, with a warning,
   * `orig`/`dest` sent as JSON-encoded strings and a bare-string `dest.tn` (libstirshaken's test
   * vectors do both) so that old interop captures can still be checked.
   */
  strict?: boolean;
}

const TN = /^[0-9*#]+$/;

export function readJsonObject(segment: string, what: string): Record<string, unknown> {
  const bytes = decodeBase64url(segment);
  if (bytes === undefined || bytes.length === 0) rejectIdentity(438, `The PASSporT ${what} is not base64url`);
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    rejectIdentity(438, `The PASSporT ${what} is not JSON`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    rejectIdentity(438, `The PASSporT ${what} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

/**
 * Checks the JOSE header of a SHAKEN PASSporT. Missing members are 436 and a wrong typ/alg 437, as
 * ATIS-1000082's verification cases E9, E11 and E12 answer; a ppt other than shaken is 438 (RFC 8588 §6).
 */
export function checkPassportHeader(header: Record<string, unknown>): PassportHeader {
  for (const member of ['alg', 'typ', 'x5u', 'ppt'] as const) {
    if (header[member] === undefined) rejectIdentity(436, `Missing '${member}' in the PASSporT header`);
  }
  if (header.typ !== 'passport') rejectIdentity(437, "The PASSporT 'typ' is not 'passport' (RFC 8225 §4.1)");
  if (header.alg !== 'ES256') rejectIdentity(437, "The PASSporT 'alg' is not 'ES256' (RFC 8588 §4)");
  if (header.ppt !== 'shaken') rejectIdentity(438, "The PASSporT 'ppt' is not 'shaken' (RFC 8588 §4)");
  if (typeof header.x5u !== 'string' || header.x5u === '') rejectIdentity(436, "The PASSporT 'x5u' is not a URL");
  return header as PassportHeader;
}

function unwrapJsonString(value: unknown, name: string, strict: boolean, warnings: string[]): unknown {
  if (typeof value !== 'string') return value;
  if (strict) {
    rejectIdentity(438, `The '${name}' claim is a JSON-encoded string, not an object (RFC 8225 §5.2.1)`);
  }
  try {
    const inner: unknown = JSON.parse(value);
    warnings.push(`'${name}' was a JSON-encoded string`);
    return inner;
  } catch {
    return rejectIdentity(438, `The '${name}' claim is not an object`);
  }
}

/** Checks the five SHAKEN claims of RFC 8588 §5 (all mandatory). Every failure is 438 (RFC 8224 §13.4). */
export function checkPassportClaims(
  claims: Record<string, unknown>,
  options: ParsePassportOptions = {},
  warnings: string[] = [],
): PassportPayload {
  const strict = options.strict !== false;
  for (const claim of ['attest', 'dest', 'iat', 'orig', 'origid'] as const) {
    if (claims[claim] === undefined) rejectIdentity(438, `Missing '${claim}' mandatory claim in the PASSporT`);
  }
  const { attest, iat, origid } = claims;
  if (attest !== 'A' && attest !== 'B' && attest !== 'C') {
    rejectIdentity(438, "The 'attest' claim is not A, B or C (RFC 8588 §4)");
  }
  if (typeof iat !== 'number' || !Number.isSafeInteger(iat) || iat < 0) {
    rejectIdentity(438, "The 'iat' claim is not a NumericDate (RFC 8225 §5.1.1)");
  }
  if (typeof origid !== 'string' || origid === '') rejectIdentity(438, "The 'origid' claim is not a string (RFC 8588 §4)");

  const orig = unwrapJsonString(claims.orig, 'orig', strict, warnings);
  if (orig === null || typeof orig !== 'object' || Array.isArray(orig)) rejectIdentity(438, "The 'orig' claim is not an object");
  const origTn = (orig as Record<string, unknown>).tn;
  if (typeof origTn !== 'string' || !TN.test(origTn)) {
    rejectIdentity(438, "The 'orig.tn' claim is not a canonical telephone number (RFC 8224 §8.3)");
  }

  const dest = unwrapJsonString(claims.dest, 'dest', strict, warnings);
  if (dest === null || typeof dest !== 'object' || Array.isArray(dest)) rejectIdentity(438, "The 'dest' claim is not an object");
  let destTn: unknown = (dest as Record<string, unknown>).tn;
  const destUri: unknown = (dest as Record<string, unknown>).uri;
  if (typeof destTn === 'string') {
    if (strict) rejectIdentity(438, "The 'dest.tn' claim is a string, not an array (RFC 8225 §5.2.1)");
    warnings.push("'dest.tn' was a string, not an array");
    destTn = [destTn];
  }
  const tnOk = destTn === undefined || (Array.isArray(destTn) && destTn.every((t) => typeof t === 'string' && TN.test(t)));
  const uriOk = destUri === undefined || (Array.isArray(destUri) && destUri.every((u) => typeof u === 'string' && u !== ''));
  const count = (Array.isArray(destTn) ? destTn.length : 0) + (Array.isArray(destUri) ? destUri.length : 0);
  if (!tnOk || !uriOk || count === 0) {
    rejectIdentity(438, "The 'dest' claim has no valid 'tn' or 'uri' array (RFC 8225 §5.2.1)");
  }
  const payload: PassportPayload = {
    attest: attest as Attestation,
    dest: {},
    iat,
    orig: { tn: origTn },
    origid,
  };
  if (destTn !== undefined) payload.dest.tn = destTn as string[];
  if (destUri !== undefined) payload.dest.uri = destUri as string[];
  return payload;
}

// A carrier signs every call with the same header, so the checked header is remembered by its
// encoded form (bounded; only headers that passed the checks are kept, frozen against edits).
const checkedHeaders = new Map<string, PassportHeader>();

function readCheckedHeader(segment: string): PassportHeader {
  const known = checkedHeaders.get(segment);
  if (known !== undefined) return known;
  const header = Object.freeze(checkPassportHeader(readJsonObject(segment, 'header')));
  if (checkedHeaders.size >= 256) checkedHeaders.clear();
  checkedHeaders.set(segment, header);
  return header;
}

/** Parses and checks a SHAKEN PASSporT in full JWS form; it does not verify the signature. */
export function parsePassport(jws: string, options: ParsePassportOptions = {}): ParsedPassport {
  if (typeof jws !== 'string') rejectIdentity(438, 'The PASSporT is not a string');
  const first = jws.indexOf('.');
  const second = first < 0 ? -1 : jws.indexOf('.', first + 1);
  if (first < 0 || second < 0 || jws.indexOf('.', second + 1) >= 0) {
    rejectIdentity(438, 'The PASSporT is not a JWS with three parts');
  }
  const headerPart = jws.slice(0, first);
  const payloadPart = jws.slice(first + 1, second);
  const signaturePart = jws.slice(second + 1);
  const header = readCheckedHeader(headerPart);
  // RFC 8224 §4.1 allows the compact form (empty payload) but SHAKEN requires the full form
  // (ATIS-1000074 §5.3.1; ATIS-1000082 case E4 answers 438).
  if (payloadPart === '') rejectIdentity(438, 'The PASSporT is in compact form; SHAKEN requires the full form');
  const warnings: string[] = [];
  const claims = readJsonObject(payloadPart, 'payload');
  const payload = checkPassportClaims(claims, options, warnings);
  const signature = decodeBase64url(signaturePart);
  // ES256 signatures are raw R‖S, 64 bytes (RFC 7518 §3.4); a DER-encoded ECDSA-Sig-Value is refused.
  if (signature === undefined || signature.length !== 64) {
    rejectIdentity(438, 'The PASSporT signature is not a 64-byte ES256 (R‖S) signature', {
      verstat: 'TN-Validation-Failed',
    });
  }
  return { header, payload, claims, signingInput: jws.slice(0, second), signature, warnings };
}
