// Rendering at the edge: the domain's codes and English wording → the reader's language. Every
// translation is cached per language and English text (screening shows the same few thousand
// labels and reasons millions of times), so a hot path pays one Map look-up per text.
import type { CallshieldError, ErrorCode } from '../errors.js';
import { en } from './messages/en.js';
import { zhCN } from './messages/zh-CN.js';
import { zhTW } from './messages/zh-TW.js';
import { REASON_PATTERNS } from './reasons.js';
import type { Locale, Messages, Nested } from './types.js';

export const CATALOGUES: Readonly<Record<Locale, Messages>> = { en, 'zh-CN': zhCN, 'zh-TW': zhTW };

export function messages(locale: Locale): Messages {
  return CATALOGUES[locale];
}

/** The language the domain writes in: its texts go out as they are. */
export const SOURCE_LOCALE: Locale = 'en';

const MAX_CACHE = 20_000;

function cached(map: Map<string, string>, key: string, make: () => string): string {
  let v = map.get(key);
  if (v === undefined) {
    v = make();
    if (map.size >= MAX_CACHE) map.clear();
    map.set(key, v);
  }
  return v;
}

interface LocaleCaches {
  /** code → English text → rendered (no key concatenation on the hot path: the texts are shared strings). */
  reasons: Map<string, Map<string, string>>;
  labels: Map<string, string>;
  texts: Map<string, string>;
}
const caches: Record<Locale, LocaleCaches> = {
  en: { reasons: new Map(), labels: new Map(), texts: new Map() },
  'zh-CN': { reasons: new Map(), labels: new Map(), texts: new Map() },
  'zh-TW': { reasons: new Map(), labels: new Map(), texts: new Map() },
};

function nested(m: Messages): Nested {
  const pick = (table: Readonly<Record<string, string>>) => (v: string) => table[v] ?? v;
  return {
    category: (v) => (m.labels.category as Record<string, string>)[v] ?? v,
    source: pick(m.vocab.source),
    stages: (list) => list.split(/,\s*/).map((s) => (m.vocab.stage as Record<string, string>)[s] ?? s).join(m.vocab.listSeparator),
    use: pick(m.vocab.use),
    level: pick(m.vocab.level),
    action: pick(m.vocab.action),
    attest: pick(m.vocab.attest),
    label: (text) => renderLabel(text, m.locale),
  };
}
const NESTED: Record<Locale, Nested> = { en: nested(en), 'zh-CN': nested(zhCN), 'zh-TW': nested(zhTW) };

/** A reason's English text (for its code) in the reader's language; unknown wording stays as it is. */
export function renderReason(code: string, text: string, locale: Locale): string {
  if (locale === SOURCE_LOCALE) return text;
  const patterns = REASON_PATTERNS[code];
  if (patterns === undefined) return text;
  let byText = caches[locale].reasons.get(code);
  if (byText === undefined) caches[locale].reasons.set(code, (byText = new Map()));
  return cached(byText, text, () => {
    const renders = CATALOGUES[locale].reasons[code];
    for (let i = 0; i < patterns.length; i++) {
      const m = patterns[i]!.exec(text);
      const render = renders?.[i];
      if (m && render) return render(m.groups ?? {}, NESTED[locale]);
    }
    return text;
  });
}

// A label is parts joined by " · ": a category or one of the fixed labels, "poses as <org>",
// "<n> reports", "police list" (src/reputation/label.ts); or a name with a suffix (screening).
const POSES_AS = /^poses as (.+)$/;
const N_REPORTS = /^(\d+) reports?$/;
const VERIFIED = /^(.+) \(verified\)$/;
const SIGNED_NAME = /^(.+) \(name signed by the caller's carrier\)$/;

function fixedLabels(m: Messages): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(en.labels.category)) out.set(v, (m.labels.category as Record<string, string>)[k]!);
  out.set(en.labels.confirmedFraud, m.labels.confirmedFraud);
  out.set(en.labels.noReports, m.labels.noReports);
  out.set(en.labels.contact, m.labels.contact);
  out.set(en.labels.pinnedBusiness, m.labels.pinnedBusiness);
  out.set(en.labels.unknownCaller, m.labels.unknownCaller);
  out.set(en.labels.unverifiedCallerId, m.labels.unverifiedCallerId);
  out.set(en.labels.numberWithheld, m.labels.numberWithheld);
  out.set(en.labels.policeList, m.labels.policeList);
  return out;
}
const FIXED_LABELS: Record<Locale, Map<string, string>> = { en: fixedLabels(en), 'zh-CN': fixedLabels(zhCN), 'zh-TW': fixedLabels(zhTW) };

/** A decision's or reputation's label in the reader's language. */
export function renderLabel(text: string, locale: Locale): string {
  if (locale === SOURCE_LOCALE) return text;
  return cached(caches[locale].labels, text, () => {
    const m = CATALOGUES[locale];
    const fixed = FIXED_LABELS[locale];
    const whole = fixed.get(text);
    if (whole !== undefined) return whole;
    let g = SIGNED_NAME.exec(text);
    if (g) return m.labels.signedName(g[1]!);
    g = VERIFIED.exec(text);
    if (g) return m.labels.verified(g[1]!);
    return text
      .split(en.labels.separator)
      .map((part) => {
        const f = fixed.get(part);
        if (f !== undefined) return f;
        const poses = POSES_AS.exec(part);
        if (poses) return m.labels.posesAs(poses[1]!);
        const reports = N_REPORTS.exec(part);
        if (reports) return m.labels.reports(Number(reports[1]));
        return part;
      })
      .join(m.labels.separator);
  });
}

