// Stacked bars per day (uPlot), with a colour legend and the same numbers as a table for screen readers.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useApp } from './ui.js';
import { fmtDay, fmtNum, locale } from './format.js';

export type Scale = 'linear' | 'log';

/**
 * Where a linear axis stops when one day towers over the rest (more than 4× the next highest and
 * at least 10): the other days stay readable and the note says which day was clipped.
 */
export function spikeCap(totals: number[]): { cap: number; index: number } | null {
  const sorted = [...totals].map((v, i) => ({ v, i })).sort((a, b) => b.v - a.v);
  const top = sorted[0];
  const next = sorted[1]?.v ?? 0;
  if (!top || top.v < 10 || next <= 0 || top.v < 4 * next) return null;
  return { cap: Math.ceil(next * 1.5), index: top.i };
}

export interface BarSeries {
  label: string;
  color: string;
  values: number[];
}

/** Every day from the first to the last (at most `max`), so gaps show as gaps. */
export function dayRange(days: string[], max = 366, min = 7): string[] {
  const sorted = [...new Set(days)].sort();
  if (sorted.length === 0) return [];
  const lastDay = Date.parse(`${sorted[sorted.length - 1]}T00:00:00Z`);
  // At least `min` days, so one day of evidence is a bar in a week rather than a lone bar.
  const first = Math.min(Date.parse(`${sorted[0]}T00:00:00Z`), lastDay - (min - 1) * 86_400_000);
  const last = Date.parse(`${sorted[sorted.length - 1]}T00:00:00Z`);
  const span = Math.round((last - first) / 86_400_000) + 1;
  if (!Number.isFinite(span) || span > max) return sorted;
  return Array.from({ length: span }, (_, i) => new Date(first + i * 86_400_000).toISOString().slice(0, 10));
}

