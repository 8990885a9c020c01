import { useState } from 'preact/hooks';
import { api, downloadCsv } from '../api.js';
import { PALETTE, RankBars, StackedBars, dayRange } from '../chart.js';
import type { BarSeries } from '../chart.js';
import { href } from '../router.js';
import { ErrorBox, PageTitle, TextField, useAction, useApp, useLoad } from '../ui.js';

// Governance statistics for the regulator's analyst (src/api/routes/governance/stats.ts): flat
// {day, category, count} rows pivoted into charts here; every section exports the same rows as CSV.

const CATEGORIES = ['fraud', 'impersonation', 'harassment', 'robocall', 'spam-ad', 'other'];

interface DayRow {
  day: string;
  count: number;
  category?: string;
  violation?: string;
}

interface ResponseTimeRow {
  week: string;
  organisation: string;
  kind: string;
  action: string;
  count: number;
  medianMinutes: number;
  p90Minutes: number;
}

interface TopIdentifier {
  identifier: string;
  reports: number;
  complaints: number;
  total: number;
  topCategory: string | null;
  score: number;
}

interface CarrierRow {
  carrier: string;
  count: number;
  violations: number;
  open: number;
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function CsvButton({ path, file }: { path: string; file: string }) {
  const { t } = useApp();
  const { busy, error, run } = useAction(() => downloadCsv(path, file));
  return (
    <span class="csv">
      <button type="button" onClick={() => void run()} disabled={busy} data-csv={file}>
        {t('download')}
      </button>
      <ErrorBox error={error} />
    </span>
  );
}

/** Pivots {day, <key>, count} rows into one bar series per key value, over every day in the range. */
function pivot(rows: DayRow[], key: 'category' | 'violation', label: (v: string) => string, order: string[] = []): { days: string[]; series: BarSeries[] } {
  const days = dayRange(rows.map((r) => r.day));
  const index = new Map(days.map((d, i) => [d, i]));
  const values = [...new Set(rows.map((r) => r[key] ?? ''))].sort((a, b) => {
    const ia = order.indexOf(a);
    const ib = order.indexOf(b);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
  });
  const series = values.map((v, n) => {
    const data = days.map(() => 0);
    for (const r of rows) if ((r[key] ?? '') === v) data[index.get(r.day) ?? 0]! += r.count;
    return { label: label(v), color: PALETTE[n % PALETTE.length]!, values: data };
  });
  return { days, series };
}

function Section({ id, title, csv, error, children }: { id: string; title: string; csv?: { path: string; file: string } | undefined; error: unknown; children: preact.ComponentChildren }) {
  return (
    <section class="panel" aria-labelledby={id} data-testid={id}>
      <div class="panel-head">
        <h2 id={id}>{title}</h2>
        {csv ? <CsvButton path={csv.path} file={csv.file} /> : null}
      </div>
      <ErrorBox error={error} />
      {children}
    </section>
  );
}

export function RegulatorPage() {
  const { t, tv } = useApp();
  const now = Date.now();
  const [from, setFrom] = useState(isoDay(now - 29 * 86_400_000));
  const [to, setTo] = useState(isoDay(now));
  const [range, setRange] = useState(`from=${from}&to=${to}`);
  const reports = useLoad(() => api<{ days: DayRow[] }>('GET', `/v1/stats/reports?${range}`), [range]);
  const top = useLoad(() => api<{ identifiers: TopIdentifier[] }>('GET', `/v1/stats/top-identifiers?${range}&limit=20`), [range]);
  const carriers = useLoad(() => api<{ carriers: CarrierRow[] }>('GET', `/v1/stats/complaints/carriers?${range}`), [range]);
  const violations = useLoad(() => api<{ days: DayRow[] }>('GET', `/v1/stats/violations?${range}`), [range]);
  const responses = useLoad(() => api<{ rows: ResponseTimeRow[] }>('GET', `/v1/stats/response-times?${range}`), [range]);
  const rts = responses.data?.rows ?? [];
  const byCategory = pivot(reports.data?.days ?? [], 'category', (c) => tv('cat_', c), CATEGORIES);
  const byViolation = pivot(violations.data?.days ?? [], 'violation', (v) => tv('vio_', v));
  const ids = top.data?.identifiers ?? [];
  const cs = carriers.data?.carriers ?? [];
  return (
    <>
      <PageTitle>{t('regulatorTitle')}</PageTitle>
      <form
        class="inline-form"
        aria-label={t('period')}
        onSubmit={(e) => {
          e.preventDefault();
          setRange(`from=${from}&to=${to}`);
        }}
      >
        <TextField label={t('from')} name="from" type="date" value={from} onInput={setFrom} />
        <TextField label={t('to')} name="to" type="date" value={to} onInput={setTo} />
        <button type="submit" class="primary">
          {t('show')}
        </button>
      </form>

      <Section id="reports-by-category" title={t('reportsByCategory')} error={reports.error} csv={reports.data ? { path: `/v1/stats/reports?${range}&format=csv`, file: 'reports-by-day.csv' } : undefined}>
        {reports.data ? byCategory.days.length ? <StackedBars showTitle={false} title={t('reportsByCategory')} days={byCategory.days} series={byCategory.series} /> : <p class="muted">{t('noEntries')}</p> : null}
      </Section>

      <Section id="top-identifiers" title={t('topIdentifiers')} error={top.error} csv={top.data ? { path: `/v1/stats/top-identifiers?${range}&limit=20&format=csv`, file: 'top-identifiers.csv' } : undefined}>
        {top.data ? (
          ids.length ? (
            <>
              <RankBars showTitle={false} title={t('topIdentifiers')} rows={ids.slice(0, 10).map((r) => ({ label: r.identifier, value: r.total }))} />
              <div class="table-wrap" tabIndex={0} role="region" aria-label={t('topIdentifiers')}>
                <table data-testid="top-table">
                  <thead>
                    <tr>
                      <th scope="col">{t('identifier')}</th>
                      <th scope="col">{t('reportsCol')}</th>
                      <th scope="col">{t('complaintsCol')}</th>
                      <th scope="col">{t('total')}</th>
                      <th scope="col">{t('category')}</th>
                      <th scope="col">{t('score')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {ids.map((r) => (
                      <tr>
                        <td class="ident">
                          <a href={href('lookup', { id: r.identifier })}>{r.identifier}</a>
                        </td>
                        <td>{r.reports}</td>
                        <td>{r.complaints}</td>
                        <td>{r.total}</td>
                        <td>{tv('cat_', r.topCategory)}</td>
                        <td>{r.score}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          ) : (
            <p class="muted">{t('noEntries')}</p>
          )
        ) : null}
      </Section>

      <Section id="complaints-per-carrier" title={t('complaints')} error={carriers.error} csv={carriers.data ? { path: `/v1/stats/complaints/carriers?${range}&format=csv`, file: 'complaints-by-carrier.csv' } : undefined}>
        {carriers.data ? (
          cs.length ? (
            <>
              <RankBars showTitle={false} title={t('complaints')} rows={cs.map((c) => ({ label: c.carrier, value: c.count }))} />
              <div class="table-wrap" tabIndex={0} role="region" aria-label={t('complaints')}>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('carrier')}</th>
                      <th scope="col">{t('complaintsCol')}</th>
                      <th scope="col">{t('violationsCol')}</th>
                      <th scope="col">{t('openCol')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {cs.map((c) => (
                      <tr>
                        <td>{c.carrier}</td>
                        <td>{c.count}</td>
                        <td>{c.violations}</td>
                        <td>{c.open}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          ) : (
            <p class="muted">{t('noEntries')}</p>
          )
        ) : null}
      </Section>

      <Section id="response-times" title={t('responseTimes')} error={responses.error} csv={responses.data ? { path: `/v1/stats/response-times?${range}&format=csv`, file: 'response-times.csv' } : undefined}>
        {responses.data ? (
          rts.length ? (
            <>
              <RankBars showTitle={false} title={t('responseTimes')} rows={rts.filter((r) => r.action === 'done').map((r) => ({ label: `${r.week} · ${r.organisation} · ${tv('tk_', r.kind)}`, value: r.medianMinutes }))} />
              <div class="table-wrap" tabIndex={0} role="region" aria-label={t('responseTimes')}>
                <table data-testid="response-times-table">
                  <thead>
                    <tr>
                      <th scope="col">{t('week')}</th>
                      <th scope="col">{t('organisation')}</th>
                      <th scope="col">{t('taskKind')}</th>
                      <th scope="col">{t('action')}</th>
                      <th scope="col">{t('count')}</th>
                      <th scope="col">{t('medianMinutes')}</th>
                      <th scope="col">{t('p90Minutes')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rts.map((r) => (
                      <tr data-org={r.organisation} data-kind={r.kind} data-action={r.action}>
                        <td>{r.week}</td>
                        <td>{r.organisation}</td>
                        <td>{tv('tk_', r.kind)}</td>
                        <td>{tv('tact_', r.action)}</td>
                        <td>{r.count}</td>
                        <td>{r.medianMinutes}</td>
                        <td>{r.p90Minutes}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          ) : (
            <p class="muted">{t('noEntries')}</p>
          )
        ) : null}
      </Section>

      <Section id="consent-violations" title={t('consentViolations')} error={violations.error} csv={violations.data ? { path: `/v1/stats/violations?${range}&format=csv`, file: 'violations-by-day.csv' } : undefined}>
        {violations.data ? byViolation.days.length ? <StackedBars showTitle={false} title={t('consentViolations')} days={byViolation.days} series={byViolation.series} /> : <p class="muted">{t('noEntries')}</p> : null}
      </Section>
    </>
  );
}
