import { sigmoid } from './logistic-regression.js';
import type { Mode, StageId, StageState } from './types.js';

// Rules and model into one risk. The rule layer is a hand-set log-odds sum: each stage adds its
// weight, and the order of the script (a claim or pretext first, then a request for a code, a
// screen or money) adds a bonus, because that sequence is what separates a scam from a bank
// confirming an address. The classifier adds its own log-odds. For single messages and recorded
// robocall monologues, the kinds of text it was trained on, it leads. In a conversation it is
// gated (capFor): neither model has seen an honest real-world call, so its push is capped by how
// much of the script the rules found. All figures were set on the dev cut of the training split;
// see docs/conversation.md.

export interface RiskParams {
  ruleBias: number;
  weights: Record<StageId, [number, number]>;
  orderBonus: number;
  serviceOpening: number;
  /** Added while a legitimacy cue was heard and no strong request has been (see LEGITIMACY_CUES). */
  legitimacy: number;
  /** The same for a single message, on the whole message: its classifier leads (see scoreLedByModel). */
  messageLegitimacy: number;
  /**
   * The least risk, where the classifier leads (a single message, an English recorded voicemail), of
   * a caller who addresses a parent from a new phone and asks for money: the family-impostor text's
   * whole script (stage-rules.ts, KIN_ON_NEW_NUMBER).
   */
  kinOnNewNumberFloor: number;
  /** How much the classifier's logit counts, per language in call mode and in message mode. */
  modelWeight: { zh: number; en: number; message: number };
  /** Most each classifier may add to a call, by how much of the script the rules found (see capFor). */
  caps: { zh: ModelCaps; en: ModelCaps };
  /** Classifier logit offset per language/mode (calibration). */
  modelOffset: { zh: number; en: number; message: number; monologue: number };
  /** Share of the stage weights that count on top of the classifier for a single message. */
  messageRuleWeight: number;
  /** Which stages count for a message scored by its language's own message model (see messageRuleLogit). */
  messageStages: Record<'zh' | 'en', 'all' | 'requests'>;
  /** Most the English classifier may subtract in a call. */
  englishFloor: number;
  /** Let the classifier lead while an English call is still a one-sided monologue. */
  monologueAsMessage: boolean;
  /** Caller characters, with no callee turn yet, after which an English call counts as a recorded message. */
  monologueChars: number;
}

export const RISK_PARAMS: RiskParams = {
  ruleBias: -4,
  weights: {
    impersonation: [1.0, 1.8],
    pretext: [0.8, 1.8],
    isolation: [1.2, 2.5],
    'remote-access': [0.6, 3.0],
    'credential-request': [0.8, 2.5],
    'money-movement': [0.8, 3.0],
    urgency: [0.5, 1.5],
  },
  orderBonus: 1.5,
  serviceOpening: -1.5,
  legitimacy: -1.5,
  messageLegitimacy: -2,
  kinOnNewNumberFloor: 0.9,
  modelWeight: { zh: 1, en: 0.8, message: 1 },
  caps: { zh: { claim: 1.5, threat: 4, script: 4, request: 99 }, en: { claim: 1, threat: 0, script: 2, request: 3 } },
  modelOffset: { zh: 0, en: 0, message: 1, monologue: 0.5 },
  messageRuleWeight: 0.5,
  messageStages: { zh: 'requests', en: 'all' },
  englishFloor: -2,
  monologueAsMessage: true,
  monologueChars: 200,
};

export interface ModelCaps {
  claim: number;
  /** A claim plus a strong pretext and nothing else strong, in a live call (not a recorded monologue). */
  threat: number;
  script: number;
  request: number;
}

export const REQUEST_STAGES: readonly StageId[] = ['remote-access', 'credential-request', 'money-movement', 'isolation'];

export interface RiskInput {
  mode: Mode;
  stageState: Partial<Record<StageId, StageState>>;
  claimBeforeRequest: boolean;
  serviceOpening: boolean;
  /** The caller gave a legitimacy cue (official channel, "we never ask for your code"). */
  legitimacy?: boolean;
  /** The caller addressed a parent, or claimed to be their child, from a new or borrowed phone. */
  kinOnNewNumber?: boolean;
  modelLang: 'zh' | 'en';
  /** Only the caller has spoken so far, at length (see MONOLOGUE_CHARS in stream-session.ts). */
  monologue: boolean;
  /** Classifier logit on the conversation so far, or undefined before any text. */
  modelLogit: number | undefined;
  /** Calibrated offset of the language's own message model, replacing modelOffset.message. */
  messageOffset?: number | undefined;
}

/** Log-odds of the rule layer alone. */
export function scoreRules(input: RiskInput, p: RiskParams = RISK_PARAMS): number {
  let z = p.ruleBias;
  for (const [stage, st] of Object.entries(input.stageState) as [StageId, StageState][]) {
    z += st.weight ?? (p.weights[stage][st.strength - 1] as number);
  }
  if (input.claimBeforeRequest) z += p.orderBonus;
  if (input.serviceOpening) z += p.serviceOpening;
  // A caller who sends you to the official channel and then asks for the code anyway is a scammer
  // reciting the warning: the cue counts only while no strong request has been heard.
  if (input.legitimacy && !hasStrongRequest(input.stageState)) z += p.legitimacy;
  return z;
}

