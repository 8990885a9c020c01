import { CallshieldError } from '../errors.js';
import { adviseStage } from './advice.js';
import { sumNgramWeights } from './char-ngrams.js';
import { explainByModel } from './explain-by-model.js';
import { EN_MESSAGE_FEATURE_OPTIONS, MESSAGE_FEATURE_OPTIONS, collectMessageFeatures } from './message-features.js';
import { ZH_CUE_VALUE, collectZhMessageFeatures, unmaskDigits } from './zh-message-features.js';
import { RISK_PARAMS, combineRisk } from './combine-risk.js';
import { blankLegitimacyCues, matchKinOnNewNumber, matchServiceOpening, matchStages } from './match-stages.js';
import { countScripts, detectLang, detectMessageLang, normaliseText } from './normalise-text.js';
import { STAGE_IDS } from './types.js';
import type { Alert, CallSession, CallSessionOptions, FeedResult, Lang, LangModel, MessageLangModel, Mode, Model, Severity, StageId, StageState, Utterance } from './types.js';

/** Risk at or above which a call counts as risky: alerts start, payments treat the callee as at risk. */
export const ALERT_THRESHOLD = 0.5;
export const DEFAULT_MAX_UTTERANCE_CHARS = 2000;
/** Caller characters, with no callee turn yet, after which the call sounds like a recorded message. */
export const MONOLOGUE_CHARS = RISK_PARAMS.monologueChars;

// In a /u regex a valid pair is one code point, so only unpaired halves match.
const LONE_SURROGATE = /[\uD800-\uDFFF]/gu;
const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };
const REQUESTS = new Set<StageId>(['remote-access', 'credential-request', 'money-movement']);

export function createCallSession(opts: CallSessionOptions = {}): CallSession {
  const max = opts.maxUtteranceChars ?? DEFAULT_MAX_UTTERANCE_CHARS;
  if (!Number.isInteger(max) || max < 1) {
    throw new CallshieldError('CONVERSATION_INVALID_UTTERANCE', 'maxUtteranceChars must be a positive integer', { field: 'maxUtteranceChars' });
  }
  if (opts.lang !== undefined && opts.lang !== 'zh' && opts.lang !== 'en') {
    throw new CallshieldError('CONVERSATION_INVALID_UTTERANCE', 'lang must be "zh" or "en"', { field: 'lang' });
  }
  return {
    mode: opts.mode ?? 'call',
    lang: opts.lang,
    maxUtteranceChars: max,
    turns: 0,
    calleeTurns: 0,
    callerChars: 0,
    zhChars: 0,
    enChars: 0,
    tallies: { zh: { sum: 0, count: 0, direct: 0 }, en: { sum: 0, count: 0, direct: 0 } },
    stageOrder: [],
    stageState: {},
    alerted: {},
    alerts: [],
    risk: 0,
    maxRisk: 0,
    lastSeverity: undefined,
    risky: false,
    ended: false,
    claimBeforeRequest: false,
    serviceOpening: false,
    legitimacy: false,
    kinOnNewNumber: false,
  };
}

function isMonologue(session: CallSession): boolean {
  return session.calleeTurns === 0 && session.callerChars >= RISK_PARAMS.monologueChars;
}

function checkUtterance(u: Utterance): void {
  if (u === null || typeof u !== 'object') {
    throw new CallshieldError('CONVERSATION_INVALID_UTTERANCE', 'An utterance must be an object with speaker and text', { field: 'text' });
  }
  if (u.speaker !== 'caller' && u.speaker !== 'callee') {
    throw new CallshieldError('CONVERSATION_INVALID_UTTERANCE', 'speaker must be "caller" or "callee"', { field: 'speaker' });
  }
  if (typeof u.text !== 'string' || u.text.trim() === '') {
    throw new CallshieldError('CONVERSATION_INVALID_UTTERANCE', 'text must be a non-empty string', { field: 'text' });
  }
}

/** The message model of a language in message mode, if the model file has one. */
export function messageModelFor(model: Model, mode: Mode, lang: Lang): MessageLangModel | undefined {
  return mode === 'message' ? model.message?.[lang] : undefined;
}

/** The classifier that scores this mode and language: the message model if any, else the shared one. */
export function langModelFor(model: Model, mode: Mode, lang: Lang): LangModel {
  return messageModelFor(model, mode, lang) ?? model.langs[lang];
}

