import { CallshieldError } from '../errors.js';
import type { Speaker } from './types.js';

// The conversation format of shared/data/README.md, read leniently where a field is optional
// (category, lang, kind) and strictly where the replay needs it (id, label, turns).
export interface Conversation {
  id: string;
  lang: string | undefined;
  kind: string | undefined;
  label: 'scam' | 'legit';
  category: string;
  turns: { speaker: Speaker; text: string }[];
  /** 1-based line number in the source file. */
  line: number;
}

function fail(line: number, detail: string, field?: string): never {
  throw new CallshieldError('CONVERSATION_INVALID_DATASET', `line ${line}: ${detail}`, { field: field ?? `line ${line}`, extra: { line } });
}

export function parseConversationLine(text: string, line: number): Conversation {
  let row: unknown;
  try {
    row = JSON.parse(text);
  } catch {
    fail(line, 'not valid JSON');
  }
  if (row === null || typeof row !== 'object' || Array.isArray(row)) fail(line, 'expected a JSON object');
  const r = row as Record<string, unknown>;
  const id = typeof r.id === 'string' || typeof r.id === 'number' ? String(r.id) : fail(line, 'missing "id"', 'id');
  if (r.label !== 'scam' && r.label !== 'legit') fail(line, '"label" must be "scam" or "legit"', 'label');
  if (!Array.isArray(r.turns) || r.turns.length === 0) fail(line, '"turns" must be a non-empty array', 'turns');
  const turns = r.turns.map((t: unknown, i: number) => {
    const tt = t as Record<string, unknown> | null;
    if (tt === null || typeof tt !== 'object') fail(line, `turn ${i} is not an object`, `turns.${i}`);
    const speaker = tt.speaker === 'callee' ? 'callee' : tt.speaker === 'caller' || tt.speaker === undefined ? 'caller' : fail(line, `turn ${i}: unknown speaker`, `turns.${i}.speaker`);
    if (typeof tt.text !== 'string') fail(line, `turn ${i}: "text" must be a string`, `turns.${i}.text`);
    return { speaker: speaker as Speaker, text: tt.text };
  });
  return {
    id,
    lang: typeof r.lang === 'string' ? r.lang : undefined,
    kind: typeof r.kind === 'string' ? r.kind : undefined,
    label: r.label,
    category: typeof r.category === 'string' ? r.category : '',
    turns,
    line,
  };
}

/** Every non-blank line of a .jsonl text; the first malformed line throws with its number. */
export function parseConversations(text: string): Conversation[] {
  const out: Conversation[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = (lines[i] as string).trim();
    if (l === '') continue;
    out.push(parseConversationLine(l, i + 1));
  }
  return out;
}
