import type { AppContext } from '../../app-context.js';
import { CallshieldError } from '../../errors.js';
import { complaintsByCarrier, complaintsByDay, complaintsByHolder, reportCategories, reportsByDay, topComplained, topReported, violationsByDay } from '../../store/governance/stats.js';
import type { Range } from '../../store/governance/stats.js';

const DAY = 86_400_000;
const MAX_DAYS = 366;

export interface RangeInput {
  from?: string;
  to?: string;
}

/** from/to are days (YYYY-MM-DD, UTC), both included; the default is the last 30 days. */
export function parseRange(q: RangeInput, now: number): Range & { fromDay: string; toDay: string } {
  const parse = (v: string, field: string): number => {
    const t = /^\d{4}-\d{2}-\d{2}$/.test(v) ? Date.parse(`${v}T00:00:00Z`) : NaN;
    if (Number.isNaN(t)) throw new CallshieldError('REQUEST_INVALID_QUERY', `${field} must be a day such as 2026-11-26`, { field });
    return t;
  };
  const today = Math.floor(now / DAY) * DAY;
  const to = q.to ? parse(q.to, 'to') : today;
  const from = q.from ? parse(q.from, 'from') : to - 29 * DAY;
  if (from > to) throw new CallshieldError('REQUEST_INVALID_QUERY', 'from must not be after to', { field: 'from' });
  if ((to - from) / DAY >= MAX_DAYS) throw new CallshieldError('REQUEST_INVALID_QUERY', `at most ${MAX_DAYS} days at once`, { field: 'from' });
  const iso = (t: number): string => new Date(t).toISOString();
  return { from: iso(from), to: iso(to + DAY), fromDay: iso(from).slice(0, 10), toDay: iso(to).slice(0, 10) };
}

export async function reportStats(ctx: AppContext, q: RangeInput) {
  const r = parseRange(q, ctx.now());
  return { from: r.fromDay, to: r.toDay, days: await reportsByDay(ctx.db, r) };
}

export async function complaintStats(ctx: AppContext, q: RangeInput & { limit?: number }) {
  const r = parseRange(q, ctx.now());
  const [days, carriers, holders] = await Promise.all([complaintsByDay(ctx.db, r), complaintsByCarrier(ctx.db, r), complaintsByHolder(ctx.db, r, q.limit ?? 50)]);
  return {
    from: r.fromDay,
    to: r.toDay,
    days,
    carriers: carriers.map((c) => ({ carrier: c.carrier ?? (c.carrierOrgId ? c.carrierOrgId : 'unrouted (no registered holder)'), count: c.count, violations: c.violations, open: c.open })),
    holders: holders.map((h) => ({ holder: h.holder ?? 'unregistered', count: h.count, violations: h.violations, confirmed: h.confirmed })),
  };
}

export async function violationStats(ctx: AppContext, q: RangeInput) {
  const r = parseRange(q, ctx.now());
  const rows = await violationsByDay(ctx.db, r);
  const perDay = new Map<string, number>();
  const totals: Record<string, number> = {};
  for (const row of rows) {
    for (const code of row.violations.split(',').filter(Boolean)) {
      const k = `${row.day}|${code}`;
      perDay.set(k, (perDay.get(k) ?? 0) + row.count);
      totals[code] = (totals[code] ?? 0) + row.count;
    }
  }
  const days = [...perDay.entries()].map(([k, count]) => {
    const [day, code] = k.split('|') as [string, string];
    return { day, violation: code, count };
  });
  days.sort((a, b) => a.day.localeCompare(b.day) || a.violation.localeCompare(b.violation));
  return { from: r.fromDay, to: r.toDay, totals, days };
}

export async function topIdentifierStats(ctx: AppContext, q: RangeInput & { limit?: number }) {
  const r = parseRange(q, ctx.now());
  const limit = q.limit ?? 20;
  const [reports, complaints] = await Promise.all([topReported(ctx.db, r, limit), topComplained(ctx.db, r, limit)]);
  const merged = new Map<string, { identifier: string; reports: number; complaints: number }>();
  for (const x of reports) merged.set(x.identifier, { identifier: x.identifier, reports: x.count, complaints: 0 });
  for (const x of complaints) {
    const e = merged.get(x.identifier) ?? { identifier: x.identifier, reports: 0, complaints: 0 };
    e.complaints = x.count;
    merged.set(x.identifier, e);
  }
  const top = [...merged.values()].sort((a, b) => b.reports + b.complaints - (a.reports + a.complaints) || a.identifier.localeCompare(b.identifier)).slice(0, limit);
  const cats = await reportCategories(ctx.db, top.map((t) => t.identifier), r);
  const topCat = new Map<string, { category: string; count: number }>();
  for (const c of cats) {
    const cur = topCat.get(c.identifier);
    if (!cur || c.count > cur.count) topCat.set(c.identifier, c);
  }
  return {
    from: r.fromDay,
    to: r.toDay,
    identifiers: top.map((t) => ({ ...t, total: t.reports + t.complaints, topCategory: topCat.get(t.identifier)?.category ?? null, score: ctx.index.get(t.identifier)?.score ?? 0 })),
  };
}

/** The CSV writer every export shares (formula cells neutralised, RFC 4180 quoting). */
export { toCsv } from '../../csv-writer.js';