// Advice and messages are whole fixed texts (the domain may already have written them in Chinese,
// from a subscriber's or session's language): any language's text → its key → the reader's text.
type TextKey = { section: 'screening' | 'stage' | 'customer' | 'guardian'; key: string; pattern?: RegExp };
const TEXT_KEYS = new Map<string, TextKey>();
const TEXT_PATTERNS: TextKey[] = [];
for (const m of Object.values(CATALOGUES)) {
  for (const section of ['screening', 'stage', 'customer', 'guardian'] as const) {
    for (const [key, text] of Object.entries(m.advice[section] as Record<string, string>)) {
      if (text.includes('{name}')) {
        const [before, after] = text.split('{name}') as [string, string];
        const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        TEXT_PATTERNS.push({ section, key, pattern: new RegExp(`^${esc(before)}(.+?)${esc(after)}$`) });
      } else TEXT_KEYS.set(text, { section, key });
    }
  }
}

/** A piece of advice or a customer message, in whatever language it was written, in the reader's language. */
export function renderText(text: string, locale: Locale): string {
  const hit = TEXT_KEYS.get(text);
  if (hit) return (CATALOGUES[locale].advice[hit.section] as Record<string, string>)[hit.key] ?? text;
  // Only texts that name someone ("{name}") are matched further; other texts (a transcript's
  // utterances, a free-text note) pass through and are not remembered.
  const known = caches[locale].texts.get(text);
  if (known !== undefined) return known;
  for (const p of TEXT_PATTERNS) {
    const m = p.pattern!.exec(text);
    if (m) return cached(caches[locale].texts, text, () => ((CATALOGUES[locale].advice[p.section] as Record<string, string>)[p.key] ?? text).replace('{name}', m[1]!));
  }
  return text;
}

/**
 * The texts of a response or event body, rendered for the reader's language (codes untouched). The
 * body is not changed: objects holding a translated text are copied. English reasons and labels
 * pass through as the domain wrote them; advice the domain wrote in a subscriber's own language is
 * rendered in the reader's.
 */
export function localise<T>(body: T, locale: Locale): T {
  return walk(body, locale, 0) as T;
}

// Screening shares one frozen reason object per reputation value (src/reputation/hot-index.ts): its
// rendering is kept by identity, so a hot decision costs no pattern match and no copy.
const renderedObjects: Record<Locale, WeakMap<object, unknown>> = { en: new WeakMap(), 'zh-CN': new WeakMap(), 'zh-TW': new WeakMap() };

function walk(value: unknown, locale: Locale, depth: number): unknown {
  if (depth > 12 || value === null || typeof value !== 'object') return value;
  if (Object.isFrozen(value)) {
    const done = renderedObjects[locale].get(value);
    if (done !== undefined) return done;
    // The rendering of a frozen value is shared as the value is, so it is frozen too (the screening
    // fast path serialises a frozen reasons array once: src/api/screen-reply-memo.ts).
    const out = walkObject(value, locale, depth);
    if (out !== value) Object.freeze(out);
    renderedObjects[locale].set(value, out);
    return out;
  }
  return walkObject(value, locale, depth);
}

function walkObject(value: object, locale: Locale, depth: number): unknown {
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = walk(value[i], locale, depth + 1);
      if (v !== value[i]) (out ??= value.slice())[i] = v;
    }
    return out ?? value;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  const obj = value as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  const code = obj.code;
  for (const k in obj) {
    const v = obj[k];
    let r: unknown = v;
    if (typeof v === 'string') {
      if (k === 'label') r = renderLabel(v, locale);
      else if (k === 'text' && typeof code === 'string') r = renderReason(code, v, locale);
      else if (k === 'advice' || k === 'message' || k === 'text') r = renderText(v, locale);
    } else if (v !== null && typeof v === 'object') r = walk(v, locale, depth + 1);
    if (r !== v) (out ??= { ...obj })[k] = r;
  }
  // A conversation alert says which language its advice is in (`lang`: en | zh): keep it true.
  if (out !== undefined && out.advice !== obj.advice && (obj.lang === 'en' || obj.lang === 'zh')) out.lang = locale === 'en' ? 'en' : 'zh';
  return out ?? obj;
}

/** A problem document's title and detail in the reader's language (English keeps the specific detail). */
export function problemTexts(err: Pick<CallshieldError, 'code' | 'message' | 'field'>, locale: Locale): { title: string; detail: string } {
  const m = CATALOGUES[locale];
  const t = m.errors[err.code as ErrorCode];
  if (locale === SOURCE_LOCALE) return { title: t.title, detail: err.message };
  return { title: t.title, detail: err.field ? t.detail + m.field.replace('{field}', err.field) : t.detail };
}
