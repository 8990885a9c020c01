import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { can } from '../access.js';
import { href } from '../router.js';
import { ErrorBox, Loadable, PageTitle, SelectField, TextField, formatTime, useAction, useApp, useConfirm, useLoad } from '../ui.js';
import { fmtNum, personLabel } from '../format.js';
import { ScoreBadge } from './lookup.js';

interface Appeal {
  id: string;
  identifier: string;
  status: 'pending' | 'upheld' | 'rejected';
  evidence: string;
  contact: string | null;
  createdAt: string;
  decidedAt: string | null;
  decisionReason: string | null;
  appellant?: { org: { id: string; name: string | null }; person: string | null };
  holderVerified?: boolean;
  /** The number's score now (the decider's queue only). */
  score?: number;
}

interface AppealContext {
  holder: { registered: boolean; holder: string | null; org: string | null; carrier: string | null; appellantIsHolder: boolean };
  score: number;
  category: string | null;
  label: string;
  confirmed: boolean;
  evidence: {
    crowd: { reports: number; reporters: number; organisations: number; complaints: number; heldForReview: number };
    notSpam: { reporters: number; organisations: number };
    lists: { list: string; source: string; name: string | null; owner: string; named: boolean }[];
    pattern: number;
    attestation: number;
  };
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
  const confirm = useConfirm();
  const { busy, error, run, setError } = useAction(async (decision: 'upheld' | 'rejected') => {
    await api('POST', `/v1/appeals/${appeal.id}/decision`, { body: { decision, reason: reason.trim() } });
    onDone();
  });
  const go = (d: 'upheld' | 'rejected'): void => {
    if (!reason.trim()) {
      setError(new Error(t('reasonRequired')));
      return;
    }
    const upheld = d === 'upheld';
    confirm.ask({
      title: t(upheld ? 'confirmUpholdTitle' : 'confirmRejectTitle'),
      message: t(upheld ? 'confirmUpholdText' : 'confirmRejectText', { id: appeal.identifier, score: appeal.score ?? '' }),
      confirmLabel: t(upheld ? 'uphold' : 'reject'),
      danger: upheld,
      onConfirm: () => void run(d),
    });
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
      {confirm.dialog}
    </div>
  );
}

/** What the decider weighs: holder match, current score and the evidence by source (GET /v1/appeals/{id}). */
function Evidence({ appeal }: { appeal: Appeal }) {
  const { t, tv, lang } = useApp();
  const ctx = useLoad(() => api<Appeal & { context?: AppealContext }>('GET', `/v1/appeals/${appeal.id}`), [appeal.id]);
  return (
    <div class="evidence-by-source" data-testid="appeal-evidence">
      <Loadable state={ctx} empty={(d) => !d.context}>
        {(d) => {
          const c = d.context!;
          const e = c.evidence;
          return (
            <>
              <div class="rep-grid">
                <ScoreBadge score={c.score} />
                <dl class="facts">
                  <dt>{t('label')}</dt>
                  <dd>{c.label}</dd>
                  <dt>{t('category')}</dt>
                  <dd>{tv('cat_', c.category)}</dd>
                  <dt>{t('holderMatch')}</dt>
                  <dd data-testid="holder-detail">{c.holder.registered ? t('registeredTo', { holder: c.holder.holder ?? c.holder.org ?? '', carrier: c.holder.carrier ?? '' }) : t('notRegistered')}</dd>
                </dl>
              </div>
              <h4>{t('evidenceBySource')}</h4>
              <dl class="facts" data-testid="evidence-sources">
                <dt>{t('src_crowd')}</dt>
                <dd>{t('crowdFigures', { reports: fmtNum(e.crowd.reports, lang), reporters: fmtNum(e.crowd.reporters, lang), organisations: fmtNum(e.crowd.organisations, lang), complaints: fmtNum(e.crowd.complaints, lang), held: fmtNum(e.crowd.heldForReview, lang) })}</dd>
                <dt>{t('src_notSpam')}</dt>
                <dd>{t('notSpamFigures', { reporters: fmtNum(e.notSpam.reporters, lang), organisations: fmtNum(e.notSpam.organisations, lang) })}</dd>
                <dt>{t('src_lists')}</dt>
                <dd>{e.lists.length ? e.lists.map((l) => `${l.name ?? l.owner} (${tv('role_', l.source)})`).join(', ') : t('none')}</dd>
                <dt>{t('src_pattern')}</dt>
                <dd>{fmtNum(e.pattern, lang)}</dd>
                <dt>{t('src_attestation')}</dt>
                <dd>{fmtNum(e.attestation, lang)}</dd>
              </dl>
            </>
          );
        }}
      </Loadable>
    </div>
  );
}

