import { verify } from 'node:crypto';
import { decodeBase64url } from './base64url.js';
import type { CertificateResolver } from './certificate-resolver.js';
import { describeScope, isTnInScope } from './delegate-certificate.js';
import { parseIdentityHeader, splitOutside, stripHeaderName } from './identity-header.js';
import { readJsonObject } from './passport-parse.js';
import { REASON_TEXT, readRejection, rejectIdentity } from './stir-rejection.js';
import type { StirReasonCode, Verstat } from './types.js';

// div PASSporTs (RFC 8946): when a call is forwarded (retargeted), the diverting carrier signs a
// PASSporT saying "the call for `div.tn` was sent on to `dest`", keeping the original `orig`. The
// SHAKEN PASSporT's `dest` is then the number that forwarded, not the one being called; a chain of
// verified div PASSporTs from the shaken `dest` to the called number links them.

/** One verified diversion: the call for `from` went on to `to`, signed by the certificate at x5u. */
export interface DiversionHop {
  from: string;
  to: string[];
  x5u: string;
  spc?: string;
  iat: number;
}

export interface DiversionResult {
  verstat: Verstat;
  reasonCode?: StirReasonCode;
  reasonText?: string;
  reasonDesc?: string;
  /** The hops that linked the shaken `dest` to the called number, in order. */
  hops: DiversionHop[];
}

interface DivPassport {
  x5u: string;
  orig: string;
  dest: string[];
  div: string;
  iat: number;
  signingInput: string;
  signature: Buffer;
}

