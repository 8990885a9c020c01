import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { can } from '../access.js';
import { PALETTE, StackedBars, dayRange } from '../chart.js';
import type { Key } from '../i18n.js';
import { href, navigate } from '../router.js';
import type { Route } from '../router.js';
import { ErrorBox, PageTitle, Reasons, TextField, formatTime, useAction, useApp } from '../ui.js';

export interface Reason {
  code: string;
  text: string;
}

export interface Reputation {
  identifier: string;
  kind: string;
  score: number;
  category: string | null;
  confidence: number;
  label: string;
  reasons: Reason[];
  reports: number;
  confirmed: boolean;
  claimedOrganization: string | null;
  timeline?: { kind: string; at: string; category: string | null; detail: string | null }[];
}

export function lookup(id: string, timeline = false): Promise<Reputation> {
  return api<Reputation>('GET', `/v1/identifiers/${encodeURIComponent(id)}${timeline ? '?timeline=true' : ''}`);
}

export function ScoreBadge({ score }: { score: number }) {
  const { t } = useApp();
  const level = score >= 70 ? 'high' : score >= 40 ? 'mid' : score > 0 ? 'low' : 'none';
  return (
    <div class={`score score-${level}`} data-testid="score" data-score={score}>
      <span class="score-num">{score}</span>
      <span class="sr-only">{t('scoreOf', { score })}</span>
      <span class="score-bar" aria-hidden="true">
        <span style={{ width: `${score}%` }} />
      </span>
    </div>
  );
}

export function ReputationCard({ rep }: { rep: Reputation }) {
  const { t, tv, lang } = useApp();
  return (
    <section class="panel" aria-labelledby="rep-title" data-testid="reputation">
      <h2 id="rep-title" class="ident">{rep.identifier}</h2>
      <div class="rep-grid">
        <ScoreBadge score={rep.score} />
        <dl class="facts">
          <dt>{t('label')}</dt>
          <dd data-testid="label">{rep.label}</dd>
          <dt>{t('category')}</dt>
          <dd>{tv('cat_', rep.category)}</dd>
          <dt>{t('kind')}</dt>
          <dd>{rep.kind}</dd>
          <dt>{t('confidence')}</dt>
          <dd>{Math.round(rep.confidence * 100)}%</dd>
          <dt>{t('reports')}</dt>
          <dd data-testid="reports">{rep.reports}</dd>
          <dt>{t('confirmed')}</dt>
          <dd>{rep.confirmed ? t('yes') : t('no')}</dd>
          {rep.claimedOrganization ? (
            <>
              <dt>{t('claimedOrganization')}</dt>
              <dd>{rep.claimedOrganization}</dd>
            </>
          ) : null}
        </dl>
      </div>
      <h3>{t('reasons')}</h3>
      {rep.reasons.length ? (
        <Reasons reasons={rep.reasons} />
      ) : (
        <p class="muted">{t('none')}</p>
      )}
      {rep.timeline ? <Timeline rows={rep.timeline} lang={lang} /> : null}
    </section>
  );
}

const KINDS = ['report', 'list', 'feedback', 'appeal'] as const;

function Timeline({ rows }: { rows: NonNullable<Reputation['timeline']>; lang: string }) {
  const { t, tv, lang } = useApp();
  if (rows.length === 0) return <p class="muted">{t('timelineEmpty')}</p>;
  const days = dayRange(rows.map((r) => r.at.slice(0, 10)));
  const index = new Map(days.map((d, i) => [d, i]));
  const series = KINDS.map((k, n) => {
    const values = days.map(() => 0);
    for (const r of rows) if (r.kind === k) values[index.get(r.at.slice(0, 10)) ?? 0]! += 1;
    return { label: t(`kind_${k}` as Key), color: PALETTE[n]!, values };
  }).filter((s) => s.values.some((v) => v > 0));
  const recent = rows.slice(-20).reverse();
  return (
    <>
      <StackedBars title={t('timeline')} days={days} series={series} />
      <h3>{t('evidence')}</h3>
      <div class="table-wrap" tabIndex={0} role="region" aria-label={t('evidence')}>
        <table class="responsive">
          <thead>
            <tr>
              <th scope="col">{t('when')}</th>
              <th scope="col">{t('kind')}</th>
              <th scope="col">{t('category')}</th>
              <th scope="col">{t('detail')}</th>
            </tr>
          </thead>
          <tbody>
            {recent.map((r) => (
              <tr>
                <td data-label={t('when')}>{formatTime(r.at, lang)}</td>
                <td data-label={t('kind')}>{tv('kind_', r.kind)}</td>
                <td data-label={t('category')}>{r.category ? tv('cat_', r.category) : ''}</td>
                <td data-label={t('detail')}>{r.detail ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function LookupPage({ route }: { route: Route }) {
  const { t, session } = useApp();
  const wanted = route.params.get('id') ?? '';
  const [id, setId] = useState(wanted);
  const [rep, setRep] = useState<Reputation | null>(null);
  const { busy, error, run } = useAction(async (value: string) => setRep(await lookup(value, true)));
  useEffect(() => {
    // Only a wanted id replaces the field: resetting it to '' on mount could wipe what the user (or
    // a fast test) typed before the effect ran.
    if (wanted) {
      setId(wanted);
      void run(wanted);
    } else setRep(null);
  }, [wanted]);
  return (
    <>
      <PageTitle>{t('lookupTitle')}</PageTitle>
      <form
        class="inline-form"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          if (id.trim() === wanted) void run(id.trim());
          else navigate('lookup', { id: id.trim() });
        }}
      >
        <TextField label={t('lookupField')} name="identifier" value={id} onInput={setId} help={t('lookupHelp')} required />
        <button type="submit" class="primary" disabled={busy || !id.trim()}>
          {t('lookupButton')}
        </button>
      </form>
      <ErrorBox error={error} />
      {busy ? <p role="status">{t('loading')}</p> : null}
      {rep ? <ReputationCard rep={rep} /> : null}
      {rep && session && can(session.role, 'reports.create') ? (
        <p>
          <a href={href('report', { caller: rep.identifier })}>{t('reportThis')}</a>
        </p>
      ) : null}
    </>
  );
}
