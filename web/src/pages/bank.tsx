import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { can } from '../access.js';
import { Countdown, DataTable, ErrorBox, Loadable, PageTitle, Reasons, SelectField, TextField, formatTime, useAction, useApp, useConfirm, useLoad } from '../ui.js';
import { CURRENCIES, fmtMoney } from '../format.js';
import type { Reason } from './lookup.js';
import { FreezeList } from './police.js';

// The bank officer's page: check a transfer before it leaves, work the call-back queue of held
// transfers (release or return, always with a reason), and the flagged payee accounts.

const CHANNELS = ['mobile', 'online', 'branch', 'atm', 'pos', 'api', 'other'] as const;


interface CheckResult {
  checkId: string;
  decision: 'allow' | 'confirm' | 'hold' | 'block';
  score: number;
  reasons: Reason[];
  message?: string;
  coolingOffSeconds?: number;
  holdId?: string;
  holdDeadline?: string;
}

interface Hold {
  id: string;
  account: string;
  amount: number;
  currency: string;
  status: 'held' | 'released' | 'returned';
  reasons: Reason[];
  deadline: string;
  overdue: boolean;
  steps: { status: string; reason: string; by: string; at: string }[];
  createdAt: string;
  customerRef?: string | null;
}

interface Flag {
  id: string;
  account: string;
  kind: string;
  level: string;
  source: string;
  evidence: string;
  caller: string | null;
  createdAt: string;
  expiresAt: string | null;
}

function CheckTransfer({ onChecked }: { onChecked: () => void }) {
  const { t, tv, lang } = useApp();
  const [payer, setPayer] = useState('');
  const [payee, setPayee] = useState('');
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState('CNY');
  const [channel, setChannel] = useState<(typeof CHANNELS)[number]>('mobile');
  const [result, setResult] = useState<CheckResult | null>(null);
  const { busy, error, run } = useAction(async () => {
    setResult(null);
    const body = { payer: payer.trim(), payeeAccount: payee.trim(), amount: Number(amount), currency: currency.trim().toUpperCase(), channel };
    // api() sends one Idempotency-Key per submitted check: a second click returns the stored answer instead of a second check.
    setResult(await api<CheckResult>('POST', '/v1/transfers/check', { body }));
    onChecked();
  });
  return (
    <section class="panel" aria-labelledby="check-h">
      <h2 id="check-h">{t('checkTransfer')}</h2>
      <form
        class="grid-form"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <TextField label={t('payer')} name="payer" value={payer} onInput={setPayer} help={t('payerHelp')} required />
        <TextField label={t('payee')} name="payeeAccount" value={payee} onInput={setPayee} help={t('accountHelp')} required />
        <TextField label={t('amount')} name="amount" value={amount} onInput={setAmount} inputMode="decimal" required />
        <SelectField label={t('currency')} name="currency" value={currency} onChange={setCurrency} options={CURRENCIES.map((c) => ({ value: c, label: c }))} />
        <SelectField label={t('channel')} name="transferChannel" value={channel} onChange={setChannel} options={CHANNELS.map((c) => ({ value: c, label: tv('tch_', c) }))} />
        <div class="form-actions">
          <button type="submit" class="primary" disabled={busy || !payer.trim() || !payee.trim() || !(Number(amount) > 0)}>
            {t('checkButton')}
          </button>
        </div>
      </form>
      <ErrorBox error={error} />
      {result ? (
        <div aria-live="polite" data-testid="transfer-result" data-decision={result.decision}>
          <p>
            <span class={`action act-${result.decision}`} data-testid="transfer-decision">
              {tv('dec_', result.decision)}
            </span>{' '}
            {result.message ?? ''}
          </p>
          {result.holdDeadline ? <p>{t('holdUntil', { at: formatTime(result.holdDeadline, lang) })}</p> : null}
          <Reasons reasons={result.reasons} />
        </div>
      ) : null}
    </section>
  );
}