const TN = /^[0-9*#]+$/;
const MAX_DIV = 5;

/** The Identity header values whose ppt is `div` (separate headers or comma-joined). */
export function selectDivIdentities(headers: string | readonly string[]): string[] {
  const list = typeof headers === 'string' ? [headers] : headers;
  const values: string[] = [];
  for (const h of list) {
    if (typeof h !== 'string') continue;
    for (const v of splitOutside(stripHeaderName(h), ',')) {
      if (/;\s*ppt\s*=\s*"?div"?\s*(;|$)/i.test(v)) values.push(v.trim());
    }
  }
  return values;
}

/** RFC 8946 §3: header ppt "div"; claims orig.tn, dest.tn[], iat and div.tn. Every flaw is 438 (436 for x5u). */
export function parseDivPassport(jws: string): DivPassport {
  const parts = jws.split('.');
  if (parts.length !== 3 || parts[1] === '') rejectIdentity(438, 'The div PASSporT is not a JWS in full form');
  const [h, p, s] = parts as [string, string, string];
  const header = readJsonObject(h, 'div header');
  if (header.typ !== 'passport' || header.alg !== 'ES256') rejectIdentity(437, "The div PASSporT's 'typ'/'alg' is not passport/ES256");
  if (header.ppt !== 'div') rejectIdentity(438, "The div PASSporT's 'ppt' is not 'div' (RFC 8946 §3)");
  if (typeof header.x5u !== 'string' || header.x5u === '') rejectIdentity(436, "The div PASSporT has no 'x5u'");
  const claims = readJsonObject(p, 'div payload');
  const orig = (claims.orig as { tn?: unknown } | undefined)?.tn;
  const dest = (claims.dest as { tn?: unknown } | undefined)?.tn;
  const div = (claims.div as { tn?: unknown } | undefined)?.tn;
  const iat = claims.iat;
  if (typeof orig !== 'string' || !TN.test(orig)) rejectIdentity(438, "The div PASSporT's 'orig.tn' is not a telephone number");
  if (!Array.isArray(dest) || dest.length === 0 || !dest.every((t) => typeof t === 'string' && TN.test(t))) {
    rejectIdentity(438, "The div PASSporT's 'dest.tn' is not an array of telephone numbers");
  }
  if (typeof div !== 'string' || !TN.test(div)) rejectIdentity(438, "The div PASSporT's 'div.tn' is not a telephone number (RFC 8946 §3)");
  if (typeof iat !== 'number' || !Number.isSafeInteger(iat)) rejectIdentity(438, "The div PASSporT's 'iat' is not a NumericDate");
  const signature = decodeBase64url(s);
  if (signature === undefined || signature.length !== 64) rejectIdentity(438, 'The div PASSporT signature is not 64 bytes', { verstat: 'TN-Validation-Failed' });
  return { x5u: header.x5u as string, orig, dest: dest as string[], div, iat, signingInput: `${h}.${p}`, signature };
}

/**
 * Verifies the div PASSporTs of a forwarded call and links the shaken PASSporT's `dest` to the
 * called numbers: each hop must keep the shaken `orig`, start from a number already reached, be
 * fresh, be signed by a certificate that validates (and, for a delegate, covers the diverting
 * number), and together they must reach every called number. Never throws for a bad token.
 */
export async function verifyDiversion(
  divValues: readonly string[],
  shaken: { orig: string; dest: readonly string[] },
  calledNumbers: readonly string[],
  context: { now: number; certificates: CertificateResolver; maxAgeSeconds?: number },
): Promise<DiversionResult> {
  const hops: DiversionHop[] = [];
  try {
    if (divValues.length === 0) rejectIdentity(438, 'The call was forwarded but carries no div PASSporT (RFC 8946)');
    if (divValues.length > MAX_DIV) rejectIdentity(438, `More than ${MAX_DIV} div PASSporTs`);
    const maxAge = context.maxAgeSeconds ?? 60;
    const tokens = divValues.map((value) => {
      const header = parseIdentityHeader(value);
      const token = parseDivPassport(header.jws);
      if (token.x5u !== header.info) rejectIdentity(436, "The div PASSporT's 'x5u' does not match the Identity 'info' URI");
      if (Math.abs(Math.floor(context.now / 1000) - token.iat) > maxAge) rejectIdentity(403, "The div PASSporT's 'iat' is not fresh");
      return token;
    });
    const wrongOrig = tokens.find((t) => t.orig !== shaken.orig);
    if (wrongOrig !== undefined) rejectIdentity(438, `The div PASSporT's 'orig' ${wrongOrig.orig} is not the shaken 'orig' ${shaken.orig} (RFC 8946 §4)`);
    const reached = new Set(shaken.dest);
    const unused = new Set(tokens);
    const done = (): boolean => calledNumbers.every((tn) => reached.has(tn));
    while (!done()) {
      const next = [...unused].find((t) => reached.has(t.div));
      if (next === undefined) break;
      unused.delete(next);
      const certificate = context.certificates.peek(next.x5u, context.now) ?? (await context.certificates.resolve(next.x5u, context.now));
      if (certificate.tnScope !== undefined && !isTnInScope(certificate.tnScope, next.div)) {
        rejectIdentity(438, `The div PASSporT's 'div' ${next.div} is not in its delegate certificate's TNAuthList (${describeScope(certificate.tnScope)})`, { verstat: 'TN-Validation-Failed' });
      }
      const ok = verify('sha256', Buffer.from(next.signingInput, 'ascii'), { key: certificate.publicKey, dsaEncoding: 'ieee-p1363' }, next.signature);
      if (!ok) rejectIdentity(438, 'The div PASSporT signature does not verify', { verstat: 'TN-Validation-Failed' });
      for (const tn of next.dest) reached.add(tn);
      hops.push({ from: next.div, to: next.dest, x5u: next.x5u, iat: next.iat, ...(certificate.spc !== undefined ? { spc: certificate.spc } : {}) });
    }
    if (!done()) {
      rejectIdentity(438, `No div PASSporT links the shaken 'dest' (${shaken.dest.join(', ')}) to the called number ${calledNumbers.join(', ')} (RFC 8946)`);
    }
    return { verstat: 'TN-Validation-Passed', hops };
  } catch (err) {
    const rejection = readRejection(err);
    if (rejection === undefined) throw err;
    return {
      verstat: rejection.verstat,
      reasonCode: rejection.reasonCode,
      reasonText: REASON_TEXT[rejection.reasonCode],
      reasonDesc: err instanceof Error ? err.message : undefined,
      hops,
    };
  }
}
