// Plain data shapes of the conversation guard. The HTTP layer and the payments part read these.

export type Speaker = 'caller' | 'callee';
export type Lang = 'zh' | 'en';
export type Severity = 'info' | 'warning' | 'critical';
export type StageId =
  | 'impersonation'
  | 'pretext'
  | 'isolation'
  | 'remote-access'
  | 'credential-request'
  | 'money-movement'
  | 'urgency';

export const STAGE_IDS: readonly StageId[] = [
  'impersonation',
  'pretext',
  'isolation',
  'remote-access',
  'credential-request',
  'money-movement',
  'urgency',
];

export interface Utterance {
  speaker: Speaker;
  text: string;
  at?: string;
}

export interface Alert {
  stage: StageId;
  severity: Severity;
  /** The words that triggered the stage, as heard (after normalisation). */
  evidence: string;
  /** What the callee should do, in the callee's language. */
  advice: string;
  lang: Lang;
  /** 0-based index of the utterance that raised this alert. */
  turn: number;
  risk: number;
}

export interface FeedResult {
  risk: number;
  stages: StageId[];
  alerts: Alert[];
  truncated: boolean;
  turn: number;
}

/** 1 = a mention that fits the script but also ordinary talk; 2 = a phrase that is the script. */
export type Strength = 1 | 2;

export interface StageHit {
  stage: StageId;
  strength: Strength;
  evidence: string;
  /** Log-odds this hit adds, when a phrase is surer than its stage's usual strong weight. */
  weight?: number;
}

/** How the call is carried: a conversation (call, chat) or one stand-alone message (SMS). */
export type Mode = 'call' | 'message';

export interface CallSessionOptions {
  lang?: Lang;
  maxUtteranceChars?: number;
  mode?: Mode;
}

export interface StageState {
  strength: Strength;
  evidence: string;
  /** Turn at which the stage was first seen. */
  firstTurn: number;
  speaker: Speaker;
  weight?: number;
}

/**
 * Running evidence for one language model: sum of n-gram weights and number of n-grams seen (their
 * logit is sum / sqrt(count)), plus whole-message cues that count as they are, whatever the length.
 */
export interface NgramTally {
  sum: number;
  count: number;
  direct: number;
}

/** One call's mutable state: plain data, no closures, so it can be inspected or serialised. */
export interface CallSession {
  mode: Mode;
  /** Language the caller chose up front; undefined means follow the utterances. */
  lang: Lang | undefined;
  maxUtteranceChars: number;
  turns: number;
  calleeTurns: number;
  callerChars: number;
  /** Characters seen per script, to pick the callee's language for advice. */
  zhChars: number;
  enChars: number;
  tallies: { zh: NgramTally; en: NgramTally };
  stageOrder: StageId[];
  stageState: Partial<Record<StageId, StageState>>;
  alerted: Partial<Record<StageId, true>>;
  alerts: Alert[];
  risk: number;
  maxRisk: number;
  lastSeverity: Severity | undefined;
  /** Whether the call has crossed the alert threshold (alerts are only raised from then on). */
  risky: boolean;
  ended: boolean;
  /** Set when a claim or pretext came before a request: the order of the script. */
  claimBeforeRequest: boolean;
  /** An inbound-service opening ("thank you for calling") heard from the agent. */
  serviceOpening: boolean;
  /** A legitimacy cue heard from the caller ("call the number on the back of your card", 官方App里缴纳). */
  legitimacy: boolean;
  /** The caller addressed a parent or claimed to be their child, from a new or borrowed phone (KIN_ON_NEW_NUMBER). */
  kinOnNewNumber: boolean;
  /**
   * Message mode with a blended message model (MessageLangModel.blend): the shared model's running
   * n-gram tally of the same text, mixed into the message model's logit.
   */
  blendTally?: NgramTally;
}

export interface LangModel {
  ngramMin: number;
  ngramMax: number;
  bias: number;
  /** Dense weights over the hashed feature space (mask = weights.length - 1). */
  weights: Float32Array;
}

/** A classifier for stand-alone messages of one language, with its calibrated logit offset. */
export interface MessageLangModel extends LangModel {
  /** Added to the logit in message mode; chosen on data the model was not trained on. */
  offset: number;
  /**
   * Share (0..1) of the shared model's logit (langs[lang], with its own message cues) mixed into this
   * model's: logit = (1 − blend) · own + blend · shared. Absent or 0: this model alone.
   */
  blend?: number;
}

export interface Model {
  version: number;
  dims: number;
  langs: { zh: LangModel; en: LangModel };
  /**
   * Message-mode classifiers, where a language has its own (Chinese: the call model has only seen
   * phone calls). Languages without one score messages with their entry in langs.
   */
  message?: Partial<Record<Lang, MessageLangModel>>;
}
