import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { ErrorBox, PageTitle, Reasons, SelectField, TextField, useAction, useApp } from '../ui.js';
import { ScoreBadge } from './lookup.js';
import type { Reason } from './lookup.js';

interface Decision {
  action: 'allow' | 'label' | 'warn' | 'silence' | 'block';
  score: number;
  category: string | null;
  label: string;
  reasons: Reason[];
  advice?: string;
  caller?: string;
  callerKind?: string;
}

export function ScreenPage() {
  const { t, tv } = useApp();
  const [caller, setCaller] = useState('');
  const [callee, setCallee] = useState('');
  const [channel, setChannel] = useState<'pstn' | 'video' | 'voip'>('pstn');
  const [attestation, setAttestation] = useState<'' | 'A' | 'B' | 'C'>('');
  const [decision, setDecision] = useState<Decision | null>(null);
  const { busy, error, run } = useAction(async () => {
    const body: Record<string, string> = { caller: caller.trim(), callee: callee.trim(), channel };
    if (attestation) body.attestation = attestation;
    setDecision(await api<Decision>('POST', '/v1/screen', { body, fresh: true }));
  });
  return (
    <>
      <PageTitle>{t('screenTitle')}</PageTitle>
      <form
        class="grid-form"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <TextField label={t('caller')} name="caller" value={caller} onInput={setCaller} help={t('lookupHelp')} required />
        <TextField label={t('callee')} name="callee" value={callee} onInput={setCallee} help={t('calleeHelp')} required />
        <SelectField label={t('channel')} name="channel" value={channel} onChange={setChannel} options={(['pstn', 'video', 'voip'] as const).map((c) => ({ value: c, label: tv('ch_', c) }))} />
        <SelectField label={t('attestation')} name="attestation" value={attestation} onChange={setAttestation} options={(['', 'A', 'B', 'C'] as const).map((a) => ({ value: a, label: tv('att_', a || 'none') }))} />
        <div class="form-actions">
          <button type="submit" class="primary" disabled={busy || !caller.trim() || !callee.trim()}>
            {t('screenButton')}
          </button>
        </div>
      </form>
      <ErrorBox error={error} />
      {decision ? (
        <section class="panel" aria-live="polite" data-testid="decision">
          <h2>{t('decision')}</h2>
          <p>
            <span class={`action act-${decision.action}`} data-testid="action">
              {tv('act_', decision.action)}
            </span>{' '}
            <span>{decision.label}</span>
          </p>
          <ScoreBadge score={decision.score} />
          <h3>{t('reasons')}</h3>
          <Reasons reasons={decision.reasons} />
          {decision.advice ? (
            <>
              <h3>{t('advice')}</h3>
              <p class="advice">{decision.advice}</p>
            </>
          ) : null}
        </section>
      ) : null}
    </>
  );
}
