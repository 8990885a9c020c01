import type { Locale } from './types.js';

/** One language tag (lower case) → the catalogue that serves it, or undefined when none does. */
export function localeOfTag(tag: string): Locale | undefined {
  const t = tag.trim().toLowerCase();
  if (t === 'en' || t.startsWith('en-')) return 'en';
  if (t === 'zh' || t === 'zh-cn' || t === 'zh-sg' || t === 'zh-my' || t.startsWith('zh-hans')) return 'zh-CN';
  if (t === 'zh-tw' || t === 'zh-hk' || t === 'zh-mo' || t.startsWith('zh-hant')) return 'zh-TW';
  if (t.startsWith('zh-')) return 'zh-CN';
  return undefined;
}

const cache = new Map<string, Locale | null>();

/**
 * An Accept-Language header (RFC 9110 §12.5.4) → the best catalogue: tags in the order of their
 * q-values (the header's order breaks ties), q=0 and malformed weights excluded, and English when
 * nothing matches.
 */
export function negotiateLocale(header: string | string[] | undefined): Locale {
  if (header === undefined) return 'en';
  return matchLocale(header) ?? 'en';
}

/** The same, but undefined when the header names no language served (so another default may apply). */
export function matchLocale(header: string | string[]): Locale | undefined {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (value === 'en') return 'en';
  const hit = cache.get(value);
  if (hit !== undefined) return hit ?? undefined;
  const ranked: { locale: Locale; q: number; i: number }[] = [];
  value.split(',').forEach((part, i) => {
    const [tag = '', ...params] = part.split(';');
    let q = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*(.*?)\s*$/i.exec(p);
      if (m) q = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(m[1]!) ? Number(m[1]) : 0; // a malformed weight drops the tag
    }
    if (!(q > 0)) return;
    const locale = localeOfTag(tag);
    if (locale !== undefined) ranked.push({ locale, q, i });
  });
  ranked.sort((a, b) => b.q - a.q || a.i - b.i);
  const locale = ranked[0]?.locale;
  if (cache.size > 1000) cache.clear();
  cache.set(value, locale ?? null);
  return locale;
}

/** A stored language setting ("zh", "zh-CN", ...) → a catalogue; unknown values read as English. */
export function parseLocale(value: string | null | undefined): Locale {
  return (value && localeOfTag(value)) || 'en';
}
