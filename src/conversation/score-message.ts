import { createCallSession, feedUtterance } from './stream-session.js';
import type { Alert, Model, StageId } from './types.js';

export interface MessageScore {
  risk: number;
  label: 'scam' | 'legit';
  stages: StageId[];
  alerts: Alert[];
  truncated: boolean;
}

/** One SMS or chat message on its own: the same detector, in message mode, one turn. */
export function scoreMessage(model: Model, text: string, opts: { lang?: 'zh' | 'en'; maxUtteranceChars?: number } = {}): MessageScore {
  const session = createCallSession({ ...opts, mode: 'message' });
  const r = feedUtterance(model, session, { speaker: 'caller', text });
  return { risk: r.risk, label: session.risky ? 'scam' : 'legit', stages: r.stages, alerts: r.alerts, truncated: r.truncated };
}
