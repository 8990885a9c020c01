import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { ErrorBox, PageTitle, formatTime, useAction, useApp, useLoad } from '../ui.js';

interface Entry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  details: string;
  prevHash: string;
  hash: string;
}

interface ChainCheck {
  ok: boolean;
  entries: number;
  brokenAt?: { seq: number; problem: string };
  head?: string;
}

const PAGE = 100;

export function AuditPage() {
  const { t, lang } = useApp();
  const check = useLoad(() => api<ChainCheck>('GET', '/v1/audit/verify'), []);
  const [entries, setEntries] = useState<Entry[]>([]);
  const [more, setMore] = useState(true);
  const load = useAction(async (after: number) => {
    const page = (await api<{ entries: Entry[] }>('GET', `/v1/audit?after=${after}&limit=${PAGE}`)).entries;
    setEntries((prev) => (after === 0 ? page : [...prev, ...page]));
    setMore(page.length === PAGE);
  });
  useEffect(() => void load.run(0), []);
  const c = check.data;
  return (
    <>
      <PageTitle>{t('auditTitle')}</PageTitle>
      <section class="panel" aria-live="polite">
        <ErrorBox error={check.error} />
        {c ? (
          c.ok ? (
            <p class="chain chain-ok" data-testid="chain" data-ok="true">
              <span aria-hidden="true">✔ </span>
              {t('chainOk', { n: c.entries })}
              {c.head ? (
                <span class="muted hash">
                  {' '}
                  {t('head')}: {c.head.slice(0, 16)}…
                </span>
              ) : null}
            </p>
          ) : (
            <p class="chain chain-broken" data-testid="chain" data-ok="false" role="alert">
              <span aria-hidden="true">✖ </span>
              {t('chainBroken', { seq: c.brokenAt?.seq ?? '?', problem: c.brokenAt?.problem ?? '' })}
            </p>
          )
        ) : (
          <p>{t('loading')}</p>
        )}
        <button type="button" onClick={check.reload} disabled={check.busy}>
          {t('verify')}
        </button>
      </section>
      <ErrorBox error={load.error} />
      <div class="table-wrap" tabIndex={0} role="region" aria-label={t('auditTitle')}>
        <table class="audit" data-testid="audit-entries">
          <thead>
            <tr>
              <th scope="col">{t('seq')}</th>
              <th scope="col">{t('at')}</th>
              <th scope="col">{t('actor')}</th>
              <th scope="col">{t('action')}</th>
              <th scope="col">{t('subject')}</th>
              <th scope="col">{t('details')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr>
                <td>{e.seq}</td>
                <td>{formatTime(e.at, lang)}</td>
                <td>{e.actor}</td>
                <td>
                  <span class="code">{e.action}</span>
                </td>
                <td class="ident">{e.subject}</td>
                <td>
                  <details>
                    <summary>{t('details')}</summary>
                    <pre>{pretty(e.details)}</pre>
                    <p class="muted hash">hash {e.hash.slice(0, 16)}… ← {e.prevHash.slice(0, 16)}…</p>
                  </details>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {entries.length === 0 && !load.busy ? <p class="muted">{t('noEntries')}</p> : null}
      {more && entries.length > 0 ? (
        <button type="button" onClick={() => void load.run(entries[entries.length - 1]!.seq)} disabled={load.busy}>
          {t('loadMore')}
        </button>
      ) : null}
    </>
  );
}

function pretty(json: string): string {
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return json;
  }
}
