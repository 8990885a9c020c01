import type { AppContext } from '../../app-context.js';
import { CallshieldError } from '../../errors.js';
import { parseIdentifier } from '../../identity/index.js';
import type { CallerIdRisk } from '../../screening/index.js';
import { attestationRisk } from '../../stir/index.js';
import { verifyBestIdentityToken } from '../../stir/verify-best-identity.js';
import { checkReplay } from './replay.js';
import { checkSignerHolder } from './signer-holder.js';
import type { AttestationHistory, RichCallDataResult, StirReasonCode, VerificationResult, Verstat } from '../../stir/index.js';
import type { Actor } from '../actor.js';
import { loadedStir, recordOutcome, recordTrace, verifierOf } from './runtime.js';

// STIR/SHAKEN into screening. screenCall already scores a failed signature (CALLER_ID_FAILED) and
// attestation C itself; attestationRisk (src/stir) adds what screenCall does not know: A/B
// attestation, stale or unverifiable tokens, and the number's attestation history (a number that
// is always signed A and suddenly arrives unsigned is the classic spoofing sign, RFC 7340 §3).

export interface VerificationSummary {
  verstat: Verstat;
  reasonCode?: StirReasonCode;
  reasonText?: string;
  /** Which check failed, in words, and its catalogued code (e.g. STIR_CERT_URL_TIMEOUT). */
  reasonDesc?: string;
  failure?: string;
  attest?: string;
  origid?: string;
  spc?: string;
  /** div PASSporTs of a forwarded call (RFC 8946). */
  div?: { verstat: Verstat; reasonCode?: StirReasonCode; reasonText?: string; reasonDesc?: string; hops: { from: string; to: string[] }[] };
  /** Rich Call Data (RFC 9795) of a PASSporT that passed. */
  rcd?: RichCallDataResult;
}

/** What a carrier that verified the call itself tells us, as a verification result. */
function resultOfCarrier(attestation: string | undefined, verstat: string | undefined): VerificationResult | undefined {
  if (verstat === undefined && attestation === undefined) return undefined;
  if (verstat === undefined || verstat === 'TN-Validation-Passed') return { verstat: 'TN-Validation-Passed', ...(attestation ? { attest: attestation as 'A' | 'B' | 'C' } : {}) };
  return { verstat: verstat as Verstat };
}

function spoofing(risk: { reasons: readonly { code: string }[] }): boolean {
  return risk.reasons.some((r) => r.code === 'STIR_SPOOFING_SUSPECTED');
}

/** Only the part of attestationRisk that comes from the history (the call's own outcome is scored elsewhere). */
function historyPart(result: VerificationResult | undefined, history: AttestationHistory): CallerIdRisk | undefined {
  const total = attestationRisk(result, history);
  const own = attestationRisk(result, undefined);
  const ownCodes = new Set(own.reasons.map((r) => r.code));
  const reasons = total.reasons.filter((r) => !ownCodes.has(r.code));
  if (reasons.length === 0) return undefined;
  return { delta: total.delta - own.delta, reasons, spoofingSuspected: spoofing(total) };
}

/**
 * For POST /v1/screen without `identity`: the history's word on a number the carrier says is
 * unsigned, failed or not A. A Map look-up; nothing when no history is loaded.
 */
export function historyRiskFor(ctx: AppContext, caller: string, attestation: string | undefined, verstat: string | undefined): CallerIdRisk | undefined {
  const rt = loadedStir(ctx);
  if (rt === undefined || rt.history.size === 0) return undefined;
  const history = rt.history.get(caller);
  return history === undefined ? undefined : historyPart(resultOfCarrier(attestation, verstat), history);
}

