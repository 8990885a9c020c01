// The regulator's figures: how long after a case each kind of action came, per organisation and per
// week (median and 90th percentile, in minutes), from the tasks' steps.
import type { AppContext } from '../../app-context.js';
import { tasksFiledBetween } from '../../store/response/tasks.js';
import { parseRange } from '../governance/stats.js';
import type { RangeInput } from '../governance/stats.js';
import type { TaskStep } from './tasks.js';

export interface ResponseTimeRow {
  /** Monday (UTC) of the week the case was filed, YYYY-MM-DD. */
  week: string;
  organisation: string;
  kind: string;
  action: string;
  count: number;
  medianMinutes: number;
  p90Minutes: number;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1]!;
}

export function weekOf(iso: string): string {
  const t = Date.parse(iso);
  const day = new Date(t).getUTCDay(); // 0 = Sunday
  const monday = Math.floor(t / 86_400_000) * 86_400_000 - ((day + 6) % 7) * 86_400_000;
  return new Date(monday).toISOString().slice(0, 10);
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

export async function responseTimeStats(ctx: AppContext, q: RangeInput): Promise<{ from: string; to: string; rows: ResponseTimeRow[] }> {
  const r = parseRange(q, ctx.now());
  const groups = new Map<string, { week: string; organisation: string; kind: string; action: string; minutes: number[] }>();
  for (const task of await tasksFiledBetween(ctx.db, r.from, r.to)) {
    const week = weekOf(task.case_filed_at);
    for (const s of JSON.parse(task.steps) as TaskStep[]) {
      if (s.action === 'created') continue;
      // An escalation is counted against the organisation that was asked.
      const organisation = s.organisation ?? task.org_name ?? `unassigned ${task.role}`;
      const k = `${week}|${organisation}|${task.kind}|${s.action}`;
      const g = groups.get(k) ?? { week, organisation, kind: task.kind, action: s.action, minutes: [] };
      g.minutes.push((Date.parse(s.at) - Date.parse(task.case_filed_at)) / 60_000);
      groups.set(k, g);
    }
  }
  const rows = [...groups.values()].map((g) => {
    const sorted = [...g.minutes].sort((a, b) => a - b);
    return { week: g.week, organisation: g.organisation, kind: g.kind, action: g.action, count: sorted.length, medianMinutes: round1(percentile(sorted, 50)), p90Minutes: round1(percentile(sorted, 90)) };
  });
  rows.sort((a, b) => a.week.localeCompare(b.week) || a.organisation.localeCompare(b.organisation) || a.kind.localeCompare(b.kind) || a.action.localeCompare(b.action));
  return { from: r.fromDay, to: r.toDay, rows };
}
