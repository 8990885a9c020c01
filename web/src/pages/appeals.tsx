import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { can } from '../access.js';
import { href } from '../router.js';
import { ErrorBox, PageTitle, SelectField, TextField, formatTime, useAction, useApp } from '../ui.js';

interface Appeal {
  id: string;
  identifier: string;
  status: 'pending' | 'upheld' | 'rejected';
  evidence: string;
  contact: string | null;
  createdAt: string;
  decidedAt: string | null;
  decisionReason: string | null;
}

type Filter = 'pending' | 'upheld' | 'rejected' | 'all';

function FileAppeal({ onFiled }: { onFiled: () => void }) {
  const { t, tv } = useApp();
  const [identifier, setIdentifier] = useState('');
  const [evidence, setEvidence] = useState('');
  const [contact, setContact] = useState('');
  const [filed, setFiled] = useState<Appeal | null>(null);
  const { busy, error, run } = useAction(async () => {
    const body: Record<string, string> = { identifier: identifier.trim(), evidence: evidence.trim() };
    if (contact.trim()) body.contact = contact.trim();
    setFiled(await api<Appeal>('POST', '/v1/appeals', { body }));
    setEvidence('');
    onFiled();
  });
  return (
    <section class="panel" aria-labelledby="file-appeal">
      <h2 id="file-appeal">{t('fileAppeal')}</h2>
      <p>{t('appealIntro')}</p>
      <form
        class="grid-form"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <TextField label={t('identifier')} name="identifier" value={identifier} onInput={setIdentifier} required />
        <TextField label={t('contact')} name="contact" value={contact} onInput={setContact} optional />
        <TextField label={t('appealEvidence')} name="evidence" value={evidence} onInput={setEvidence} help={t('appealEvidenceHelp')} multiline required />
        <div class="form-actions">
          <button type="submit" class="primary" disabled={busy || !identifier.trim() || evidence.trim().length < 10}>
            {t('sendAppeal')}
          </button>
        </div>
      </form>
      <ErrorBox error={error} />
      {filed ? (
        <p role="status" class="ok">
          {t('appealFiled', { status: tv('st_', filed.status) })}
        </p>
      ) : null}
    </section>
  );
}

function Decide({ appeal, onDone }: { appeal: Appeal; onDone: () => void }) {
  const { t } = useApp();
  const [reason, setReason] = useState('');
  const { busy, error, run, setError } = useAction(async (decision: 'upheld' | 'rejected') => {
    await api('POST', `/v1/appeals/${appeal.id}/decision`, { body: { decision, reason: reason.trim() } });
    onDone();
  });
  const go = (d: 'upheld' | 'rejected'): void => {
    if (!reason.trim()) setError(new Error(t('reasonRequired')));
    else void run(d);
  };
  return (
    <div class="decide">
      <TextField label={t('decisionReason')} name={`reason-${appeal.id}`} value={reason} onInput={setReason} />
      <div class="buttons">
        <button type="button" class="primary" disabled={busy} onClick={() => go('upheld')}>
          {t('uphold')}
        </button>
        <button type="button" class="danger" disabled={busy} onClick={() => go('rejected')}>
          {t('reject')}
        </button>
      </div>
      <ErrorBox error={error} />
    </div>
  );
}

function Queue({ version }: { version: number }) {
  const { t, tv, lang, session } = useApp();
  const [filter, setFilter] = useState<Filter>('pending');
  const [appeals, setAppeals] = useState<Appeal[] | null>(null);
  const [n, setN] = useState(0);
  const { busy, error, run } = useAction(async () => {
    const q = filter === 'all' ? '' : `?status=${filter}`;
    setAppeals((await api<{ appeals: Appeal[] }>('GET', `/v1/appeals${q}`)).appeals);
  });
  useEffect(() => void run(), [filter, version, n]);
  const mayDecide = session ? can(session.role, 'appeals.decide') : false;
  return (
    <section class="panel" aria-labelledby="queue">
      <div class="panel-head">
        <h2 id="queue">{t('queue')}</h2>
        <SelectField label={t('filterStatus')} name="status" value={filter} onChange={setFilter} options={(['pending', 'upheld', 'rejected', 'all'] as const).map((s) => ({ value: s, label: tv('st_', s) }))} />
        <button type="button" onClick={() => setN(n + 1)} disabled={busy}>
          {t('refresh')}
        </button>
      </div>
      <ErrorBox error={error} />
      {appeals && appeals.length === 0 ? <p class="muted">{t('noEntries')}</p> : null}
      <ul class="items" data-testid="appeals">
        {(appeals ?? []).map((a) => (
          <li class="item" key={`${a.id}:${a.status}`} data-status={a.status}>
            <div class="item-head">
              <a class="ident" href={href('lookup', { id: a.identifier })}>
                <strong>{a.identifier}</strong>
              </a>
              <span class={`badge st-${a.status}`}>{tv('st_', a.status)}</span>
              <span class="muted">{formatTime(a.createdAt, lang)}</span>
            </div>
            <p>{a.evidence}</p>
            {a.contact ? (
              <p class="muted">
                {t('contact')}: {a.contact}
              </p>
            ) : null}
            {a.decisionReason ? (
              <p>
                {t('reason')}: {a.decisionReason}
              </p>
            ) : null}
            {mayDecide && a.status === 'pending' ? <Decide appeal={a} onDone={() => setN(n + 1)} /> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function AppealsPage() {
  const { t, session } = useApp();
  const [version, setVersion] = useState(0);
  if (!session) return <></>;
  return (
    <>
      <PageTitle>{t('appealsTitle')}</PageTitle>
      {can(session.role, 'appeals.create') ? <FileAppeal onFiled={() => setVersion(version + 1)} /> : null}
      {can(session.role, 'appeals.read') ? <Queue version={version} /> : null}
    </>
  );
}