/** Open (and loaded) at once for a pending appeal, so nobody decides blind; on demand for decided ones. */
function EvidenceDetails({ appeal }: { appeal: Appeal }) {
  const { t } = useApp();
  const [open, setOpen] = useState(appeal.status === 'pending');
  return (
    <details class="evidence-details" open={open} onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
      <summary>{t('showEvidence')}</summary>
      {open ? <Evidence appeal={appeal} /> : null}
    </details>
  );
}

type AppealSort = 'newest' | 'oldest' | 'score';

function Queue({ version }: { version: number }) {
  const { t, tv, lang, session } = useApp();
  const [filter, setFilter] = useState<Filter>('pending');
  const [sort, setSort] = useState<AppealSort>('oldest');
  const [n, setN] = useState(0);
  const appeals = useLoad(() => api<{ appeals: Appeal[] }>('GET', `/v1/appeals${filter === 'all' ? '' : `?status=${filter}`}`), [filter, version, n]);
  const mayDecide = session ? can(session.role, 'appeals.decide') : false;
  const sorted = (list: Appeal[]): Appeal[] => {
    const out = [...list];
    if (sort === 'score') out.sort((a, b) => (b.score ?? 0) - (a.score ?? 0));
    else if (sort === 'newest') out.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    else out.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    return out;
  };
  const who = (a: Appeal): string => [a.appellant?.org.name, personLabel(a.appellant?.person, (tail) => t('unnamedOfficer', { tail }))].filter(Boolean).join(' / ');
  return (
    <section class="panel" aria-labelledby="queue" data-testid="appeals-section">
      <div class="panel-head">
        <h2 id="queue">
          {t('queue')} {appeals.data ? <span class="count" data-testid="appeals-count">({appeals.data.appeals.length})</span> : null}
        </h2>
        <SelectField label={t('filterStatus')} name="status" value={filter} onChange={setFilter} options={(['pending', 'upheld', 'rejected', 'all'] as const).map((s) => ({ value: s, label: tv('st_', s) }))} />
        <SelectField label={t('sortBy')} name="appealSort" value={sort} onChange={setSort} options={(mayDecide ? (['oldest', 'newest', 'score'] as const) : (['oldest', 'newest'] as const)).map((s) => ({ value: s, label: t(`sort_${s}`) }))} />
        <button type="button" onClick={() => setN(n + 1)} disabled={appeals.busy}>
          {t('refresh')}
        </button>
      </div>
      <Loadable state={appeals} empty={(d) => d.appeals.length === 0}>
        {(d) => (
          <ul class="items" data-testid="appeals">
            {sorted(d.appeals).map((a) => (
              <li class="item" key={`${a.id}:${a.status}`} data-status={a.status} data-appeal={a.id}>
                <div class="item-head">
                  <a class="ident" href={href('lookup', { id: a.identifier })}>
                    <strong>{a.identifier}</strong>
                  </a>
                  <span class={`badge st-${a.status}`}>{tv('st_', a.status)}</span>
                  {a.score !== undefined ? (
                    <span class="badge" data-testid="appeal-score">
                      {t('currentScore')}: {a.score}
                    </span>
                  ) : null}
                  <span class="muted">{formatTime(a.createdAt, lang)}</span>
                </div>
                {a.appellant ? (
                  <p data-testid="appellant">
                    {t('appellant')}: <strong>{who(a)}</strong> ·{' '}
                    <span class={a.holderVerified ? 'holder-yes' : 'holder-no'} data-testid="holder-match">
                      {a.holderVerified ? t('holderYes') : t('holderNo')}
                    </span>
                  </p>
                ) : null}
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
                {mayDecide ? <EvidenceDetails appeal={a} /> : null}
                {mayDecide && a.status === 'pending' ? <Decide appeal={a} onDone={() => setN(n + 1)} /> : null}
              </li>
            ))}
          </ul>
        )}
      </Loadable>
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
