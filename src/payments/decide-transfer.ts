import { messageFor } from './messages.js';
import type { AmountHistory, PayeeFlag, Reason, RiskyCallSignal, TransferDecision, TransferSignals } from './types.js';

// Signal weights, in points (docs/payments.md). A confirmed mule account blocks and a suspected one
// holds on their own; everything else adds up and is compared with the thresholds below.
export const WEIGHTS = {
  /** The scam script reached its point: remote access (screen sharing, meeting app) or moving money to a "safe account". */
  stageCritical: 60,
  /** Codes or passwords asked for. */
  stageCredential: 45,
  /** Any other stage of the script (impersonation, pretext, isolation, urgency), or a mark with no stage. */
  stageOther: 30,
  /** The call crossed very high risk (>= VERY_HIGH_RISK) on top of its stage. */
  veryHighRisk: 10,
  /** The app reports the screen is being shared with a stranger right now. */
  screenSharing: 60,
  /** A subscriber reported the payee as the "safe account" a caller gave them. */
  payeeReported: 40,
  firstTimePayee: 15,
  amountFarAbove: 30,
  amountAbove: 20,
} as const;

/** A mark from a call that ended still counts, a little less, for the risky window. */
export const ENDED_CALL_FACTOR = 0.8;
export const VERY_HIGH_RISK = 0.9;
const CRITICAL_STAGES = new Set(['remote-access', 'money-movement']);

export const THRESHOLDS = { hold: 70, confirm: 30 } as const;
/** Guardian mode (elderly or vulnerable subscribers) halves both thresholds, as screening does. */
export const GUARDIAN_FACTOR = 0.5;

/** Amount history needs this many past payments before "far above usual" can be said. */
export const MIN_HISTORY = 3;
export const FAR_ABOVE_RATIO = 10;
export const ABOVE_RATIO = 4;

export const COOLING_OFF_SECONDS = { riskyCall: 600, unusual: 300 } as const;

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function isLive(flag: PayeeFlag, now: number): boolean {
  return flag.expiresAt === undefined || flag.expiresAt > now;
}

function callSignal(call: RiskyCallSignal | undefined, now: number, windowMs: number, reasons: Reason[]): { points: number; kind: 'call' | 'screen' | null } {
  if (!call) return { points: 0, kind: null };
  const recent = call.active || now - call.at <= windowMs;
  if (!recent) return { points: 0, kind: null };
  const factor = call.active ? 1 : ENDED_CALL_FACTOR;
  const minutes = Math.max(0, Math.round((now - call.at) / 60_000));
  const when = call.active ? 'is on a call right now' : `was on a call ${minutes} minute${minutes === 1 ? '' : 's'} ago`;
  let stagePoints: number = WEIGHTS.stageOther;
  const critical = call.stages.find((s) => CRITICAL_STAGES.has(s)) ?? (call.stage && CRITICAL_STAGES.has(call.stage) ? call.stage : undefined);
  if (critical) stagePoints = WEIGHTS.stageCritical;
  else if (call.stages.includes('credential-request') || call.stage === 'credential-request') stagePoints = WEIGHTS.stageCredential;
  if (call.risk >= VERY_HIGH_RISK) stagePoints += WEIGHTS.veryHighRisk;
  const shared = call.screenSharing ? WEIGHTS.screenSharing : 0;
  const stageText = call.stages.length ? ` (script stages: ${call.stages.join(', ')})` : '';
  reasons.push({
    code: call.active ? 'RISKY_CALL_ACTIVE' : 'RISKY_CALL_RECENT',
    text: `The payer ${when} with ${call.caller} that the conversation guard judged risky (${Math.round(call.risk * 100)}%)${stageText}`,
  });
  if (call.screenSharing) {
    reasons.push({ code: 'SCREEN_SHARING', text: `The payer's app reports the screen is shared during a call with ${call.caller}, a stranger` });
  }
  // Screen sharing and a remote-access stage are the same danger seen twice: count the larger.
  const points = Math.round(Math.max(stagePoints, shared) * factor);
  return { points, kind: shared >= stagePoints ? 'screen' : 'call' };
}

