import { useState } from 'preact/hooks';
import { api, downloadCsv } from '../api.js';
import { PALETTE, RankBars, StackedBars, dayRange } from '../chart.js';
import type { BarSeries, Scale } from '../chart.js';
import { can } from '../access.js';
import { ApiError } from '../api.js';
import { href } from '../router.js';
import { fmtDay, fmtNum } from '../format.js';
import { DataTable, ErrorBox, Loadable, PageTitle, SelectField, TextField, formatTime, useAction, useApp, useConfirm, useLoad } from '../ui.js';

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
function pivot(rows: DayRow[], key: 'category' | 'violation', label: (v: string) => string, order: string[], period: { from: string; to: string }): { days: string[]; series: BarSeries[] } {
  // Every chart on the page spans the page's one period, not just the days that have data.
  const days = rows.length ? dayRange([...rows.map((r) => r.day), period.from, period.to]) : [];
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

function Section({ id, title, csv, state, empty, children }: { id: string; title: string; csv?: { path: string; file: string } | undefined; state: { data: unknown; busy: boolean; error: unknown }; empty: boolean; children: preact.ComponentChildren }) {
  return (
    <section class="panel" aria-labelledby={id} data-testid={id}>
      <div class="panel-head">
        <h2 id={id}>{title}</h2>
        {csv ? <CsvButton path={csv.path} file={csv.file} /> : null}
      </div>
      <Loadable state={state} empty={() => empty}>
        {() => children}
      </Loadable>
    </section>
  );
}

/** The same refusal from every section (a bad period): shown once, above them, instead of once per section. */
function commonError(errors: unknown[]): ApiError | null {
  const errs = errors.filter((e): e is ApiError => e instanceof ApiError);
  if (errs.length < 2 || errs.length !== errors.filter(Boolean).length) return null;
  const first = errs[0]!;
  return errs.every((e) => e.status === first.status && e.code === first.code) ? first : null;
}

interface Burst {
  id: string;
  caller: string;
  org: { id: string; name: string | null };
  status: string;
  reporters: number;
  reports: number;
  feedback: number;
  firstAt: string;
  lastAt: string;
  score: number;
}

interface Escalation {
  id: string;
  holder: string;
  block: string;
  carrier: string;
  violations: number;
  windowDays: number;
  recommendation: string;
  createdAt: string;
}

function BurstItem({ burst, mayDecide, onDone }: { burst: Burst; mayDecide: boolean; onDone: () => void }) {
  const { t, lang } = useApp();
  const [reason, setReason] = useState('');
  const confirm = useConfirm();
  const act = useAction(async (decision: 'accepted' | 'rejected') => {
    await api('POST', `/v1/review/bursts/${encodeURIComponent(burst.id)}/decision`, { body: { decision, reason: reason.trim() } });
    onDone();
  });
  const ask = (d: 'accepted' | 'rejected'): void =>
    confirm.ask({
      title: t(d === 'accepted' ? 'confirmBurstAcceptTitle' : 'confirmBurstRejectTitle'),
      message: t(d === 'accepted' ? 'confirmBurstAcceptText' : 'confirmBurstRejectText', { reports: fmtNum(burst.reports, lang), caller: burst.caller }),
      confirmLabel: t(d === 'accepted' ? 'burstAccept' : 'burstReject'),
      danger: d === 'accepted',
      onConfirm: () => void act.run(d),
    });
  return (
    <li class="item" data-burst={burst.id}>
      <div class="item-head">
        <a class="ident" href={href('lookup', { id: burst.caller })}>
          <strong>{burst.caller}</strong>
        </a>
        <span class="badge">
          {t('currentScore')}: {burst.score}
        </span>
      </div>
      <p>{t('burstFigures', { reporters: fmtNum(burst.reporters, lang), org: burst.org.name ?? burst.org.id, reports: fmtNum(burst.reports, lang), first: formatTime(burst.firstAt, lang), last: formatTime(burst.lastAt, lang) })}</p>
      {mayDecide ? (
        <div class="decide">
          <TextField label={t('decisionReason')} name={`burst-reason-${burst.id}`} value={reason} onInput={setReason} />
          <div class="buttons">
            <button type="button" class="danger" disabled={act.busy || !reason.trim()} onClick={() => ask('accepted')}>
              {t('burstAccept')}
            </button>
            <button type="button" disabled={act.busy || !reason.trim()} onClick={() => ask('rejected')}>
              {t('burstReject')}
            </button>
          </div>
        </div>
      ) : null}
      <ErrorBox error={act.error} />
      {confirm.dialog}
    </li>
  );
}

/** The regulator's queue: bursts of new reporters held out of scores, and holders escalated for repeated violations. */
function HeldForReview() {
  const { t, lang, session } = useApp();
  const role = session?.role;
  const bursts = useLoad(() => (role && can(role, 'bursts.read') ? api<{ bursts: Burst[] }>('GET', '/v1/review/bursts?status=pending') : Promise.resolve({ bursts: [] })), []);
  const escalations = useLoad(() => (role && can(role, 'escalations.read') ? api<{ escalations: Escalation[] }>('GET', '/v1/escalations') : Promise.resolve({ escalations: [] })), []);
  const mayDecide = role ? can(role, 'bursts.decide') : false;
  return (
    <section class="panel queue" aria-labelledby="review-h" data-testid="held-for-review">
      <div class="panel-head">
        <h2 id="review-h">{t('reviewTitle')}</h2>
        <button type="button" onClick={() => { bursts.reload(); escalations.reload(); }} disabled={bursts.busy || escalations.busy}>
          {t('refresh')}
        </button>
      </div>
      <h3>
        {t('q_bursts')} {bursts.data ? <span class="count">({bursts.data.bursts.length})</span> : null}
      </h3>
      <Loadable state={bursts} empty={(d) => d.bursts.length === 0} emptyText={t('queueNothing')}>
        {(d) => (
          <ul class="items" data-testid="bursts">
            {d.bursts.map((b) => (
              <BurstItem key={b.id} burst={b} mayDecide={mayDecide} onDone={bursts.reload} />
            ))}
          </ul>
        )}
      </Loadable>
      <h3>
        {t('q_escalations')} {escalations.data ? <span class="count">({escalations.data.escalations.length})</span> : null}
      </h3>
      <Loadable state={escalations} empty={(d) => d.escalations.length === 0} emptyText={t('queueNothing')}>
        {(d) => (
          <ul class="items" data-testid="escalations">
            {d.escalations.map((e) => (
              <li class="item">
                <p>
                  <strong>{t('escalationFigures', { holder: e.holder, violations: fmtNum(e.violations, lang), days: e.windowDays, carrier: e.carrier, block: e.block })}</strong>
                </p>
                <p>
                  {t('recommendation')}: {e.recommendation}
                </p>
                <p class="muted">{formatTime(e.createdAt, lang)}</p>
              </li>
            ))}
          </ul>
        )}
      </Loadable>
    </section>
  );
}

export function RegulatorPage() {
  const { t, tv, lang } = useApp();
  const now = Date.now();
  const [from, setFrom] = useState(isoDay(now - 29 * 86_400_000));
  const [to, setTo] = useState(isoDay(now));
  const [range, setRange] = useState(`from=${from}&to=${to}`);
  const [shown, setShown] = useState({ from, to });
  const [periodError, setPeriodError] = useState<string | null>(null);
  const [scale, setScale] = useState<Scale>('linear');
  const reports = useLoad(() => api<{ days: DayRow[] }>('GET', `/v1/stats/reports?${range}`), [range]);
  const top = useLoad(() => api<{ identifiers: TopIdentifier[] }>('GET', `/v1/stats/top-identifiers?${range}&limit=20`), [range]);
  const carriers = useLoad(() => api<{ carriers: CarrierRow[] }>('GET', `/v1/stats/complaints/carriers?${range}`), [range]);
  const violations = useLoad(() => api<{ days: DayRow[] }>('GET', `/v1/stats/violations?${range}`), [range]);
  const responses = useLoad(() => api<{ rows: ResponseTimeRow[] }>('GET', `/v1/stats/response-times?${range}`), [range]);
  const rts = responses.data?.rows ?? [];
  const byCategory = pivot(reports.data?.days ?? [], 'category', (c) => tv('cat_', c), CATEGORIES, shown);
  const byViolation = pivot(violations.data?.days ?? [], 'violation', (v) => tv('vio_', v), [], shown);
  const ids = top.data?.identifiers ?? [];
  const cs = carriers.data?.carriers ?? [];
  // One refusal for the whole page (a bad period) is shown once, above the sections, which then show nothing stale.
  const common = commonError([reports.error, top.error, carriers.error, violations.error, responses.error]);
  const st = <T,>(s: { data: T | null; busy: boolean; error: unknown }) => (common ? { ...s, error: null } : s);
  const sum = (rows: { count: number }[] | undefined) => (rows ? rows.reduce((a, r) => a + r.count, 0) : null);
  const figures: [string, number | null, string?][] = [
    [t('summaryReports'), sum(reports.data?.days)],
    [t('summaryComplaints'), sum(carriers.data?.carriers)],
    [t('summaryViolations'), sum(violations.data?.days)],
  ];
  return (
    <>
      <PageTitle>{t('regulatorTitle')}</PageTitle>
      <HeldForReview />
      <form
        class="inline-form period"
        aria-label={t('period')}
        onSubmit={(e) => {
          e.preventDefault();
          if (!from || !to || from > to) {
            setPeriodError(t('periodInvalid'));
            return;
          }
          setPeriodError(null);
          setShown({ from, to });
          setRange(`from=${from}&to=${to}`);
        }}
      >
        <TextField label={t('from')} name="from" type="date" value={from} onInput={setFrom} />
        <TextField label={t('to')} name="to" type="date" value={to} onInput={setTo} />
        <SelectField label={t('scale')} name="scale" value={scale} onChange={setScale} options={[{ value: 'linear', label: t('scaleLinear') }, { value: 'log', label: t('scaleLog') }]} />
        <button type="submit" class="primary">
          {t('show')}
        </button>
      </form>
      {periodError ? (
        <div class="error" role="alert" data-testid="period-error">
          <p>{periodError}</p>
        </div>
      ) : null}
      <ErrorBox error={common} />
      <p class="muted" data-testid="period-note">
        {t('periodFor', { from: fmtDay(shown.from, lang), to: fmtDay(shown.to, lang) })}
      </p>
      {common ? null : (
        <dl class="figures" data-testid="summary-figures">
          {figures.map(([label, v]) => (
            <div class="figure">
              <dt>{label}</dt>
              <dd>{v === null ? '…' : fmtNum(v, lang)}</dd>
            </div>
          ))}
          {ids[0] ? (
            <div class="figure">
              <dt>{t('summaryTopCaller')}</dt>
              <dd class="ident small">{ids[0].identifier}</dd>
            </div>
          ) : null}
        </dl>
      )}

      <Section id="reports-by-category" title={t('reportsByCategory')} state={st(reports)} empty={byCategory.days.length === 0} csv={reports.data ? { path: `/v1/stats/reports?${range}&format=csv`, file: 'reports-by-day.csv' } : undefined}>
        <StackedBars showTitle={false} title={t('reportsByCategory')} days={byCategory.days} series={byCategory.series} scale={scale} />
      </Section>

      <Section id="top-identifiers" title={t('topIdentifiers')} state={st(top)} empty={ids.length === 0} csv={top.data ? { path: `/v1/stats/top-identifiers?${range}&limit=20&format=csv`, file: 'top-identifiers.csv' } : undefined}>
        <RankBars showTitle={false} title={t('topIdentifiers')} rows={ids.slice(0, 10).map((r) => ({ label: r.identifier, value: r.total }))} />
        <DataTable
          caption={t('topIdentifiers')}
          testid="top-table"
          rows={ids}
          columns={[
            { label: t('identifier'), cell: (r) => <a href={href('lookup', { id: r.identifier })}>{r.identifier}</a>, className: 'ident' },
            { label: t('reportsCol'), cell: (r) => fmtNum(r.reports, lang), className: 'num' },
            { label: t('complaintsCol'), cell: (r) => fmtNum(r.complaints, lang), className: 'num' },
            { label: t('total'), cell: (r) => fmtNum(r.total, lang), className: 'num' },
            { label: t('category'), cell: (r) => tv('cat_', r.topCategory) },
            { label: t('score'), cell: (r) => r.score, className: 'num' },
          ]}
        />
      </Section>

      <Section id="complaints-per-carrier" title={t('complaints')} state={st(carriers)} empty={cs.length === 0} csv={carriers.data ? { path: `/v1/stats/complaints/carriers?${range}&format=csv`, file: 'complaints-by-carrier.csv' } : undefined}>
        <RankBars showTitle={false} title={t('complaints')} rows={cs.map((c) => ({ label: c.carrier, value: c.count }))} />
        <DataTable
          caption={t('complaints')}
          rows={cs}
          columns={[
            { label: t('carrier'), cell: (c) => c.carrier },
            { label: t('complaintsCol'), cell: (c) => fmtNum(c.count, lang), className: 'num' },
            { label: t('violationsCol'), cell: (c) => fmtNum(c.violations, lang), className: 'num' },
            { label: t('openCol'), cell: (c) => fmtNum(c.open, lang), className: 'num' },
          ]}
        />
      </Section>

      <Section id="response-times" title={t('responseTimes')} state={st(responses)} empty={rts.length === 0} csv={responses.data ? { path: `/v1/stats/response-times?${range}&format=csv`, file: 'response-times.csv' } : undefined}>
        <RankBars showTitle={false} title={t('responseTimes')} rows={rts.filter((r) => r.action === 'done').map((r) => ({ label: `${fmtDay(r.week, lang)} · ${r.organisation} · ${tv('tk_', r.kind)}`, value: r.medianMinutes }))} />
        <DataTable
          caption={t('responseTimes')}
          testid="response-times-table"
          rows={rts}
          rowAttrs={(r) => ({ 'data-org': r.organisation, 'data-kind': r.kind, 'data-action': r.action })}
          columns={[
            { label: t('week'), cell: (r) => fmtDay(r.week, lang) },
            { label: t('organisation'), cell: (r) => r.organisation },
            { label: t('taskKind'), cell: (r) => tv('tk_', r.kind) },
            { label: t('action'), cell: (r) => tv('tact_', r.action) },
            { label: t('count'), cell: (r) => fmtNum(r.count, lang), className: 'num' },
            { label: t('medianMinutes'), cell: (r) => fmtNum(r.medianMinutes, lang, { maximumFractionDigits: 1 }), className: 'num' },
            { label: t('p90Minutes'), cell: (r) => fmtNum(r.p90Minutes, lang, { maximumFractionDigits: 1 }), className: 'num' },
          ]}
        />
      </Section>

      <Section id="consent-violations" title={t('consentViolations')} state={st(violations)} empty={byViolation.days.length === 0} csv={violations.data ? { path: `/v1/stats/violations?${range}&format=csv`, file: 'violations-by-day.csv' } : undefined}>
        <StackedBars showTitle={false} title={t('consentViolations')} days={byViolation.days} series={byViolation.series} scale={scale} />
      </Section>
    </>
  );
}
