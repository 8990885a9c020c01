import type { Attestation, VerificationResult } from './types.js';

// How caller-ID authentication feeds screening and reputation. A verified A is good evidence that
// the caller may use the number; a failed signature or a number that is normally signed A arriving
// unsigned is the classic spoofing pattern (RFC 7340 §3; FCC's reason for mandating SHAKEN).

/** Per-number summary of past verification outcomes. Plain data; the store keeps it. */
export interface AttestationHistory {
  A: number;
  B: number;
  C: number;
  /** TN-Validation-Failed (bad signature, untrusted certificate). */
  failed: number;
  /** No Identity header, or No-TN-Validation (unusable header, stale, mismatched). */
  unsigned: number;
  /** Passed with A from a carrier that does not hold the number (STIR_SIGNER_NOT_HOLDER); counted instead of A. */
  notHolder?: number;
  /** Epoch milliseconds of the last call counted. */
  lastSeen: number | undefined;
  /** Epoch milliseconds of the last call that passed with attestation A. */
  lastSignedA: number | undefined;
}

export interface RiskReason {
  code: string;
  text: string;
}

export interface AttestationRisk {
  /** Score points to add to the caller's risk (negative lowers it). */
  delta: number;
  reasons: RiskReason[];
}

export function emptyAttestationHistory(): AttestationHistory {
  return { A: 0, B: 0, C: 0, failed: 0, unsigned: 0, lastSeen: undefined, lastSignedA: undefined };
}

function passedAttest(result: VerificationResult | undefined): Attestation | undefined {
  return result?.verstat === 'TN-Validation-Passed' ? result.attest : undefined;
}

/** Returns a new history with this call counted (`at` epoch ms; the input is not changed). */
export function updateAttestationHistory(
  history: AttestationHistory | undefined,
  result: VerificationResult | undefined,
  at: number,
): AttestationHistory {
  const next = { ...(history ?? emptyAttestationHistory()), lastSeen: at };
  const attest = passedAttest(result);
  if (result?.signerNotHolder !== undefined && attest === 'A') next.notHolder = (next.notHolder ?? 0) + 1;
  else if (attest !== undefined) {
    next[attest] += 1;
    if (attest === 'A') next.lastSignedA = at;
  } else if (result?.verstat === 'TN-Validation-Failed') next.failed += 1;
  else next.unsigned += 1;
  return next;
}

/** Calls counted so far. */
export function countAttestations(history: AttestationHistory): number {
  return history.A + history.B + history.C + history.failed + history.unsigned + (history.notHolder ?? 0);
}

const USUALLY_A_MIN_CALLS = 3;
const USUALLY_A_SHARE = 0.8;

/**
 * Points to add to a call's risk from its verification result and the number's history.
 * `result` undefined means the call carried no Identity header at all.
 */
export function attestationRisk(result: VerificationResult | undefined, history: AttestationHistory | undefined): AttestationRisk {
  const reasons: RiskReason[] = [];
  let delta = 0;
  const attest = passedAttest(result);
  const total = history ? countAttestations(history) : 0;
  const signedShare = history && total > 0 ? (history.A + history.B + history.C) / total : 0;
  // "Should be signed": the number has been seen signed before, mostly. Unsigned calls from numbers
  // that never were signed are common (legacy TDM paths) and only a weak sign.
  const shouldBeSigned = history !== undefined && total >= USUALLY_A_MIN_CALLS && signedShare >= USUALLY_A_SHARE;
  const usuallyA = history !== undefined && total >= USUALLY_A_MIN_CALLS && history.A / total >= USUALLY_A_SHARE;

  if (attest === 'A') {
    delta -= 15;
    reasons.push({ code: 'STIR_ATTEST_A', text: 'The caller ID is fully attested (A) by the originating carrier' });
  } else if (attest === 'B') {
    delta -= 5;
    reasons.push({ code: 'STIR_ATTEST_B', text: 'The originating carrier knows the caller but not that it may use this number (B)' });
  } else if (attest === 'C') {
    delta += 5;
    reasons.push({ code: 'STIR_ATTEST_C', text: 'The call entered through a gateway; the caller ID is not vouched for (C)' });
  } else if (result?.verstat === 'TN-Validation-Failed') {
    delta += 35;
    reasons.push({ code: 'STIR_VERIFICATION_FAILED', text: `Caller-ID verification failed${result.reasonDesc ? `: ${result.reasonDesc}` : ''}` });
  } else if (result !== undefined && result.reasonCode !== 428) {
    delta += result.reasonCode === 403 ? 20 : 10;
    reasons.push({
      code: result.reasonCode === 403 ? 'STIR_STALE' : 'STIR_NOT_VERIFIABLE',
      text: result.reasonCode === 403 ? 'The caller-ID signature is stale (possible replay)' : 'The caller-ID signature could not be checked',
    });
  } else if (shouldBeSigned) {
    delta += 10;
    reasons.push({ code: 'STIR_UNSIGNED', text: 'The call is unsigned although calls from this number usually are' });
  }
  if (result?.signerNotHolder !== undefined && attest === 'A') {
    delta += 20;
    reasons.push({ code: 'STIR_SIGNER_NOT_HOLDER', text: `Attested A by a carrier that does not hold the number (the holder registry names ${result.signerNotHolder})` });
  }
  if (usuallyA && attest !== 'A') {
    delta += attest === undefined ? 30 : 15;
    reasons.push({
      code: 'STIR_SPOOFING_SUSPECTED',
      text: `Calls from this number are usually fully attested (A in ${history.A} of ${total}); this one is ${attest ?? (result?.verstat === 'TN-Validation-Failed' ? 'failed' : 'unsigned')}`,
    });
  }
  return { delta, reasons };
}