/** For a call we verified: everything screenCall does not score itself (it scores failed and C). */
export function identityRisk(result: VerificationResult, history: AttestationHistory | undefined): CallerIdRisk | undefined {
  if (result.failure === 'STIR_REPLAYED') {
    // Scored as a failed check by screenCall; the reason says it was a replay, with points of its own.
    const more = history ? historyPart(result, history) : undefined;
    return {
      delta: 15 + (more?.delta ?? 0),
      reasons: [{ code: 'STIR_REPLAYED', text: 'The caller-ID signature was already used on another call (a replayed PASSporT)' }, ...(more?.reasons ?? [])],
      spoofingSuspected: true,
    };
  }
  const scoredByDecide = result.verstat === 'TN-Validation-Failed' || (result.verstat === 'TN-Validation-Passed' && result.attest === 'C');
  if (scoredByDecide) return history ? historyPart(result, history) : undefined;
  const total = attestationRisk(result, history);
  return { delta: total.delta, reasons: total.reasons, spoofingSuspected: spoofing(total) };
}

export interface VerifiedScreenInput {
  caller: string;
  callee: string;
  identity: string | string[];
  /** The SIP Call-ID, when known: the same token on another Call-ID is a replay. */
  callId?: string;
}

export interface IdentityOutcome {
  /** Feed these to screen() in place of the carrier's attestation/verstat. */
  attestation: 'A' | 'B' | 'C' | undefined;
  verstat: Verstat;
  risk: CallerIdRisk | undefined;
  verification: VerificationSummary;
  /** Counts the outcome in the history and queues the traceback record; call once the decision is made. */
  commit(): void;
}

/**
 * Verifies the Identity header(s) of a call being screened (RFC 8224 §6.2) against the caller and
 * callee. A warm certificate needs no I/O; the first call signed with a new certificate fetches it.
 */
export async function verifyForScreening(ctx: AppContext, input: VerifiedScreenInput, actor: Actor): Promise<IdentityOutcome> {
  const rt = loadedStir(ctx);
  if (rt === undefined) throw new CallshieldError('STIR_VERIFIER_NOT_CONFIGURED', 'STIR/SHAKEN verification is not running in this process');
  const verifier = verifierOf(rt);
  const region = { defaultRegion: ctx.config.defaultRegion };
  const caller = parseIdentifier(input.caller, region, 'caller');
  if (caller.kind !== 'phone') throw new CallshieldError('REQUEST_INVALID_BODY', 'identity applies to calls from telephone numbers', { field: 'identity' });
  const callee = parseIdentifier(input.callee, region, 'callee');
  const now = ctx.now();
  const verified = await verifyBestIdentityToken(input.identity, { from: caller.canonical, ...(callee.kind === 'phone' ? { to: callee.canonical } : {}), now }, verifier);
  // The same token on another call (another SIP Call-ID) while fresh is a replay (replay.ts).
  const unreplayed = checkReplay(ctx, verified.result, verified.jws, input.callId, verifier.maxAgeSeconds ?? 60);
  // Attested A by a carrier that does not hold the number (signer-holder.ts).
  const result = checkSignerHolder(ctx, unreplayed, caller.canonical);
  const passed = result.verstat === 'TN-Validation-Passed';
  const verification: VerificationSummary = { verstat: result.verstat };
  if (result.reasonCode !== undefined) verification.reasonCode = result.reasonCode;
  if (result.reasonText !== undefined) verification.reasonText = result.reasonText;
  if (result.reasonDesc !== undefined) verification.reasonDesc = result.reasonDesc;
  if (result.failure !== undefined) verification.failure = result.failure;
  if (result.attest !== undefined) verification.attest = result.attest;
  if (result.origid !== undefined) verification.origid = result.origid;
  if (result.spc !== undefined) verification.spc = result.spc;
  if (result.div !== undefined) {
    const { verstat, reasonCode, reasonText, reasonDesc, hops } = result.div;
    verification.div = { verstat, hops: hops.map((h) => ({ from: h.from, to: h.to })), ...(reasonCode !== undefined ? { reasonCode, reasonText, reasonDesc } : {}) };
  }
  if (result.rcd !== undefined && passed) verification.rcd = result.rcd;
  return {
    attestation: passed ? result.attest : undefined,
    verstat: result.verstat,
    risk: identityRisk(result, rt.history.get(caller.canonical)),
    verification,
    commit() {
      recordOutcome(ctx, rt, caller.canonical, result, now);
      if (result.trace) recordTrace(ctx, rt, result.trace, actor.orgId);
    },
  };
}
