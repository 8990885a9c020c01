import type { DiversionResult } from './div-passport.js';
import type { RichCallDataResult } from './rich-call-data.js';

// Plain data shapes shared by the STIR/SHAKEN files (RFC 8224, 8225, 8588; ATIS-1000074/80/82).

export type Attestation = 'A' | 'B' | 'C';

/** PASSporT JOSE header, RFC 8225 §4 and RFC 8588 §4 (full form: all four members). */
export interface PassportHeader {
  alg: string;
  ppt?: string;
  typ?: string;
  x5u?: string;
  [member: string]: unknown;
}

/** SHAKEN PASSporT claims, RFC 8588 §5; `dest` may carry `uri` as well as `tn` (RFC 8225 §5.2.1). */
export interface PassportPayload {
  attest: Attestation;
  dest: { tn?: string[]; uri?: string[] };
  iat: number;
  orig: { tn: string };
  origid: string;
}

export type Verstat = 'TN-Validation-Passed' | 'TN-Validation-Failed' | 'No-TN-Validation';

/** SIP response codes a STI-VS reports, RFC 8224 §6.2.2 and §13, plus 403 Stale Date (RFC 3261/8224 §6.2.1). */
export type StirReasonCode = 403 | 428 | 436 | 437 | 438;

export interface VerificationResult {
  verstat: Verstat;
  reasonCode?: StirReasonCode;
  /** The SIP reason phrase ("Invalid Identity Header"), for `Reason: STIR;cause=…;text=…` (RFC 9410). */
  reasonText?: string;
  /** A sentence saying which check failed. */
  reasonDesc?: string;
  /** Passed with A, but the holder registry names another carrier for the number: its name. */
  signerNotHolder?: string;
  /** The catalogued error code of the failed check (e.g. STIR_CERT_URL_TIMEOUT), for machines. */
  failure?: string;
  attest?: Attestation;
  origid?: string;
  /** The SPC from the signing certificate's TNAuthList (known once the certificate was loaded). */
  spc?: string;
  x5u?: string;
  iat?: number;
  orig?: string;
  dest?: string[];
  /** Deviations a lenient verifier accepted (e.g. libstirshaken's JSON-string `orig`/`dest`). */
  warnings?: string[];
  /** Traceback record for the store; present whenever the PASSporT claims could be read. */
  trace?: TraceRecord;
  /** div PASSporTs of a forwarded call (RFC 8946), when the request carried any. */
  div?: DiversionResult;
  /** Rich Call Data (RFC 9795) of a PASSporT that passed, when it carried `rcd`. */
  rcd?: RichCallDataResult;
}

/** One signed or verified call, kept for traceback (who signed a reported call, and when). */
export interface TraceRecord {
  origid: string;
  /** SPC of the signing carrier; undefined when a verified token's certificate could not be read. */
  spc: string | undefined;
  orig: string;
  dest: string[];
  attest: Attestation | undefined;
  iat: number;
  direction: 'signed' | 'verified';
  /** Epoch milliseconds, set on direction 'signed'. */
  signedAt?: number;
  /** Epoch milliseconds, set on direction 'verified'. */
  verifiedAt?: number;
  verstat?: Verstat;
  x5u?: string;
}
