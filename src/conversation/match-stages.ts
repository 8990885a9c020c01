import { KIN_ON_NEW_NUMBER, LEGITIMACY_CUES, SERVICE_OPENING, STAGE_RULES } from './stage-rules.js';
import type { Lang, StageHit, StageId, Strength } from './types.js';

interface CompiledRule {
  stage: StageId;
  strength: Strength;
  re: RegExp;
  weight: number | undefined;
}

// Compiled once at import: one alternation per stage, strength and language, strongest first, so
// an utterance costs about 15 regex scans per language present in it.
function compileRules(lang: Lang): CompiledRule[] {
  return STAGE_RULES.filter((r) => r.lang === lang)
    .sort((a, b) => b.strength - a.strength || (b.weight ?? 0) - (a.weight ?? 0))
    .map((r) => ({ stage: r.stage, strength: r.strength, re: new RegExp(r.patterns.join('|'), 'u'), weight: r.weight }));
}

const compiled: Record<Lang, CompiledRule[]> = { zh: compileRules('zh'), en: compileRules('en') };
const openings: Record<Lang, RegExp> = {
  zh: new RegExp(SERVICE_OPENING.zh, 'u'),
  en: new RegExp(SERVICE_OPENING.en, 'u'),
};

// "Never share your code", "请不要把密码告诉任何人": the honest warning uses the scammer's words.
// A request stage preceded closely by a negation is advice, not a request.
const NEGATED: Record<Lang, RegExp> = {
  zh: /(?:不要|别|不会|绝不|请勿|切勿|不能|不可以|从不|不得|不)[^,。!?;]{0,4}$/u,
  en: /\b(?:don'?t|do not|never|won'?t|will not|not|nobody will)\b[^.?!;]{0,25}$/u,
};
const NEGATABLE = new Set<StageId>(['remote-access', 'credential-request', 'money-movement']);

/** Stages heard in one normalised utterance: at most one hit per stage, the strongest. */
export function matchStages(text: string, langs: { zh: boolean; en: boolean }): StageHit[] {
  const hits: StageHit[] = [];
  for (const lang of ['zh', 'en'] as const) {
    if (!langs[lang]) continue;
    for (const rule of compiled[lang]) {
      const m = rule.re.exec(text);
      if (!m) continue;
      if (NEGATABLE.has(rule.stage) && NEGATED[lang].test(text.slice(Math.max(0, m.index - 30), m.index))) continue;
      const prior = hits.find((h) => h.stage === rule.stage);
      if (prior && prior.strength >= rule.strength) continue;
      const hit: StageHit = { stage: rule.stage, strength: rule.strength, evidence: m[0] };
      if (rule.weight !== undefined) hit.weight = rule.weight;
      if (prior) hits[hits.indexOf(prior)] = hit;
      else hits.push(hit);
    }
  }
  return hits;
}

export function matchServiceOpening(text: string, langs: { zh: boolean; en: boolean }): boolean {
  return (langs.zh && openings.zh.test(text)) || (langs.en && openings.en.test(text));
}

const legitimacy: Record<Lang, RegExp> = {
  zh: new RegExp(LEGITIMACY_CUES.zh, 'gu'),
  en: new RegExp(LEGITIMACY_CUES.en, 'gu'),
};

/**
 * The utterance with its legitimacy cues blanked out, or null when it has none. The cue's own words
 * are not a request: "call the number on the back of your card" names the card number, and
 * "we never ask for your code" names the code.
 */
export function blankLegitimacyCues(text: string, langs: { zh: boolean; en: boolean }): string | null {
  let out = text;
  for (const lang of ['zh', 'en'] as const) {
    if (langs[lang]) out = out.replace(legitimacy[lang], (m) => ' '.repeat(m.length));
  }
  return out === text ? null : out;
}

const kinOnNewNumber: Record<Lang, RegExp> = {
  zh: new RegExp(KIN_ON_NEW_NUMBER.zh, 'u'),
  en: new RegExp(KIN_ON_NEW_NUMBER.en, 'u'),
};

/** Whether a normalised utterance addresses a parent (or claims to be their child) from a new or borrowed phone. */
export function matchKinOnNewNumber(text: string, langs: { zh: boolean; en: boolean }): boolean {
  return (langs.zh && kinOnNewNumber.zh.test(text)) || (langs.en && kinOnNewNumber.en.test(text));
}
