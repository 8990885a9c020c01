import { matchStages } from './match-stages.js';
import { countScripts, detectLang, normaliseText } from './normalise-text.js';
import { sigmoid } from './logistic-regression.js';
import { ALERT_THRESHOLD, createCallSession, feedUtterance, readModelLogit } from './stream-session.js';
import type { Conversation } from './parse-dataset.js';
import type { Lang, Model } from './types.js';

// Replays labelled conversations through the streaming detector exactly as a live call would be
// fed, and scores the result. A conversation is predicted scam iff some utterance raised an alert,
// which is the same as its maximum risk reaching ALERT_THRESHOLD.

export interface Metrics {
  n: number;
  scam: number;
  legit: number;
  tp: number;
  fp: number;
  precision: number | null;
  recall: number | null;
  f1: number | null;
  fpr: number | null;
}

export interface EvalItem {
  id: string;
  label: 'scam' | 'legit';
  predicted: 'scam' | 'legit';
  risk: number;
  firstAlertTurn: number | null;
  lang: Lang;
  /** The row's kind as given ("call", "sms", "chat", …); "call" when missing. */
  kind: string;
  category: string;
  /** First caller turn with a strong credential or money request, null if none. */
  requestTurn: number | null;
  turns: number;
}

export interface EarlyWarning {
  /** Scam conversations considered (every kind but sms). */
  scamCalls: number;
  /** Of those, how many had a caller turn with a strong credential or money request. */
  withRequest: number;
  /** Share alerted at or before the first request (or, without one, before the midpoint). */
  beforeRequest: number | null;
  /** Share alerted within the first half of their utterances (firstAlertTurn < turns / 2). */
  firstHalf: number | null;
  /** Median 0-based utterance index of the first alert, over alerted scam calls. */
  medianFirstAlertTurn: number | null;
  /** Median of firstAlertTurn / turns, over alerted scam calls. */
  medianFirstAlertFraction: number | null;
}

export interface EvalReport {
  overall: Metrics;
  byLang: Record<string, Metrics>;
  byKind: Record<string, Metrics>;
  byCategory: Record<string, Metrics>;
  earlyWarning: EarlyWarning;
  threshold: number;
  items: EvalItem[];
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}