export function StackedBars({ title, days, series, height = 220, showTitle = true, scale = 'linear' }: { title: string; days: string[]; series: BarSeries[]; height?: number; showTitle?: boolean; scale?: Scale }) {
  const { t, lang } = useApp();
  const box = useRef<HTMLDivElement>(null);
  const tip = useRef<HTMLDivElement>(null);
  const key = JSON.stringify([days, series, lang, scale]);
  const dayTotals = days.map((_, i) => series.reduce((a, s) => a + (s.values[i] ?? 0), 0));
  const clip = scale === 'linear' ? spikeCap(dayTotals) : null;

  useEffect(() => {
    const el = box.current;
    if (!el || days.length === 0) return;
    const xs = days.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000);
    const dayLabel = new Intl.DateTimeFormat(locale(lang), { month: 'short', day: 'numeric', timeZone: 'UTC' });
    const compact = new Intl.NumberFormat(locale(lang), { notation: 'compact', maximumFractionDigits: 1 });
    const xMin = xs[0]! - 43_200;
    const xMax = xs[xs.length - 1]! + 43_200;
    // uPlot has no stacking: draw running totals, the tallest first, so each band shows one series.
    const totals: number[][] = [];
    let acc = days.map(() => 0);
    for (const s of series) {
      acc = acc.map((v, i) => v + (s.values[i] ?? 0));
      totals.push(acc);
    }
    const order = series.map((s, i) => ({ s, data: totals[i]! })).reverse();
    const bars = uPlot.paths.bars!({ size: [0.7, 48], align: 0 });
    const axis = { stroke: '#1f2937', grid: { stroke: '#e5e7eb' }, ticks: { stroke: '#9ca3af' }, font: '12px system-ui, sans-serif' };
    const log = scale === 'log';
    // On a log axis a zero cannot be drawn: it is left out (the table still lists it).
    const shown = (vals: number[]) => (log ? vals.map((v) => (v > 0 ? v : null)) : vals);
    const tooltip = (u: uPlot): void => {
      const el = tip.current;
      const i = u.cursor.idx;
      if (!el) return;
      if (i == null || u.cursor.left == null || u.cursor.left < 0) {
        el.hidden = true;
        return;
      }
      const parts = series.map((s) => `<li><span class="swatch" style="background:${s.color}"></span>${escapeHtml(s.label)}: ${fmtNum(s.values[i] ?? 0, lang)}</li>`).join('');
      el.innerHTML = `<strong>${escapeHtml(fmtDay(days[i]!, lang))}</strong><ul>${parts}</ul><div>${escapeHtml(t('total'))}: ${fmtNum(dayTotals[i] ?? 0, lang)}</div>`;
      el.hidden = false;
      const left = Math.min(u.cursor.left + 60, Math.max(0, el.parentElement!.clientWidth - el.offsetWidth - 4));
      el.style.left = `${left}px`;
    };
    const u = new uPlot(
      {
        width: Math.max(260, el.clientWidth),
        height,
        legend: { show: false },
        cursor: { drag: { x: false, y: false }, points: { show: false } },
        hooks: { setCursor: [tooltip] },
        scales: {
          x: { time: true, range: () => [xMin, xMax] },
          y: log ? { distr: 3, log: 10, range: (_u, _min, max) => [1, Math.max(10, max * 2)] } : { range: (_u, _min, max) => [0, clip ? clip.cap : Math.max(1, Math.ceil(max * 1.1))] },
        },
        axes: [
          {
            ...axis,
            space: 56,
            // Whole days only: evidence and statistics are counted per UTC day.
            incrs: [1, 2, 7, 14, 30, 91, 182, 365].map((d) => d * 86_400),
            values: (_u: uPlot, splits: number[]) => splits.map((x) => dayLabel.format(new Date(x * 1000))),
          },
          {
            ...axis,
            // Wide enough for the longest label (never cut off), in the reader's number format (1.2K, 1.2万).
            size: (_u: uPlot, values: string[] | null) => Math.max(36, ...(values ?? []).map((v) => v.length * 8 + 18)),
            values: (_u: uPlot, splits: number[]) => splits.map((v) => (Number.isInteger(v) ? compact.format(v) : '')),
            ...(log ? {} : { incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000, 200000, 500000, 1000000] }),
          },
        ],
        series: [{}, ...order.map(({ s }) => ({ label: s.label, stroke: s.color, fill: s.color, width: 0, paths: bars, points: { show: false } }))],
      },
      [xs, ...order.map((o) => shown(o.data))] as uPlot.AlignedData,
      el,
    );
    const ro = new ResizeObserver(() => u.setSize({ width: Math.max(260, el.clientWidth), height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
    };
  }, [key, height]);

  const sums = series.map((s) => s.values.reduce((a, b) => a + b, 0));
  const summary = `${title}: ${series.map((s, i) => `${s.label} ${sums[i]}`).join(', ')}`;
  return (
    <figure class="chart">
      <figcaption class={showTitle ? '' : 'sr-only'}>{title}</figcaption>
      <div class="chart-wrap">
        <div ref={box} class="chart-box" role="img" aria-label={summary} />
        <div ref={tip} class="chart-tip" aria-hidden="true" hidden />
      </div>
      {clip ? (
        <p class="muted chart-note" data-testid="spike-note">
          {t('spikeClipped', { day: fmtDay(days[clip.index]!, lang), value: fmtNum(dayTotals[clip.index] ?? 0, lang), cap: fmtNum(clip.cap, lang) })}
        </p>
      ) : null}
      <ul class="legend">
        {series.map((s, i) => (
          <li>
            <span class="swatch" style={{ background: s.color }} aria-hidden="true" />
            {s.label}: {fmtNum(sums[i] ?? 0, lang)}
          </li>
        ))}
      </ul>
      <details>
        <summary>{t('dataTable')}</summary>
        <div class="table-wrap" tabIndex={0} role="region" aria-label={`${title} — ${t('dataTable')}`}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('day')}</th>
                {series.map((s) => (
                  <th scope="col">{s.label}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {days.map((d, i) =>
                series.some((s) => (s.values[i] ?? 0) > 0) ? (
                  <tr>
                    <th scope="row">{fmtDay(d, lang)}</th>
                    {series.map((s) => (
                      <td>{s.values[i] ?? 0}</td>
                    ))}
                  </tr>
                ) : null,
              )}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}

/** Horizontal bars for a ranking (top identifiers, complaints per carrier): plain HTML, no canvas. */
export function RankBars({ title, rows, showTitle = true }: { title: string; rows: { label: string; value: number }[]; showTitle?: boolean }) {
  const { t, lang } = useApp();
  const max = Math.max(1, ...rows.map((r) => r.value));
  if (rows.length === 0) return <p class="muted">{t('noEntries')}</p>;
  return (
    <figure class="chart">
      <figcaption class={showTitle ? '' : 'sr-only'}>{title}</figcaption>
      <ol class="rank">
        {rows.map((r) => (
          <li>
            <span class="rank-label">{r.label}</span>
            <span class="rank-bar" aria-hidden="true">
              <span style={{ width: `${(r.value / max) * 100}%` }} />
            </span>
            <span class="rank-value">{fmtNum(r.value, lang)}</span>
          </li>
        ))}
      </ol>
    </figure>
  );
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export const PALETTE = ['#b91c1c', '#1d4ed8', '#047857', '#7e22ce', '#b45309', '#0e7490', '#be185d', '#4b5563'];