function amountSignal(amount: number, history: AmountHistory | undefined, reasons: Reason[]): number {
  if (!history || history.count < MIN_HISTORY) return 0;
  const usual = Math.max(median(history.recent), history.mean > 0 ? history.mean / 2 : 0);
  if (usual <= 0) return 0;
  const ratio = amount / usual;
  if (ratio < ABOVE_RATIO) return 0;
  const far = ratio >= FAR_ABOVE_RATIO;
  reasons.push({
    code: 'AMOUNT_UNUSUAL',
    text: `The amount is ${ratio >= 100 ? Math.round(ratio) : ratio.toFixed(1)} times the payer's usual payment (median ${round2(median(history.recent))} over ${history.count} payments)`,
  });
  return far ? WEIGHTS.amountFarAbove : WEIGHTS.amountAbove;
}

const round2 = (x: number): string => (Math.round(x * 100) / 100).toString();

/**
 * The transfer check: one decision from the payee's flags, the payer's calls and the payer's own
 * history. Pure and synchronous: the caller gathers the signals from memory first.
 */
export function decideTransfer(s: TransferSignals): TransferDecision {
  const reasons: Reason[] = [];
  if (s.payeeFrozen) {
    // Money sent to a frozen account would be stuck or, worse, reach the people the freeze stops.
    reasons.push({ code: 'FREEZE_ACTIVE', text: 'The payee account is under an active police emergency freeze and payment suspension' });
    return { decision: 'block', score: 100, reasons, message: messageFor('frozen', s.language) };
  }
  const flags = s.payeeFlags.filter((f) => isLive(f, s.now));
  const confirmed = flags.find((f) => f.level === 'confirmed');
  if (confirmed) {
    reasons.push({ code: 'PAYEE_CONFIRMED_MULE', text: `The payee account is confirmed by ${confirmed.source} as a fraud (mule) account` });
    return { decision: 'block', score: 100, reasons, message: messageFor('block', s.language) };
  }
  const suspected = flags.find((f) => f.level === 'suspected');
  const reporters = new Set(flags.filter((f) => f.level === 'reported').map((f) => f.reporter ?? f.id));

  let score = 0;
  let hardHold = false;
  if (suspected) {
    hardHold = true;
    reasons.push({ code: 'PAYEE_SUSPECTED', text: `The payee account is flagged as suspected fraud (${suspected.source})` });
  } else if (reporters.size >= 2) {
    // Two different subscribers independently naming the same "safe account" is a suspicion.
    hardHold = true;
    reasons.push({ code: 'PAYEE_SUSPECTED', text: `${reporters.size} subscribers reported the payee account as a "safe account" a caller gave them` });
  } else if (reporters.size === 1) {
    score += WEIGHTS.payeeReported;
    reasons.push({ code: 'PAYEE_REPORTED', text: 'A subscriber reported the payee account as a "safe account" a caller gave them' });
  }

  const call = callSignal(s.riskyCall, s.now, s.riskyWindowMs, reasons);
  score += call.points;
  if (!s.knownPayee) {
    score += WEIGHTS.firstTimePayee;
    reasons.push({ code: 'FIRST_TIME_PAYEE', text: 'The payer has never paid this account before' });
  }
  const amountPoints = amountSignal(s.amount, s.history, reasons);
  score += amountPoints;

  const factor = s.guardianMode ? GUARDIAN_FACTOR : 1;
  if (s.guardianMode) reasons.push({ code: 'GUARDIAN_MODE', text: 'Guardian mode is on for this payer: the thresholds are halved' });
  const holdAt = THRESHOLDS.hold * factor;
  const confirmAt = THRESHOLDS.confirm * factor;

  if (hardHold || score >= holdAt) {
    return { decision: 'hold', score: Math.max(score, hardHold ? THRESHOLDS.hold : 0), reasons, message: messageFor('hold', s.language) };
  }
  if (score >= confirmAt) {
    const byCall = call.points > 0;
    const message = messageFor(call.kind === 'screen' ? 'screenSharing' : byCall ? 'riskyCall' : 'unusual', s.language);
    const base = byCall ? COOLING_OFF_SECONDS.riskyCall : COOLING_OFF_SECONDS.unusual;
    return { decision: 'confirm', score, reasons, message, coolingOffSeconds: s.guardianMode ? base * 2 : base };
  }
  if (s.enrolled === false) {
    reasons.push({ code: 'PAYER_NOT_ENROLLED', text: 'The payer is not enrolled with callshield, so calls and screen sharing could not be checked' });
  }
  if (reasons.length === 0) reasons.push({ code: 'NO_RISK_FOUND', text: 'No risk signal: a known payee, a usual amount, no risky call' });
  return { decision: 'allow', score, reasons };
}
