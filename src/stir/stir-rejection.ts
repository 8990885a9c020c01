import { CallshieldError } from '../errors.js';
import type { ErrorCode } from '../errors.js';
import type { StirReasonCode, Verstat } from './types.js';

// Reason phrases of RFC 8224 §13.2-13.4 (428, 436, 437, 438) and the 403 "Stale Date" of RFC 8224
// §6.2.1; ATIS-1000082 puts the same words in `reasontext`.
export const REASON_TEXT: Readonly<Record<StirReasonCode, string>> = {
  403: 'Stale Date',
  428: 'Use Identity Header',
  436: 'Bad Identity Info',
  437: 'Unsupported Credential',
  438: 'Invalid Identity Header',
};

export interface StirRejectionExtra {
  reasonCode: StirReasonCode;
  verstat: Verstat;
}

const CODE_FOR_REASON: Readonly<Record<StirReasonCode, ErrorCode>> = {
  403: 'STIR_INVALID_PASSPORT',
  428: 'STIR_INVALID_IDENTITY_HEADER',
  436: 'STIR_INVALID_IDENTITY_HEADER',
  437: 'STIR_INVALID_CERTIFICATE',
  438: 'STIR_INVALID_PASSPORT',
};

/**
 * Throws the CallshieldError a parser or checker raises when a SIP Identity must be refused; it
 * carries the SIP reason code and verstat so verifyIdentity can turn it into a result, while callers
 * of the parsers alone still see an ordinary catalogued error.
 */
export function rejectIdentity(
  reasonCode: StirReasonCode,
  desc: string,
  options: { verstat?: Verstat; field?: string; code?: ErrorCode; cause?: unknown } = {},
): never {
  const extra: StirRejectionExtra = { reasonCode, verstat: options.verstat ?? 'No-TN-Validation' };
  throw new CallshieldError(options.code ?? CODE_FOR_REASON[reasonCode], desc, {
    field: options.field ?? 'identity',
    extra: { ...extra },
    cause: options.cause,
  });
}

/** The reason code and verstat a CallshieldError carries, if it was raised by rejectIdentity. */
export function readRejection(err: unknown): StirRejectionExtra | undefined {
  if (!(err instanceof CallshieldError) || err.extra === undefined) return undefined;
  const { reasonCode, verstat } = err.extra as Partial<StirRejectionExtra>;
  if (typeof reasonCode !== 'number' || typeof verstat !== 'string') return undefined;
  return { reasonCode, verstat };
}
