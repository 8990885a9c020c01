import { RISK_PARAMS } from './combine-risk.js';
import { createCallSession, feedUtterance, messageModelFor, readModelLogit } from './stream-session.js';
import type { Conversation } from './parse-dataset.js';
import type { Lang, Model } from './types.js';

// Chooses the logit offset of a message model: the threshold of the message path, set so that at
// most a given share of legitimate messages alerts. It must be run on messages the model was not
// trained on (for Chinese: the calibration part of a labelled SMS sample, see docs/conversation.md),
// and the figures it returns are calibration figures, not a blind test.

export interface MessageCalibration {
  lang: Lang;
  offset: number;
  targetFpr: number;
  legit: number;
  scam: number;
  /** Legitimate and scam messages that alert at the chosen offset. */
  fp: number;
  tp: number;
}

interface Scored {
  label: 'scam' | 'legit';
  /** Log-odds of the message's risk with offset 0; shifts with the offset when shifts is true. */
  z: number;
  shifts: boolean;
}

function logit(p: number): number {
  const q = Math.min(1 - 1e-15, Math.max(1e-15, p));
  return Math.log(q / (1 - q));
}

function scoreAtZero(model: Model, lang: Lang, c: Conversation): Scored | undefined {
  const text = c.turns.map((t) => t.text).join(' ');
  if (text.trim() === '') return undefined;
  const session = createCallSession({ mode: 'message' });
  const r = feedUtterance(model, session, { speaker: 'caller', text });
  const { lang: used } = readModelLogit(model, session);
  return { label: c.label, z: logit(r.risk), shifts: used === lang && messageModelFor(model, 'message', used) !== undefined };
}

/** A copy of the model whose message model for lang has the given offset. */
export function withMessageOffset(model: Model, lang: Lang, offset: number): Model {
  const m = model.message?.[lang];
  if (!m) throw new Error(`the model has no ${lang} message model`);
  return { ...model, message: { ...model.message, [lang]: { ...m, offset } } };
}

/**
 * The largest offset (most messages caught) at which at most floor(targetFpr × legit) legitimate
 * messages alert, halfway between the last legit score let through and the next, floored to 1/1000.
 */
export function calibrateMessageOffset(model: Model, lang: Lang, rows: Conversation[], targetFpr: number): MessageCalibration {
  const zero = withMessageOffset(model, lang, 0);
  const scored = rows.map((c) => scoreAtZero(zero, lang, c)).filter((s): s is Scored => s !== undefined);
  const legit = scored.filter((s) => s.label === 'legit');
  const w = RISK_PARAMS.modelWeight.message;
  const fixedFp = legit.filter((s) => !s.shifts && s.z >= 0).length;
  const zs = legit
    .filter((s) => s.shifts)
    .map((s) => s.z)
    .sort((a, b) => b - a);
  const allowed = Math.floor(targetFpr * legit.length) - fixedFp;
  let offset: number;
  if (zs.length === 0) offset = 0;
  else if (allowed <= 0) offset = -((zs[0] as number) + 0.5) / w;
  else if (allowed >= zs.length) offset = -((zs[zs.length - 1] as number) - 0.5) / w;
  else offset = -((zs[allowed - 1] as number) + (zs[allowed] as number)) / 2 / w;
  offset = Math.floor(offset * 1000) / 1000;
  const alerts = (s: Scored): boolean => (s.shifts ? s.z + offset * w : s.z) >= 0;
  return {
    lang,
    offset,
    targetFpr,
    legit: legit.length,
    scam: scored.length - legit.length,
    fp: legit.filter(alerts).length,
    tp: scored.filter((s) => s.label === 'scam' && alerts(s)).length,
  };
}