/** Classifier log-odds of the conversation so far, from the language with the most text. */
export function readModelLogit(model: Model, session: CallSession): { lang: Lang; logit: number | undefined } {
  const lang: Lang = session.tallies.zh.count >= session.tallies.en.count ? 'zh' : 'en';
  const t = session.tallies[lang];
  if (t.count === 0) return { lang, logit: undefined };
  const own = langModelFor(model, session.mode, lang).bias + t.sum / Math.sqrt(t.count) + t.direct;
  const blend = messageModelFor(model, session.mode, lang)?.blend ?? 0;
  const b = session.blendTally;
  if (blend <= 0 || !b || b.count === 0 || lang !== 'en') return { lang, logit: own };
  // An ensemble of the message model and the shared one, each on its own features (docs/conversation.md).
  const shared = model.langs.en.bias + b.sum / Math.sqrt(b.count);
  return { lang, logit: (1 - blend) * own + blend * shared };
}

function severityOf(session: CallSession, stage: StageId): Severity {
  const st = session.stageState[stage];
  let base: Severity = 'warning';
  if (stage === 'remote-access' || (REQUESTS.has(stage) && st?.strength === 2)) base = 'critical';
  else if (stage === 'urgency' || stage === 'impersonation') base = 'info';
  if (session.risk >= 0.9 && base === 'info') base = 'warning';
  const last = session.lastSeverity;
  return last !== undefined && SEVERITY_RANK[last] > SEVERITY_RANK[base] ? last : base;
}

