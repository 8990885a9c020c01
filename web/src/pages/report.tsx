import { useState } from 'preact/hooks';
import { api } from '../api.js';
import type { Route } from '../router.js';
import { ErrorBox, PageTitle, Reasons, SelectField, TextField, useAction, useApp } from '../ui.js';
import { ScoreBadge, lookup } from './lookup.js';
import type { Reputation } from './lookup.js';

const CATEGORIES = ['fraud', 'impersonation', 'harassment', 'robocall', 'spam-ad', 'other'] as const;
const CHANNELS = ['pstn', 'video', 'voip', 'sms'] as const;

function reporterRef(): string {
  // One opaque reference per browser tab: repeated reports from it within a day count once.
  let r = sessionStorage.getItem('callshield.reporter');
  if (!r) {
    r = `console-${crypto.randomUUID().slice(0, 8)}`;
    sessionStorage.setItem('callshield.reporter', r);
  }
  return r;
}

export function ReportPage({ route }: { route: Route }) {
  const { t, tv } = useApp();
  const [caller, setCaller] = useState(route.params.get('caller') ?? '');
  const [reporter, setReporter] = useState(reporterRef);
  const [category, setCategory] = useState<(typeof CATEGORIES)[number]>('fraud');
  const [channel, setChannel] = useState<(typeof CHANNELS)[number]>('pstn');
  const [claimed, setClaimed] = useState('');
  const [comment, setComment] = useState('');
  const [result, setResult] = useState<{ before: Reputation | null; after: Reputation } | null>(null);
  const { busy, error, run } = useAction(async () => {
    setResult(null);
    const before = await lookup(caller.trim()).catch(() => null);
    const body: Record<string, string> = { caller: caller.trim(), reporter: reporter.trim(), category, channel };
    if (claimed.trim()) body.claimedOrganization = claimed.trim();
    if (comment.trim()) body.comment = comment.trim();
    const res = await api<{ id: string; reputation: Reputation }>('POST', '/v1/reports', { body });
    setResult({ before, after: { ...res.reputation, identifier: (res as unknown as { caller: string }).caller } });
  });
  return (
    <>
      <PageTitle>{t('reportTitle')}</PageTitle>
      <form
        class="grid-form"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <TextField label={t('caller')} name="caller" value={caller} onInput={setCaller} help={t('callerHelp')} required />
        <SelectField label={t('category')} name="category" value={category} onChange={setCategory} options={CATEGORIES.map((c) => ({ value: c, label: tv('cat_', c) }))} />
        <SelectField label={t('channel')} name="channel" value={channel} onChange={setChannel} options={CHANNELS.map((c) => ({ value: c, label: tv('ch_', c) }))} />
        <TextField label={t('claimedOrgField')} name="claimedOrganization" value={claimed} onInput={setClaimed} help={t('claimedOrgHelp')} optional />
        <TextField label={t('reporter')} name="reporter" value={reporter} onInput={setReporter} help={t('reporterHelp')} required />
        <TextField label={t('comment')} name="comment" value={comment} onInput={setComment} optional multiline />
        <div class="form-actions">
          <button type="submit" class="primary" disabled={busy || !caller.trim() || !reporter.trim()}>
            {t('sendReport')}
          </button>
        </div>
      </form>
      <ErrorBox error={error} />
      {result ? (
        <section class="panel" aria-live="polite" data-testid="report-result">
          <h2>{t('reportFiled')}</h2>
          <p class="score-change" data-testid="score-change" data-before={result.before?.score ?? 0} data-after={result.after.score}>
            {t('scoreChange', { before: result.before?.score ?? 0, after: result.after.score })}
          </p>
          <div class="before-after">
            <div>
              <h3>{t('before')}</h3>
              <ScoreBadge score={result.before?.score ?? 0} />
              <p>{result.before?.label ?? ''}</p>
            </div>
            <div>
              <h3>{t('after')}</h3>
              <ScoreBadge score={result.after.score} />
              <p data-testid="label-after">{result.after.label}</p>
            </div>
          </div>
          <h3>{t('reasons')}</h3>
          <Reasons reasons={result.after.reasons} />
        </section>
      ) : null}
    </>
  );
}
