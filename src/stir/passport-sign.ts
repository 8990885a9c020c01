import { sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { encodeBase64url } from './base64url.js';
import { serialiseCanonicalJson } from './canonical-json.js';
import type { Attestation, PassportHeader, PassportPayload } from './types.js';

/** The SHAKEN header of RFC 8588 §4 in full form; keys come out sorted (alg, ppt, typ, x5u). */
export function buildPassportHeader(x5u: string): PassportHeader {
  return { alg: 'ES256', ppt: 'shaken', typ: 'passport', x5u };
}

export interface PassportClaimsInput {
  attest: Attestation;
  orig: string;
  dest: readonly string[];
  iat: number;
  origid: string;
}

/** Builds the RFC 8588 §5 claims: `orig.tn` a string, `dest.tn` an array. */
export function buildPassportPayload(input: PassportClaimsInput): PassportPayload {
  return { attest: input.attest, dest: { tn: [...input.dest] }, iat: input.iat, orig: { tn: input.orig }, origid: input.origid };
}

/** base64url of the canonical JSON (sorted keys, no whitespace; RFC 8225 §9). */
export function encodePassportPart(value: unknown): string {
  return encodeBase64url(serialiseCanonicalJson(value));
}

const SHAKEN_CLAIMS = 'attest,dest,iat,orig,origid';

/**
 * The canonical JSON of SHAKEN claims, written out directly for the usual shape (the five claims,
 * `dest` with `tn` and/or `uri`); anything else goes through the generic serialiser. Same bytes
 * either way (a unit test compares them); this only saves the signing path a generic key sort.
 */
export function serialisePassportPayload(payload: PassportPayload): string {
  const { dest, orig } = payload;
  const plain = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);
  const destKeys = plain(dest) ? Object.keys(dest).join(',') : '';
  if (
    Object.keys(payload).join(',') !== SHAKEN_CLAIMS ||
    !plain(orig) ||
    Object.keys(orig).join(',') !== 'tn' ||
    !(destKeys === 'tn' || destKeys === 'uri' || destKeys === 'tn,uri') ||
    typeof payload.attest !== 'string' ||
    !Number.isFinite(payload.iat) ||
    typeof payload.origid !== 'string' ||
    typeof orig.tn !== 'string' ||
    !(dest.tn === undefined || (Array.isArray(dest.tn) && dest.tn.every((t) => typeof t === 'string'))) ||
    !(dest.uri === undefined || (Array.isArray(dest.uri) && dest.uri.every((u) => typeof u === 'string')))
  ) {
    return serialiseCanonicalJson(payload);
  }
  const tn = dest.tn === undefined ? '' : `"tn":${JSON.stringify(dest.tn)}`;
  const uri = dest.uri === undefined ? '' : `"uri":${JSON.stringify(dest.uri)}`;
  const destJson = `{${tn}${tn && uri ? ',' : ''}${uri}}`;
  return `{"attest":${JSON.stringify(payload.attest)},"dest":${destJson},"iat":${JSON.stringify(payload.iat)},"orig":{"tn":${JSON.stringify(orig.tn)}},"origid":${JSON.stringify(payload.origid)}}`;
}

/**
 * Signs with ES256: ECDSA P-256 over SHA-256, signature as raw R‖S (RFC 7518 §3.4), which is what
 * `dsaEncoding: 'ieee-p1363'` produces. `encodedHeader` lets a signer reuse its header encoding.
 */
export function signPassport(
  payload: PassportPayload,
  x5u: string,
  privateKey: KeyObject,
  encodedHeader: string = encodePassportPart(buildPassportHeader(x5u)),
): string {
  const signingInput = `${encodedHeader}.${encodeBase64url(serialisePassportPayload(payload))}`;
  const signature = sign('sha256', Buffer.from(signingInput, 'ascii'), { key: privateKey, dsaEncoding: 'ieee-p1363' });
  return `${signingInput}.${signature.toString('base64url')}`;
}
