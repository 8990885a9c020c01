// Numbers, money, dates and people in the reader's locale (Intl). English readers get their own
// browser's English (en-US readers see month/day as their date inputs do; others day/month).
import type { Lang } from './i18n.js';

export function locale(lang: Lang): string {
  if (lang === 'zh') return 'zh-CN';
  const mine = typeof navigator !== 'undefined' ? navigator.languages.find((l) => l.toLowerCase().startsWith('en')) : undefined;
  return mine ?? 'en-GB';
}

export function fmtNum(n: number, lang: Lang, opts: Intl.NumberFormatOptions = {}): string {
  return new Intl.NumberFormat(locale(lang), opts).format(n);
}

/** 1630000 CNY → "CN¥1,630,000.00" (en) or "¥1,630,000.00" (zh). An unknown currency code falls back to "1,630,000 XYZ". */
export function fmtMoney(amount: number, currency: string, lang: Lang): string {
  try {
    return new Intl.NumberFormat(locale(lang), { style: 'currency', currency }).format(amount);
  } catch {
    return `${fmtNum(amount, lang)} ${currency}`;
  }
}

export function fmtDateTime(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(locale(lang), { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

/** A UTC day ("2026-11-26") as the reader writes dates. */
export function fmtDay(day: string, lang: Lang): string {
  const d = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return day;
  return d.toLocaleDateString(locale(lang), { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'UTC' });
}

/** Whole minutes as "2 h 5 min" / "2 小时 5 分钟". */
export function fmtMinutes(minutes: number, lang: Lang): string {
  const m = Math.max(0, Math.round(minutes));
  const h = Math.floor(m / 60);
  const rest = m % 60;
  const unit = (v: number, u: 'hour' | 'minute' | 'day') => new Intl.NumberFormat(locale(lang), { style: 'unit', unit: u, unitDisplay: 'short' }).format(v);
  if (h >= 48) return unit(Math.floor(h / 24), 'day');
  if (h > 0) return rest ? `${unit(h, 'hour')} ${unit(rest, 'minute')}` : unit(h, 'hour');
  return unit(rest, 'minute');
}

/** A person as a key names them; a key made before people were recorded shows as an unnamed officer, not a UUID. */
export function personLabel(person: string | null | undefined, unnamed: (tail: string) => string): string {
  if (!person) return '';
  const m = /^key:([0-9a-f-]+)$/i.exec(person);
  return m ? unnamed(m[1]!.slice(-4)) : person;
}

/** The currencies the console's pickers offer (ISO 4217); the API takes any three-letter code. */
export const CURRENCIES = ['CNY', 'HKD', 'USD', 'EUR', 'GBP', 'JPY', 'SGD', 'TWD'];
