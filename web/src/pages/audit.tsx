import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { witnessCheck } from '../audit-witness.js';
import type { WitnessVerdict } from '../audit-witness.js';
import { ErrorBox, PageTitle, TextField, formatTime, useAction, useApp, useLoad } from '../ui.js';

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
  rootHash: string;
  checkpoint?: { treeSize: number; source: 'given' | 'stored' };
  problem?: { kind: string; detail: string; seq?: number };
  brokenAt?: { seq: number; problem: string };
  head?: string;
}

interface CheckpointView {
  origin: string;
  treeSize: number;
  rootHash: string;
  checkpoint: string;
  publicKey: string | null;
  signedAt: string;
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
  const latest = useLoad(() => api<CheckpointView>('GET', '/v1/audit/checkpoint'), []);
  const cp = latest.data;
  const [kept, setKept] = useState('');
  const [verifier, setVerifier] = useState('');
  const [verdict, setVerdict] = useState<WitnessVerdict | null>(null);
  useEffect(() => {
    if (cp?.publicKey && !verifier) setVerifier(cp.publicKey);
  }, [cp?.publicKey]);
  const witness = useAction(async () => {
    setVerdict(null);
    // The live checkpoint is fetched again: the log may have grown since the page opened.
    const live = await api<CheckpointView>('GET', '/v1/audit/checkpoint');
    const v = await witnessCheck(kept, live.checkpoint, verifier, async (from, to) =>
      (await api<{ consistencyPath: string[] }>('GET', `/v1/audit/proof/consistency?from=${from}&to=${to}`)).consistencyPath,
    );
    setVerdict(v);
  });
  return (
    <>
      <PageTitle>{t('auditTitle')}</PageTitle>
      <section class="panel" aria-labelledby="cp-h" data-testid="checkpoint">
        <h2 id="cp-h">{t('latestCheckpoint')}</h2>
        <ErrorBox error={latest.error} />
        {cp ? (
          <>
            <p>{t('checkpointSummary', { n: cp.treeSize, at: formatTime(cp.signedAt, lang) })}</p>
            <pre class="hash wrap-any" data-testid="checkpoint-note">{cp.checkpoint}</pre>
            <p class="muted">
              {t('verifierKey')}: <span class="hash wrap-any">{cp.publicKey ?? '—'}</span>
            </p>
          </>
        ) : null}
      </section>
      <section class="panel" aria-labelledby="witness-h">
        <h2 id="witness-h">{t('witnessTitle')}</h2>
        <p class="muted">{t('witnessHelp')}</p>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void witness.run();
          }}
        >
          <TextField label={t('keptCheckpoint')} value={kept} onInput={setKept} multiline required name="checkpoint" />
          <TextField label={t('verifierKey')} value={verifier} onInput={setVerifier} help={t('verifierKeyHelp')} required name="verifier" />
          <button type="submit" disabled={witness.busy || !kept.trim()}>
            {t('witnessCheck')}
          </button>
        </form>
        <ErrorBox error={witness.error} />
        {verdict ? (
          verdict.kind === 'ok' ? (
            <p class="chain chain-ok" data-testid="witness-verdict" data-ok="true" aria-live="polite">
              <span aria-hidden="true">✔ </span>
              {t('witnessOk', { from: verdict.from, to: verdict.to })}
            </p>
          ) : (
            <p class="chain chain-broken" data-testid="witness-verdict" data-ok="false" data-kind={verdict.kind} role="alert">
              <span aria-hidden="true">✖ </span>
              {t(`witness_${verdict.kind.replace(' ', '_')}` as 'witness_malformed')}: {verdict.detail}
            </p>
          )
        ) : null}
      </section>
      <section class="panel" aria-live="polite">
        <ErrorBox error={check.error} />
        {c ? (
          c.ok ? (
            <p class="chain chain-ok" data-testid="chain" data-ok="true">
              <span aria-hidden="true">✔ </span>
              {t('chainOk', { n: c.entries })}
              {c.checkpoint ? ` ${t('extendsCheckpoint', { n: c.checkpoint.treeSize })}` : ''}
              <span class="muted hash">
                {' '}
                {t('head')}: {c.rootHash.slice(0, 16)}…
              </span>
            </p>
          ) : (
            <p class="chain chain-broken" data-testid="chain" data-ok="false" data-kind={c.problem?.kind} role="alert">
              <span aria-hidden="true">✖ </span>
              {t('chainBroken', { kind: c.problem?.kind ?? '?', problem: c.brokenAt ? `${c.brokenAt.seq}: ${c.brokenAt.problem}` : c.problem?.detail ?? '' })}
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
        <table class="audit responsive" data-testid="audit-entries">
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
                <td data-label={t('seq')}>{e.seq}</td>
                <td data-label={t('at')}>{formatTime(e.at, lang)}</td>
                <td data-label={t('actor')}>{e.actor}</td>
                <td data-label={t('action')}>
                  <span class="code">{e.action}</span>
                </td>
                <td data-label={t('subject')} class="ident">{e.subject}</td>
                <td data-label={t('details')}>
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
