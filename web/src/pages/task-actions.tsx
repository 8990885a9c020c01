import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { ErrorBox, TextField, useAction, useApp } from '../ui.js';

// What a party does with one task: accept it, report what was done (the outcome fields the API
// takes for its kind: traced to carrier, number suspended, account suspended, amount held), or refuse
// it with a reason. Done and refused are final, so both ask for a confirmation first.

export interface ActionableTask {
  id: string;
  kind: string;
  status: string;
}

function Check({ label, name, checked, onChange }: { label: string; name: string; checked: boolean; onChange: (v: boolean) => void }) {
  return (
    <label class="check">
      <input type="checkbox" name={name} checked={checked} onChange={(e) => onChange((e.target as HTMLInputElement).checked)} /> {label}
    </label>
  );
}

export function TaskActions({ task, onDone }: { task: ActionableTask; onDone: () => void }) {
  const { t } = useApp();
  const [outcome, setOutcome] = useState('');
  const [amountHeld, setAmountHeld] = useState('');
  const [currency, setCurrency] = useState('');
  const [tracedTo, setTracedTo] = useState('');
  const [numberSuspended, setNumberSuspended] = useState(false);
  const [accountSuspended, setAccountSuspended] = useState(false);
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState<'done' | 'refuse' | null>(null);

  const details: Record<string, unknown> = {};
  const parts: string[] = [];
  if (tracedTo.trim()) {
    details.tracedTo = tracedTo.trim();
    parts.push(`traced to carrier ${tracedTo.trim()}`);
  }
  if (numberSuspended) {
    details.numberSuspended = true;
    parts.push('number suspended');
  }
  if (accountSuspended) {
    details.accountSuspended = true;
    parts.push('account suspended');
  }
  const held = Number(amountHeld.replace(/[\s,]/g, ''));
  const heldValid = amountHeld.trim() === '' || (Number.isSafeInteger(held) && held >= 0); // minor units (fen, cents)
  if (amountHeld.trim() && heldValid) {
    details.heldAmount = held;
    if (currency.trim()) details.currency = currency.trim().toUpperCase();
    parts.push(`amount held ${held}${currency.trim() ? ` ${currency.trim().toUpperCase()}` : ''}`);
  }
  const said = outcome.trim() || parts.join(', ');

  const act = useAction(async (action: 'accept' | 'done' | 'refuse') => {
    const body = action === 'done' ? { outcome: said, ...(Object.keys(details).length ? { details } : {}) } : action === 'refuse' ? { reason: reason.trim() } : undefined;
    await api('POST', `/v1/tasks/${encodeURIComponent(task.id)}/${action}`, body ? { body } : {});
    setConfirming(null);
    onDone();
  });
  if (task.status === 'done' || task.status === 'refused') return null;
  return (
    <div class="decide" data-testid="task-actions">
      {task.status === 'open' || task.status === 'escalated' ? (
        <button type="button" onClick={() => void act.run('accept')} disabled={act.busy}>
          {t('taskAccept')}
        </button>
      ) : null}
      <fieldset>
        <legend>{t('taskReport')}</legend>
        {task.kind === 'freeze-preparation' ? (
          <>
            <TextField label={t('taskAmountHeld')} name={`held-${task.id}`} value={amountHeld} onInput={setAmountHeld} inputMode="decimal" optional />
            <TextField label={t('currency')} name={`currency-${task.id}`} value={currency} onInput={setCurrency} optional />
          </>
        ) : null}
        {task.kind === 'trace-and-suspend' ? (
          <>
            <TextField label={t('taskTracedTo')} name={`traced-${task.id}`} value={tracedTo} onInput={setTracedTo} optional />
            <Check label={t('taskNumberSuspended')} name={`number-suspended-${task.id}`} checked={numberSuspended} onChange={setNumberSuspended} />
          </>
        ) : null}
        {task.kind === 'suspend-account' ? <Check label={t('taskAccountSuspended')} name={`account-suspended-${task.id}`} checked={accountSuspended} onChange={setAccountSuspended} /> : null}
        <TextField label={t('taskOutcome')} name={`outcome-${task.id}`} value={outcome} onInput={setOutcome} help={t('taskOutcomeHelp')} optional={parts.length > 0} />
        {!heldValid ? <p class="error">{t('taskAmountInvalid')}</p> : null}
        <button type="button" class="primary" onClick={() => setConfirming('done')} disabled={act.busy || !said || !heldValid}>
          {t('taskDone')}
        </button>
      </fieldset>
      <TextField label={t('reason')} name={`reason-${task.id}`} value={reason} onInput={setReason} />
      <button type="button" onClick={() => setConfirming('refuse')} disabled={act.busy || reason.trim().length < 3}>
        {t('taskRefuse')}
      </button>
      {confirming ? (
        <div class="confirm" role="group" aria-label={t('taskConfirmTitle')} data-testid="task-confirm">
          <p>{confirming === 'done' ? t('taskConfirmDone', { outcome: said }) : t('taskConfirmRefuse', { reason: reason.trim() })}</p>
          <button type="button" class="primary" onClick={() => void act.run(confirming)} disabled={act.busy}>
            {t('confirm')}
          </button>
          <button type="button" onClick={() => setConfirming(null)} disabled={act.busy}>
            {t('cancel')}
          </button>
        </div>
      ) : null}
      <ErrorBox error={act.error} />
    </div>
  );
}
