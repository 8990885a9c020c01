import { verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { isCallshieldError } from '../errors.js';
import { sameCallNumber } from './call-number.js';
import { canonicaliseTn } from './canonical-tn.js';
import type { CertificateResolver } from './certificate-resolver.js';
import { checkOrigInScope } from './delegate-certificate.js';
import { verifyDiversion, selectDivIdentities } from './div-passport.js';
import { selectShakenIdentity } from './identity-header.js';
import { readRichCallData } from './rich-call-data.js';
import { parsePassport } from './passport-parse.js';
import type { ParsedPassport } from './passport-parse.js';
import { REASON_TEXT, readRejection, rejectIdentity } from './stir-rejection.js';
import { traceVerified } from './traceback.js';
import type { VerificationResult } from './types.js';

export interface CallContext {
  /** The calling number (From / P-Asserted-Identity), any common form; compared with `orig.tn`. */
  from?: string;
  /** The called number(s) (To / Request-URI); each must be in `dest.tn`. */
  to?: string | readonly string[];
  /** Epoch milliseconds. */
  now: number;
}

export interface VerifyDependencies {
  certificates: CertificateResolver;
  /** Refuse non-conformant claim shapes (default true); see ParsePassportOptions. */
  strict?: boolean;
  /** Freshness window for iat, RFC 8224 §6.2.1 recommends 60 s. */
  maxAgeSeconds?: number;
  /**
   * Run the ECDSA check on libuv's thread pool instead of the calling thread. A server sets it so
   * that concurrent verifications use every core (the signature check is nearly all of the cost);
   * a single caller in a loop is faster without the hop.
   */
  offThread?: boolean;
  /** CALLSHIELD_DEFAULT_REGION: a national-form call number is read in it before orig/dest mismatch (call-number.ts). */
  defaultRegion?: string;
}

function verifySignature(signingInput: string, publicKey: KeyObject, signature: Buffer, offThread: boolean): boolean | Promise<boolean> {
  const key = { key: publicKey, dsaEncoding: 'ieee-p1363' as const };
  const data = Buffer.from(signingInput, 'ascii');
  if (!offThread) return verify('sha256', data, key, signature);
  return new Promise((resolve, reject) => verify('sha256', data, key, signature, (err, ok) => (err ? reject(err) : resolve(ok))));
}

function fail(err: unknown, partial: Partial<VerificationResult>, now: number): VerificationResult {
  const rejection = readRejection(err);
  if (rejection === undefined) throw err;
  const result: VerificationResult = {
    verstat: rejection.verstat,
    reasonCode: rejection.reasonCode,
    reasonText: REASON_TEXT[rejection.reasonCode],
    reasonDesc: isCallshieldError(err) ? err.message : undefined,
    ...(isCallshieldError(err) ? { failure: err.code } : {}),
    ...partial,
  };
  if (partial.trace !== undefined) result.trace = { ...partial.trace, verstat: rejection.verstat, verifiedAt: now };
  return result;
}

/**
 * STI-VS (RFC 8224 §6.2, ATIS-1000074 §5.3.2): checks the SHAKEN Identity header of one call and
 * returns the verstat with the SIP reason code when it fails. A refusal is a result, not an error;
 * anything thrown is a bug (or a CallshieldError from a misconfigured resolver).
 */
export async function verifyIdentity(
  identity: string | readonly string[] | undefined | null,
  call: CallContext,
  deps: VerifyDependencies,
): Promise<VerificationResult> {
  const now = call.now;
  let partial: Partial<VerificationResult> = {};
  try {
    // RFC 8224 §6.2: no Identity header where one is required is 428 "Use Identity Header".
    if (identity === undefined || identity === null || (typeof identity !== 'string' && identity.length === 0)) {
      rejectIdentity(428, 'The request carries no Identity header');
    }
    const header = selectShakenIdentity(identity);
    if (header.alg !== undefined && header.alg !== 'ES256') rejectIdentity(437, "The Identity 'alg' parameter is not ES256");
    const passport: ParsedPassport = parsePassport(header.jws, { strict: deps.strict !== false });
    const { payload } = passport;
    partial = {
      attest: payload.attest,
      origid: payload.origid,
      x5u: passport.header.x5u,
      iat: payload.iat,
      orig: payload.orig.tn,
      dest: payload.dest.tn ?? [],
      trace: traceVerified(payload, undefined, passport.header.x5u, 'No-TN-Validation', now),
    };
    if (passport.warnings.length > 0) partial.warnings = passport.warnings;
    // ATIS-1000082 E10 (secsipid and vermouth alike): the certificate named in the PASSporT must be
    // the one the header's info points to.
    if (passport.header.x5u !== header.info) rejectIdentity(436, "'x5u' in the PASSporT does not match the Identity 'info' URI");
    // RFC 8224 §6.2.1: iat more than 60 s from our clock is 403 Stale Date; checked before any
    // network I/O so replayed tokens cost nothing.
    const maxAge = deps.maxAgeSeconds ?? 60;
    if (Math.abs(Math.floor(now / 1000) - payload.iat) > maxAge) rejectIdentity(403, "'iat' is not fresh (more than 60 s from the verifier's clock)");
    // RFC 8224 §6.2.3 / ATIS-1000082 E16: orig and dest must be the call's numbers.
    if (call.from !== undefined && !sameCallNumber(payload.orig.tn, call.from, deps.defaultRegion)) {
      rejectIdentity(438, "The 'orig' claim does not match the calling number");
    }
    if (call.to !== undefined) {
      const dest = payload.dest.tn ?? [];
      const wanted = typeof call.to === 'string' ? [call.to] : call.to;
      if (!wanted.every((to) => dest.some((tn) => sameCallNumber(tn, to, deps.defaultRegion)))) {
        // RFC 8946: a forwarded call's shaken dest is the number that forwarded; div PASSporTs
        // (verified in div-passport.ts) must link it to the called number.
        const divValues = selectDivIdentities(identity);
        if (divValues.length === 0) rejectIdentity(438, "The 'dest' claim does not match the called number");
        const maxAge = deps.maxAgeSeconds === undefined ? {} : { maxAgeSeconds: deps.maxAgeSeconds };
        partial.div = await verifyDiversion(divValues, { orig: payload.orig.tn, dest }, wanted.map(canonicaliseTn), { now, certificates: deps.certificates, ...maxAge });
        if (partial.div.verstat !== 'TN-Validation-Passed') {
          rejectIdentity(438, `The 'dest' claim does not match the called number (div: ${partial.div.reasonDesc ?? partial.div.reasonText ?? 'not linked'})`);
        }
      }
    }
    const x5u = passport.header.x5u as string;
    const certificate = deps.certificates.peek(x5u, now) ?? (await deps.certificates.resolve(x5u, now));
    partial.spc = certificate.spc;
    if (partial.trace) partial.trace.spc = certificate.spc;
    if (certificate.tnScope !== undefined) checkOrigInScope(certificate.tnScope, payload.orig.tn);
    // RFC 8224 §6.2.4 / ATIS-1000082 E18: a signature that does not verify is 438 TN-Validation-Failed.
    const valid = await verifySignature(passport.signingInput, certificate.publicKey, passport.signature, deps.offThread === true);
    if (!valid) rejectIdentity(438, 'The PASSporT signature does not verify', { verstat: 'TN-Validation-Failed' });
    partial.verstat = 'TN-Validation-Passed';
    const rcd = readRichCallData(passport.claims);
    if (rcd !== undefined) partial.rcd = rcd;
    if (partial.trace) partial.trace.verstat = 'TN-Validation-Passed';
    return partial as VerificationResult;
  } catch (err) {
    return fail(err, partial, now);
  }
}