export function computeMetrics(items: EvalItem[]): Metrics {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (const it of items) {
    if (it.label === 'scam') it.predicted === 'scam' ? tp++ : fn++;
    else it.predicted === 'scam' ? fp++ : tn++;
  }
  const precision = tp + fp > 0 ? tp / (tp + fp) : null;
  const recall = tp + fn > 0 ? tp / (tp + fn) : null;
  // Undefined (null) without any scam row; 0 when there are scams and none was caught.
  const f1 = recall === null ? null : precision !== null && precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  const fpr = fp + tn > 0 ? fp / (fp + tn) : null;
  const r = (x: number | null): number | null => (x === null ? null : round(x));
  return { n: items.length, scam: tp + fn, legit: fp + tn, tp, fp, precision: r(precision), recall: r(recall), f1: r(f1), fpr: r(fpr) };
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

function languageOf(c: Conversation): Lang {
  if (c.lang === 'zh' || c.lang === 'en') return c.lang;
  return detectLang(countScripts(normaliseText(c.turns.map((t) => t.text).join(' '))));
}

function findRequestTurn(c: Conversation): number | null {
  for (let i = 0; i < c.turns.length; i++) {
    const t = c.turns[i] as Conversation['turns'][number];
    if (t.speaker !== 'caller') continue;
    const text = normaliseText(t.text);
    const s = countScripts(text);
    const hit = matchStages(text, { zh: s.zh > 0, en: s.en > 0 }).some(
      (h) => h.strength === 2 && (h.stage === 'credential-request' || h.stage === 'money-movement'),
    );
    if (hit) return i;
  }
  return null;
}

/**
 * guard: the detector as shipped (rules + gated classifier). model-only: the bare character n-gram
 * classifier on the conversation so far, alerting when its probability reaches 0.5 — the plain
 * baseline the guard has to beat, measured on the same replay.
 */
export type Scorer = 'guard' | 'model-only';

export function replayConversation(model: Model, c: Conversation, scorer: Scorer = 'guard'): EvalItem {
  const kind = c.kind === undefined || c.kind === '' ? 'call' : c.kind;
  // A stand-alone text is scored as a message; a back-and-forth thread (chat) as a conversation.
  const session = createCallSession({ mode: kind === 'sms' && c.turns.length === 1 ? 'message' : 'call' });
  let firstAlertTurn: number | null = null;
  let maxRisk = 0;
  c.turns.forEach((t, i) => {
    if (t.text.trim() === '') {
      session.turns++; // keep turn numbers aligned with the file's indices
      return;
    }
    const r = feedUtterance(model, session, t);
    if (scorer === 'model-only') {
      const { logit } = readModelLogit(model, session);
      const p = logit === undefined ? 0 : sigmoid(logit);
      if (p > maxRisk) maxRisk = p;
      if (firstAlertTurn === null && p >= 0.5) firstAlertTurn = i;
      return;
    }
    if (r.risk > maxRisk) maxRisk = r.risk;
    if (firstAlertTurn === null && r.alerts.length > 0) firstAlertTurn = i;
  });
  return {
    id: c.id,
    label: c.label,
    predicted: firstAlertTurn !== null ? 'scam' : 'legit',
    risk: round(maxRisk),
    firstAlertTurn,
    lang: languageOf(c),
    kind,
    category: c.category,
    requestTurn: kind !== 'sms' && c.label === 'scam' ? findRequestTurn(c) : null,
    turns: c.turns.length,
  };
}

function groupBy(items: EvalItem[], key: (it: EvalItem) => string): Record<string, Metrics> {
  const groups = new Map<string, EvalItem[]>();
  for (const it of items) {
    const k = key(it);
    const g = groups.get(k);
    if (g) g.push(it);
    else groups.set(k, [it]);
  }
  return Object.fromEntries([...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, g]) => [k, computeMetrics(g)]));
}

export function computeEarlyWarning(items: EvalItem[]): EarlyWarning {
  const scams = items.filter((it) => it.kind !== 'sms' && it.label === 'scam');
  const alerted = scams.filter((it) => it.firstAlertTurn !== null);
  let before = 0;
  let firstHalf = 0;
  for (const it of alerted) {
    const at = it.firstAlertTurn as number;
    if (at < it.turns / 2) firstHalf++;
    if (it.requestTurn !== null ? at <= it.requestTurn : at < it.turns / 2) before++;
  }
  const share = (k: number): number | null => (scams.length > 0 ? round(k / scams.length) : null);
  return {
    scamCalls: scams.length,
    withRequest: scams.filter((it) => it.requestTurn !== null).length,
    beforeRequest: share(before),
    firstHalf: share(firstHalf),
    medianFirstAlertTurn: median(alerted.map((it) => it.firstAlertTurn as number)),
    medianFirstAlertFraction: (() => {
      const m = median(alerted.map((it) => (it.firstAlertTurn as number) / it.turns));
      return m === null ? null : round(m);
    })(),
  };
}

export function evaluateConversations(model: Model, conversations: Conversation[], scorer: Scorer = 'guard'): EvalReport {
  const items = conversations.map((c) => replayConversation(model, c, scorer));
  return {
    overall: computeMetrics(items),
    byLang: groupBy(items, (it) => it.lang),
    byKind: groupBy(items, (it) => it.kind),
    byCategory: groupBy(items, (it) => `${it.lang}/${it.kind}/${it.category || '-'}`),
    earlyWarning: computeEarlyWarning(items),
    threshold: ALERT_THRESHOLD,
    items,
  };
}