function HoldItem({ hold, mayDecide, onDone }: { hold: Hold; mayDecide: boolean; onDone: () => void }) {
  const { t, tv, lang } = useApp();
  const [reason, setReason] = useState('');
  const confirm = useConfirm();
  const { busy, error, run } = useAction(async (action: 'release' | 'return') => {
    await api('POST', `/v1/holds/${encodeURIComponent(hold.id)}/${action}`, { body: { reason: reason.trim() } });
    onDone();
  });
  const amount = fmtMoney(hold.amount, hold.currency, lang);
  const customer = hold.customerRef ?? t('customerUnknown');
  const ask = (action: 'release' | 'return'): void =>
    confirm.ask({
      title: t(action === 'release' ? 'confirmReleaseTitle' : 'confirmReturnTitle'),
      message: t(action === 'release' ? 'confirmReleaseText' : 'confirmReturnText', { amount, customer, account: hold.account }),
      confirmLabel: t(action === 'release' ? 'release' : 'returnFunds'),
      danger: action === 'return',
      onConfirm: () => void run(action),
    });
  return (
    <li class="item" data-hold={hold.id} data-status={hold.status}>
      <div class="item-head">
        <strong data-testid="hold-customer">
          {t('customer')}: {customer}
        </strong>
        <span class="amount" data-testid="hold-amount">
          {amount}
        </span>
        <span class={`badge hst-${hold.status}`}>{tv('hst_', hold.status)}</span>
        {hold.status === 'held' ? <Countdown deadline={hold.deadline} overdue={hold.overdue} /> : null}
      </div>
      <p class="muted">
        {t('payee')}: <span class="ident">{hold.account}</span> · {t('created')}: {formatTime(hold.createdAt, lang)} · {t('deadline')}: {formatTime(hold.deadline, lang)}
      </p>
      <Reasons reasons={hold.reasons} />
      {hold.steps.length > 1 ? (
        <ol class="steps">
          {hold.steps.slice(1).map((s) => (
            <li>
              {tv('hst_', s.status)} · {formatTime(s.at, lang)} · {s.by}: {s.reason}
            </li>
          ))}
        </ol>
      ) : null}
      {mayDecide && hold.status === 'held' ? (
        <div class="decide">
          <p class="muted full">{t('callBackHint')}</p>
          <TextField label={t('reasonCallBack')} name={`reason-${hold.id}`} value={reason} onInput={setReason} />
          <div class="buttons">
            <button type="button" class="primary" disabled={busy || reason.trim().length < 3} onClick={() => ask('release')}>
              {t('release')}
            </button>
            <button type="button" class="danger" disabled={busy || reason.trim().length < 3} onClick={() => ask('return')}>
              {t('returnFunds')}
            </button>
          </div>
        </div>
      ) : null}
      <ErrorBox error={error} />
      {confirm.dialog}
    </li>
  );
}

type HoldSort = 'deadline' | 'amount' | 'newest';

function sortHolds(holds: Hold[], by: HoldSort): Hold[] {
  const list = [...holds];
  if (by === 'deadline') list.sort((a, b) => a.deadline.localeCompare(b.deadline));
  else if (by === 'amount') list.sort((a, b) => b.amount - a.amount);
  else list.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return list;
}

function Holds({ version }: { version: number }) {
  const { t, tv, session } = useApp();
  const [status, setStatus] = useState<'held' | 'released' | 'returned'>('held');
  const [sort, setSort] = useState<HoldSort>('deadline');
  const holds = useLoad(() => api<{ holds: Hold[] }>('GET', `/v1/holds?status=${status}`), [status, version]);
  const mayDecide = session ? can(session.role, 'holds.decide') : false;
  const list = holds.data?.holds ?? [];
  const overdue = list.filter((h) => h.overdue).length;
  return (
    <section class="panel" aria-labelledby="holds-h" data-testid="holds-section">
      <div class="panel-head">
        <h2 id="holds-h">
          {t('heldTransfers')}{' '}
          {holds.data && status === 'held' ? (
            <span class="count" data-testid="holds-count">
              {t('heldCount', { n: list.length, overdue })}
            </span>
          ) : null}
        </h2>
        <SelectField label={t('filterStatus')} name="holdStatus" value={status} onChange={setStatus} options={(['held', 'released', 'returned'] as const).map((s) => ({ value: s, label: tv('hst_', s) }))} />
        <SelectField label={t('sortBy')} name="holdSort" value={sort} onChange={setSort} options={(['deadline', 'amount', 'newest'] as const).map((s) => ({ value: s, label: t(`sort_${s}`) }))} />
        <button type="button" onClick={holds.reload} disabled={holds.busy}>
          {t('refresh')}
        </button>
      </div>
      <Loadable state={holds} empty={(d) => d.holds.length === 0}>
        {(d) => (
          <ul class="items" data-testid="holds">
            {sortHolds(d.holds, sort).map((h) => (
              <HoldItem key={`${h.id}:${h.status}`} hold={h} mayDecide={mayDecide} onDone={holds.reload} />
            ))}
          </ul>
        )}
      </Loadable>
    </section>
  );
}