export function feedUtterance(model: Model, session: CallSession, utterance: Utterance): FeedResult {
  if (session.ended) throw new CallshieldError('CONVERSATION_CALL_ENDED', 'The call has ended; start a new session');
  checkUtterance(utterance);
  const turn = session.turns++;
  let raw = utterance.text;
  const truncated = raw.length > session.maxUtteranceChars;
  if (truncated) raw = raw.slice(0, session.maxUtteranceChars);
  // Lone surrogates (bad UTF-8 decoded upstream, or a cut pair) become U+FFFD instead of poisoning
  // the regexes. A Chinese message with its digits masked as x gets them back (zh-message-features.ts).
  let cleaned = raw.replace(LONE_SURROGATE, '\uFFFD');
  if (session.mode === 'message') cleaned = unmaskDigits(cleaned);
  const text = normaliseText(cleaned);

  if (utterance.speaker === 'callee') session.calleeTurns++;
  else session.callerChars += text.length;
  const scripts = countScripts(text);
  session.zhChars += scripts.zh;
  session.enChars += scripts.en;
  const lang = session.mode === 'message' ? detectMessageLang(text, scripts) : detectLang(scripts);
  const messageModel = messageModelFor(model, session.mode, lang);
  const lm = messageModel ?? model.langs[lang];
  const tally = sumNgramWeights(text, lm.ngramMin, lm.ngramMax, lm.weights);
  let direct = 0;
  if (session.mode === 'message') {
    const mask = lm.weights.length - 1;
    if (messageModel && lang === 'zh') {
      // Chinese cues count as they are (see ZH_CUE_VALUE), not diluted by a long message's n-grams.
      for (const i of collectZhMessageFeatures(cleaned, mask)) direct += (lm.weights[i] as number) * ZH_CUE_VALUE;
    } else {
      // The English message model was trained with word features; the shared model (older files) without.
      for (const i of collectMessageFeatures(raw, mask, messageModel ? EN_MESSAGE_FEATURE_OPTIONS : MESSAGE_FEATURE_OPTIONS)) {
        tally.sum += lm.weights[i] as number;
        tally.count++;
      }
      if (messageModel?.blend && lang === 'en') {
        // The shared model reads the same text with its own cues; readModelLogit mixes the two.
        const shared = model.langs.en;
        const st = sumNgramWeights(text, shared.ngramMin, shared.ngramMax, shared.weights);
        for (const i of collectMessageFeatures(raw, shared.weights.length - 1, MESSAGE_FEATURE_OPTIONS)) {
          st.sum += shared.weights[i] as number;
          st.count++;
        }
        const b = (session.blendTally ??= { sum: 0, count: 0, direct: 0 });
        b.sum += st.sum;
        b.count += st.count;
      }
    }
  }
  session.tallies[lang].sum += tally.sum;
  session.tallies[lang].count += tally.count;
  session.tallies[lang].direct += direct;

  const langs = { zh: scripts.zh > 0, en: scripts.en > 0 };
  if (session.turns <= 2 && matchServiceOpening(text, langs)) session.serviceOpening = true;
  const blanked = blankLegitimacyCues(text, langs);
  // Only the caller's word counts: a callee saying "I'll call the number on my card" proves nothing.
  if (blanked !== null && utterance.speaker === 'caller') session.legitimacy = true;
  if (utterance.speaker === 'caller' && matchKinOnNewNumber(text, langs)) session.kinOnNewNumber = true;
  for (const hit of matchStages(blanked ?? text, langs)) {
    // The callee repeating "a safe account?" is evidence the ask happened, but weaker than the ask.
    const strength = utterance.speaker === 'callee' ? 1 : hit.strength;
    const prior = session.stageState[hit.stage];
    const weight = strength === hit.strength ? hit.weight : undefined;
    if (!prior) {
      const state: StageState = { strength, evidence: hit.evidence, firstTurn: turn, speaker: utterance.speaker };
      if (weight !== undefined) state.weight = weight;
      session.stageState[hit.stage] = state;
      session.stageOrder.push(hit.stage);
    } else if (strength > prior.strength || (strength === prior.strength && (weight ?? 0) > (prior.weight ?? 0))) {
      prior.strength = strength;
      prior.evidence = hit.evidence;
      if (weight !== undefined) prior.weight = weight;
      else delete prior.weight;
    }
    if (REQUESTS.has(hit.stage) && strength === 2) {
      const claim = session.stageState.impersonation ?? session.stageState.pretext;
      if (claim && claim.firstTurn <= turn) session.claimBeforeRequest = true;
    }
  }

  const { lang: modelLang, logit } = readModelLogit(model, session);
  session.risk = combineRisk({
    mode: session.mode,
    stageState: session.stageState,
    claimBeforeRequest: session.claimBeforeRequest,
    serviceOpening: session.serviceOpening,
    legitimacy: session.legitimacy,
    kinOnNewNumber: session.kinOnNewNumber,
    monologue: isMonologue(session),
    modelLang,
    modelLogit: logit,
    messageOffset: messageModelFor(model, session.mode, modelLang)?.offset,
  });
  if (session.stageOrder.length === 0 && session.risk >= ALERT_THRESHOLD) {
    // Where the classifier is trusted on its own (a single message, a recorded English monologue,
    // both kinds it was trained on) a confident verdict without any script stage is named a
    // pretext, with the words that weighed most as evidence. In a conversation the classifier
    // alone never raises an alert.
    const trusted = session.mode === 'message' || (modelLang === 'en' && isMonologue(session));
    if (trusted) {
      session.stageState.pretext = { strength: 1, evidence: explainByModel(lm, text, lang), firstTurn: turn, speaker: utterance.speaker };
      session.stageOrder.push('pretext');
    } else {
      session.risk = ALERT_THRESHOLD - 0.01;
    }
  }
  if (session.risk > session.maxRisk) session.maxRisk = session.risk;

  const alerts: Alert[] = [];
  if (session.risk >= ALERT_THRESHOLD) session.risky = true;
  if (session.risky) {
    const pending = session.stageOrder.filter((s) => !session.alerted[s]);
    // Several stages can surface together when the call first turns risky: raise the mildest first
    // so severity never falls within the call.
    const ranked = pending
      .map((stage) => ({ stage, severity: severityOf(session, stage) }))
      .sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || STAGE_IDS.indexOf(a.stage) - STAGE_IDS.indexOf(b.stage));
    // Advice in the language the callee chose, else the language just spoken.
    const alertLang = session.lang ?? lang;
    for (const { stage } of ranked) {
      const st = session.stageState[stage];
      const sev = severityOf(session, stage); // never below the previous alert's
      const alert: Alert = {
        stage,
        severity: sev,
        evidence: st?.evidence ?? '',
        advice: adviseStage(stage, alertLang),
        lang: alertLang,
        turn,
        risk: session.risk,
      };
      session.alerted[stage] = true;
      session.lastSeverity = sev;
      session.alerts.push(alert);
      alerts.push(alert);
    }
  }
  return { risk: session.risk, stages: [...session.stageOrder], alerts, truncated, turn };
}

export interface CallSummary {
  turns: number;
  risk: number;
  maxRisk: number;
  stages: StageId[];
  alerts: Alert[];
  label: 'scam' | 'legit';
}

export function summariseCall(session: CallSession): CallSummary {
  return {
    turns: session.turns,
    risk: session.risk,
    maxRisk: session.maxRisk,
    stages: [...session.stageOrder],
    alerts: [...session.alerts],
    label: session.risky ? 'scam' : 'legit',
  };
}

/** Ends the call: later utterances are refused with CONVERSATION_CALL_ENDED. Returns the summary. */
export function endCall(session: CallSession): CallSummary {
  session.ended = true;
  return summariseCall(session);
}
