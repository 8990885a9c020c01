import type { PassportPayload, TraceRecord, Verstat } from './types.js';

// Traceback records (ATIS-1000074 §5.2.4: origid identifies the call's origination point so an
// industry traceback can find the signing carrier). Plain data for the store to keep.

function destinations(payload: PassportPayload): string[] {
  return [...(payload.dest.tn ?? []), ...(payload.dest.uri ?? [])];
}

export function traceSigned(payload: PassportPayload, spc: string, x5u: string, signedAt: number): TraceRecord {
  return {
    origid: payload.origid,
    spc,
    orig: payload.orig.tn,
    dest: destinations(payload),
    attest: payload.attest,
    iat: payload.iat,
    direction: 'signed',
    signedAt,
    x5u,
  };
}

export function traceVerified(
  payload: PassportPayload,
  spc: string | undefined,
  x5u: string | undefined,
  verstat: Verstat,
  verifiedAt: number,
): TraceRecord {
  const record: TraceRecord = {
    origid: payload.origid,
    spc,
    orig: payload.orig.tn,
    dest: destinations(payload),
    attest: payload.attest,
    iat: payload.iat,
    direction: 'verified',
    verifiedAt,
    verstat,
  };
  if (x5u !== undefined) record.x5u = x5u;
  return record;
}