export function hasStrongRequest(stageState: Partial<Record<StageId, StageState>>): boolean {
  return REQUEST_STAGES.some((s) => stageState[s]?.strength === 2);
}

// How far the classifier may push, by how much of the script the rules have seen: a claim alone
// ("this is your bank", "这里是快递公司") gets little help, a claim plus a strong threat or call to
// act gets more, and a strong request (code, screen, money, secrecy) after a claim or pretext gets
// the most. Both classifiers need this: the English one never saw an English conversation, and the
// Chinese one learnt from synthetic dialogues in which any bank or parcel opening was a scam.
// A recorded message (one long caller monologue, nobody answering yet) counts like a second stage:
// robocalls are exactly that, while a live agent opens with a line and waits.
function capFor(stageState: Partial<Record<StageId, StageState>>, caps: ModelCaps, monologue: boolean): number {
  // An agent asking for a card number to take a payment is a strong request too; only with a claim
  // or a pretext around it is it the script.
  if (hasStrongRequest(stageState) && (stageState.impersonation || stageState.pretext)) return caps.request;
  const stages = Object.entries(stageState) as [StageId, StageState][];
  const strongBeyondClaim = stages.some(([s, st]) => s !== 'impersonation' && st.strength === 2);
  const strongBeyondThreat = stages.some(([s, st]) => s !== 'impersonation' && s !== 'pretext' && st.strength === 2);
  if (strongBeyondClaim && (stages.length >= 2 || monologue)) return strongBeyondThreat || monologue ? caps.script : caps.threat;
  return caps.claim;
}

/**
 * What the stages add to a message led by the classifier. 'all': every stage seen. 'requests': only
 * a strong request (a code, a screen, money, secrecy) and the claim-then-request order: a Chinese
 * news line or post names 法院, 投资 or 犯罪 as often as a fraud text does, but never asks for
 * anything.
 */
export function messageRuleLogit(input: RiskInput, zr: number, p: RiskParams): number {
  const which = input.messageOffset !== undefined ? p.messageStages[input.modelLang] : 'all';
  if (which === 'all') return p.messageRuleWeight * (zr - p.ruleBias);
  let z = 0;
  for (const s of REQUEST_STAGES) {
    const st = input.stageState[s];
    if (st?.strength === 2) z += st.weight ?? (p.weights[s][1] as number);
  }
  if (input.claimBeforeRequest) z += p.orderBonus;
  return p.messageRuleWeight * z;
}

// A message that sends its reader to the official channel or promises never to ask for a code, and
// asks for nothing strong itself, is how a bank's one-time-code text or card alert reads: the cue
// counts on the whole message, since the classifier that leads learnt from 2011 SMS whose ham holds
// almost no such notices (docs/conversation.md, "Fifth round"). A scam text that recites the
// warning and then asks for the code, a screen or money gains nothing, as in a call.
function scoreLedByModel(input: RiskInput, zr: number, offset: number, p: RiskParams): number {
  const zm = input.modelLogit === undefined ? 0 : input.modelLogit + offset;
  const cue = input.mode === 'message' && input.legitimacy && !hasStrongRequest(input.stageState) ? p.messageLegitimacy : 0;
  const risk = sigmoid(zm * p.modelWeight.message + messageRuleLogit(input, zr, p) + cue);
  // "Hi mum, this is my new number … can you send me £250": the classifier learnt from 2011 texts,
  // where a child's chatty message is ham, so it cannot outvote the impostor's whole script.
  return input.kinOnNewNumber && input.stageState['money-movement'] ? Math.max(risk, p.kinOnNewNumberFloor) : risk;
}

function scoreLedByRules(input: RiskInput, zr: number, p: RiskParams): number {
  if (input.modelLogit === undefined) return sigmoid(zr);
  const key = input.modelLang;
  let zm = (input.modelLogit + p.modelOffset[key]) * p.modelWeight[key];
  zm = Math.min(zm, capFor(input.stageState, p.caps[key], input.monologue));
  // Floored too, so the English model cannot talk a call with a full script out of an alert.
  if (key === 'en') zm = Math.max(p.englishFloor, zm);
  return sigmoid(zr + zm);
}

export function combineRisk(input: RiskInput, p: RiskParams = RISK_PARAMS): number {
  const zr = scoreRules(input, p);
  // A single message: the classifier was trained on exactly this kind of text, so it leads, and the
  // stages add their evidence on top (without the rule layer's prior).
  if (input.mode === 'message') return scoreLedByModel(input, zr, input.messageOffset ?? p.modelOffset.message, p);
  const byRules = scoreLedByRules(input, zr, p);
  // A recorded English monologue is what the classifier learnt robocalls from: let it lead too, as
  // a second route to an alert, never as a veto over the rules.
  // An agent's inbound service opening ("thank you for calling") is not a recorded message.
  if (input.monologue && !input.serviceOpening && input.modelLang === 'en' && p.monologueAsMessage) {
    return Math.max(byRules, scoreLedByModel(input, zr, p.modelOffset.monologue, p));
  }
  return byRules;
}