function Flags() {
  const { t, tv, lang, session } = useApp();
  const flags = useLoad(() => api<{ flags: Flag[] }>('GET', '/v1/accounts/flags'), []);
  const [account, setAccount] = useState('');
  const [evidence, setEvidence] = useState('');
  const [caller, setCaller] = useState('');
  const add = useAction(async () => {
    const body: Record<string, string> = { account: account.trim(), evidence: evidence.trim() };
    if (caller.trim()) body.caller = caller.trim();
    await api('POST', '/v1/accounts/flags', { body });
    setAccount('');
    setEvidence('');
    setCaller('');
    flags.reload();
  });
  return (
    <section class="panel" aria-labelledby="flags-h">
      <div class="panel-head">
        <h2 id="flags-h">{t('flaggedAccounts')}</h2>
        <button type="button" onClick={flags.reload} disabled={flags.busy}>
          {t('refresh')}
        </button>
      </div>
      <Loadable state={flags} empty={(d) => d.flags.length === 0}>
        {(d) => (
          <DataTable
            caption={t('flaggedAccounts')}
            testid="flags"
            rows={d.flags}
            columns={[
              { label: t('account'), cell: (f) => f.account, className: 'ident' },
              { label: t('level'), cell: (f) => tv('lvl_', f.level) },
              { label: t('source'), cell: (f) => tv('role_', f.source) },
              { label: t('appealEvidence'), cell: (f) => f.evidence },
              { label: t('caller'), cell: (f) => f.caller ?? '', className: 'ident' },
              { label: t('created'), cell: (f) => formatTime(f.createdAt, lang) },
            ]}
          />
        )}
      </Loadable>
      {session && can(session.role, 'payees.flag') ? (
        <form
          class="grid-form"
          aria-label={t('flagAccount')}
          onSubmit={(e) => {
            e.preventDefault();
            void add.run();
          }}
        >
          <h3 class="full">{t('flagAccount')}</h3>
          <TextField label={t('account')} name="flagAccount" value={account} onInput={setAccount} help={t('accountHelp')} required />
          <TextField label={t('caller')} name="flagCaller" value={caller} onInput={setCaller} optional />
          <TextField label={t('appealEvidence')} name="flagEvidence" value={evidence} onInput={setEvidence} multiline required />
          <div class="form-actions">
            <button type="submit" disabled={add.busy || !account.trim() || !evidence.trim()}>
              {t('flagAccount')}
            </button>
          </div>
        </form>
      ) : null}
      <ErrorBox error={add.error} />
    </section>
  );
}

function Enrol() {
  const { t } = useApp();
  const [payer, setPayer] = useState('');
  const [subscriber, setSubscriber] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const { busy, error, run } = useAction(async () => {
    const r = await api<{ payer: string }>('POST', '/v1/payers', { body: { payer: payer.trim(), subscriber: subscriber.trim() } });
    setDone(r.payer);
  });
  return (
    <section class="panel" aria-labelledby="enrol-h">
      <h2 id="enrol-h">{t('enrolTitle')}</h2>
      <p class="muted">{t('enrolIntro')}</p>
      <form
        class="grid-form"
        aria-labelledby="enrol-h"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <TextField label={t('customerRef')} name="enrolPayer" value={payer} onInput={setPayer} required />
        <TextField label={t('subscriber')} name="enrolSubscriber" value={subscriber} onInput={setSubscriber} help={t('subscriberHelp')} required />
        <div class="form-actions">
          <button type="submit" disabled={busy || !payer.trim() || !subscriber.trim()}>
            {t('enrolButton')}
          </button>
        </div>
      </form>
      <ErrorBox error={error} />
      {done ? (
        <p role="status" class="ok">
          {t('enrolled', { payer: done })}
        </p>
      ) : null}
    </section>
  );
}

export function BankPage() {
  const { t, session } = useApp();
  const [version, setVersion] = useState(0);
  if (!session) return <></>;
  const role = session.role;
  return (
    <>
      <PageTitle>{t('bankTitle')}</PageTitle>
      {/* The call-back queue first: it is the officer's work; the check form follows. */}
      {can(role, 'holds.read') ? <Holds version={version} /> : null}
      {can(role, 'transfers.check') ? <CheckTransfer onChecked={() => setVersion(version + 1)} /> : null}
      {can(role, 'payees.read') ? <Flags /> : null}
      {can(role, 'payers.enrol') ? <Enrol /> : null}
      {role === 'bank' && can(role, 'freezes.read') ? <FreezeList version={0} title={t('freezesForBank')} /> : null}
    </>
  );
}
