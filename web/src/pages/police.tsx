import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { can } from '../access.js';
import { ErrorBox, Loadable, PageTitle, SelectField, TextField, formatTime, useAction, useApp, useConfirm, useLoad } from '../ui.js';
import { CURRENCIES, fmtMoney, personLabel } from '../format.js';

// Emergency freeze and payment suspension (紧急止付): one officer files, a second officer of the same
// unit approves (dual control), the banks holding the accounts acknowledge what they froze. Releasing
// or extending an active freeze is also two officers: the first asks, a second confirms. The page
// names people (staff or badge numbers) and never offers an officer the second step of their own
// request (the server refuses it anyway: 403 PAYMENTS_SAME_OFFICER).

interface AccountRow {
  account: string;
  bank: string;
}

interface FreezeAccount {
  account: string;
  kind: string;
  bank: string;
  status: 'pending' | 'acknowledged';
  frozenAmount: number | null;
  alreadyLeft: boolean | null;
  note: string | null;
  acknowledgedAt: string | null;
}

export interface Freeze {
  id: string;
  caseNumber: string;
  amount: number;
  currency: string;
  legalBasis: string;
  status: 'pending' | 'active' | 'released' | 'expired';
  approvedAt: string | null;
  expiresAt: string | null;
  releaseReason: string | null;
  createdAt: string;
  updatedAt: string;
  accounts: FreezeAccount[];
  filedBy?: string;
  approvedBy?: string | null;
  releaseRequestedBy?: string | null;
  releaseRequestedAt?: string | null;
  releaseRequestReason?: string | null;
  releasedBy?: string | null;
  extendRequestedBy?: string | null;
  extendRequestedAt?: string | null;
  extendRequestHours?: number | null;
  extendRequestReason?: string | null;
}

function FileFreeze({ onFiled }: { onFiled: () => void }) {
  const { t, tv, lang } = useApp();
  const [caseNumber, setCaseNumber] = useState('');
  const [accounts, setAccounts] = useState<AccountRow[]>([{ account: '', bank: '' }]);
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState('CNY');
  const [legalBasis, setLegalBasis] = useState('');
  const [filed, setFiled] = useState<Freeze | null>(null);
  const confirm = useConfirm();
  // The bank names a freeze may address (they must match exactly): a picker, or free text where the list is not offered.
  const banks = useLoad(() => api<{ banks: { name: string }[] }>('GET', '/v1/banks'), []);
  const { busy, error, run } = useAction(async () => {
    const body = {
      caseNumber: caseNumber.trim(),
      accounts: accounts.filter((a) => a.account.trim()).map((a) => ({ account: a.account.trim(), bank: a.bank.trim() })),
      amount: Number(amount),
      currency: currency.trim().toUpperCase(),
      legalBasis: legalBasis.trim(),
    };
    setFiled(await api<Freeze>('POST', '/v1/freezes', { body }));
    onFiled();
  });
  const setRow = (i: number, patch: Partial<AccountRow>): void => setAccounts(accounts.map((a, j) => (j === i ? { ...a, ...patch } : a)));
  return (
    <section class="panel" aria-labelledby="freeze-h">
      <h2 id="freeze-h">{t('fileFreeze')}</h2>
      <p class="muted">{t('approveNote')}</p>
      <form
        class="grid-form"
        onSubmit={(e) => {
          e.preventDefault();
          const n = accounts.filter((a) => a.account.trim()).length;
          confirm.ask({
            title: t('confirmFileTitle'),
            message: t('confirmFileText', { case: caseNumber.trim(), amount: fmtMoney(Number(amount), currency, lang), accounts: n }),
            confirmLabel: t('fileFreezeButton'),
            onConfirm: () => void run(),
          });
        }}
      >
        <TextField label={t('caseNumber')} name="caseNumber" value={caseNumber} onInput={setCaseNumber} required />
        <TextField label={t('legalBasis')} name="legalBasis" value={legalBasis} onInput={setLegalBasis} help={t('legalBasisHelp')} required />
        <TextField label={t('amount')} name="amount" value={amount} onInput={setAmount} inputMode="decimal" required />
        <SelectField label={t('currency')} name="currency" value={currency} onChange={setCurrency} options={CURRENCIES.map((c) => ({ value: c, label: c }))} />
        {accounts.map((a, i) => (
          <fieldset class="account-row">
            <legend>{t('accountN', { n: i + 1 })}</legend>
            <TextField label={t('account')} name={`account-${i}`} value={a.account} onInput={(v) => setRow(i, { account: v })} help={i === 0 ? t('accountHelp') : undefined} required={i === 0} />
            {banks.data ? (
              <SelectField label={t('bankName')} name={`bank-${i}`} value={a.bank} onChange={(v) => setRow(i, { bank: v })} options={[{ value: '', label: t('pickBank') }, ...banks.data.banks.map((b) => ({ value: b.name, label: b.name }))]} />
            ) : (
              <TextField label={t('bankName')} name={`bank-${i}`} value={a.bank} onInput={(v) => setRow(i, { bank: v })} help={i === 0 ? t('bankNameHelp') : undefined} required={i === 0} />
            )}
            {accounts.length > 1 ? (
              <button type="button" onClick={() => setAccounts(accounts.filter((_, j) => j !== i))}>
                {t('removeAccount')}
              </button>
            ) : null}
          </fieldset>
        ))}
        <div class="form-actions">
          <button type="button" onClick={() => setAccounts([...accounts, { account: '', bank: '' }])}>
            {t('addAccount')}
          </button>
          <button type="submit" class="primary" disabled={busy || !caseNumber.trim() || !accounts[0]?.account.trim() || !accounts[0]?.bank.trim() || !(Number(amount) > 0) || !legalBasis.trim()}>
            {t('fileFreezeButton')}
          </button>
        </div>
      </form>
      <ErrorBox error={error} />
      {filed ? (
        <p role="status" class="ok" data-testid="freeze-filed">
          {t('freezeFiled', { status: tv('fst_', filed.status) })}
        </p>
      ) : null}
      {confirm.dialog}
    </section>
  );
}

function Acknowledge({ freeze, account, onDone }: { freeze: Freeze; account: FreezeAccount; onDone: () => void }) {
  const { t } = useApp();
  const [frozen, setFrozen] = useState('');
  const [left, setLeft] = useState<'no' | 'yes'>('no');
  const [note, setNote] = useState('');
  const { busy, error, run } = useAction(async () => {
    const body: Record<string, unknown> = { account: account.account, frozenAmount: Number(frozen), alreadyLeft: left === 'yes' };
    if (note.trim()) body.note = note.trim();
    await api('POST', `/v1/freezes/${encodeURIComponent(freeze.id)}/acknowledge`, { body });
    onDone();
  });
  return (
    <form
      class="decide"
      aria-label={`${t('acknowledge')} ${account.account}`}
      onSubmit={(e) => {
        e.preventDefault();
        void run();
      }}
    >
      <TextField label={t('frozenAmount')} name={`frozen-${freeze.id}`} value={frozen} onInput={setFrozen} inputMode="decimal" required />
      <SelectField label={t('alreadyLeft')} name={`left-${freeze.id}`} value={left} onChange={setLeft} options={[{ value: 'no', label: t('no') }, { value: 'yes', label: t('yes') }]} />
      <TextField label={t('note')} name={`note-${freeze.id}`} value={note} onInput={setNote} optional />
      <button type="submit" class="primary" disabled={busy || frozen.trim() === '' || Number.isNaN(Number(frozen))}>
        {t('acknowledge')}
      </button>
      <ErrorBox error={error} />
    </form>
  );
}

function FreezeItem({ freeze, onDone }: { freeze: Freeze; onDone: () => void }) {
  const { t, tv, lang, session } = useApp();
  const [reason, setReason] = useState('');
  const confirm = useConfirm();
  const who = (p: string | null | undefined): string => personLabel(p, (tail) => t('unnamedOfficer', { tail }));
  const money = fmtMoney(freeze.amount, freeze.currency, lang);
  const act = useAction(async (action: 'approve' | 'release' | 'extend') => {
    await api('POST', `/v1/freezes/${encodeURIComponent(freeze.id)}/${action}`, action === 'approve' ? {} : { body: { reason: reason.trim() } });
    onDone();
  });
  const role = session?.role;
  const me = session?.person;
  const mayFile = role ? can(role, 'freezes.file') : false;
  const iFiled = me !== undefined && freeze.filedBy === me;
  const iAskedRelease = me !== undefined && freeze.releaseRequestedBy === me;
  const iAskedExtend = me !== undefined && freeze.extendRequestedBy === me;
  return (
    <li class="item" data-freeze={freeze.id} data-status={freeze.status} data-case={freeze.caseNumber}>
      <div class="item-head">
        <strong>{freeze.caseNumber}</strong>
        <span class={`badge fst-${freeze.status}`} data-testid="freeze-status">
          {tv('fst_', freeze.status)}
        </span>
        <span class="amount">{money}</span>
      </div>
      <p class="muted">
        {t('legalBasis')}: {freeze.legalBasis} · {t('created')}: {formatTime(freeze.createdAt, lang)}
        {freeze.expiresAt ? ` · ${t('expires')}: ${formatTime(freeze.expiresAt, lang)}` : ''}
      </p>
      {freeze.filedBy ? (
        <p class="muted" data-testid="freeze-people">
          {t('filedBy')}: {who(freeze.filedBy)}
          {freeze.approvedBy ? ` · ${t('approvedBy')}: ${who(freeze.approvedBy)}` : ''}
          {freeze.releasedBy ? ` · ${t('releasedBy')}: ${who(freeze.releasedBy)}` : ''}
        </p>
      ) : null}
      {freeze.status === 'active' && freeze.releaseRequestedBy ? (
        <p class="alert" data-testid="release-request">
          {t('releaseRequested', { person: who(freeze.releaseRequestedBy), at: formatTime(freeze.releaseRequestedAt ?? '', lang), reason: freeze.releaseRequestReason ?? '' })}
          {iAskedRelease ? ` ${t('waitingSecondOfficer')}` : ''}
        </p>
      ) : null}
      {freeze.status === 'active' && freeze.extendRequestedBy ? (
        <p class="alert" data-testid="extend-request">
          {t('extendRequested', { person: who(freeze.extendRequestedBy), at: formatTime(freeze.extendRequestedAt ?? '', lang), hours: String(freeze.extendRequestHours ?? ''), reason: freeze.extendRequestReason ?? '' })}
          {iAskedExtend ? ` ${t('waitingSecondOfficer')}` : ''}
        </p>
      ) : null}
      {freeze.releaseReason ? (
        <p>
          {t('reason')}: {freeze.releaseReason}
        </p>
      ) : null}
      <ul class="accounts">
        {freeze.accounts.map((a) => (
          <li>
            <span class="ident">{a.account}</span> · {a.bank} · {tv('ast_', a.status)}
            {a.status === 'acknowledged' ? ` · ${t('frozenAmount')}: ${a.frozenAmount === null ? '' : fmtMoney(a.frozenAmount, freeze.currency, lang)} · ${t('alreadyLeft')}: ${a.alreadyLeft ? t('yes') : t('no')}` : ''}
            {role === 'bank' && freeze.status === 'active' && a.status === 'pending' ? <Acknowledge freeze={freeze} account={a} onDone={onDone} /> : null}
          </li>
        ))}
      </ul>
      {mayFile && freeze.status === 'pending' && iFiled ? (
        <p class="muted" data-testid="waiting-approval">
          {t('youFiledWaiting')}
        </p>
      ) : null}
      {mayFile && freeze.status === 'pending' && !iFiled ? (
        <div class="buttons">
          <button
            type="button"
            class="primary"
            disabled={act.busy}
            onClick={() => confirm.ask({ title: t('confirmApproveTitle'), message: t('confirmApproveText', { case: freeze.caseNumber, amount: money }), confirmLabel: t('approve'), onConfirm: () => void act.run('approve') })}
          >
            {t('approve')}
          </button>
        </div>
      ) : null}
      {mayFile && (freeze.status === 'pending' || (freeze.status === 'active' && !iAskedRelease)) ? (
        <div class="decide">
          {freeze.status === 'active' && !freeze.releaseRequestedBy ? <p class="muted">{t('releaseTwoPeople')}</p> : null}
          <TextField label={freeze.status === 'active' && freeze.extendRequestedBy && !iAskedExtend ? t('reason') : t('releaseReason')} name={`release-${freeze.id}`} value={reason} onInput={setReason} />
          <button
            type="button"
            class="danger"
            disabled={act.busy || !reason.trim()}
            onClick={() =>
              confirm.ask({
                title: t('confirmFreezeReleaseTitle'),
                message: t('confirmFreezeReleaseText', { case: freeze.caseNumber, step: freeze.status === 'active' && freeze.releaseRequestedBy ? t('releaseStepConfirm') : freeze.status === 'active' ? t('releaseStepAsk') : '' }),
                confirmLabel: freeze.status === 'active' && freeze.releaseRequestedBy ? t('confirmRelease') : t('releaseFreeze'),
                danger: true,
                onConfirm: () => void act.run('release'),
              })
            }
          >
            {freeze.status === 'active' && freeze.releaseRequestedBy ? t('confirmRelease') : t('releaseFreeze')}
          </button>
          {freeze.status === 'active' && freeze.extendRequestedBy && !iAskedExtend ? (
            <button type="button" disabled={act.busy || !reason.trim()} onClick={() => void act.run('extend')}>
              {t('confirmExtend')}
            </button>
          ) : null}
        </div>
      ) : null}
      <ErrorBox error={act.error} />
      {confirm.dialog}
    </li>
  );
}

/** A freeze another officer must act on: filed by someone else and pending, or a release or extension someone else asked for. */
function awaitsMe(f: Freeze, me: string | undefined): boolean {
  if (me === undefined) return false;
  if (f.status === 'pending') return f.filedBy !== undefined && f.filedBy !== me;
  if (f.status === 'active') return (!!f.releaseRequestedBy && f.releaseRequestedBy !== me) || (!!f.extendRequestedBy && f.extendRequestedBy !== me);
  return false;
}

export function FreezeList({ version, title, mine, onChanged }: { version: number; title?: string; mine?: boolean; onChanged?: () => void }) {
  const { t, tv, session } = useApp();
  const [status, setStatus] = useState<'all' | Freeze['status']>('all');
  const freezes = useLoad(() => api<{ freezes: Freeze[] }>('GET', `/v1/freezes${status === 'all' || mine ? '' : `?status=${status}`}`), [version, status]);
  const id = mine ? 'awaiting-h' : 'freezes-h';
  const pick = (list: Freeze[]): Freeze[] => (mine ? list.filter((f) => awaitsMe(f, session?.person)).sort((a, b) => a.createdAt.localeCompare(b.createdAt)) : list);
  const n = freezes.data ? pick(freezes.data.freezes).length : null;
  return (
    <section class={`panel${mine ? ' queue' : ''}`} aria-labelledby={id} data-testid={mine ? 'awaiting-me' : 'freezes-section'}>
      <div class="panel-head">
        <h2 id={id}>
          {title ?? (mine ? t('awaitingMe') : t('freezes'))} {n !== null ? <span class="count" data-testid={mine ? 'awaiting-count' : undefined}>({n})</span> : null}
        </h2>
        {mine ? null : <SelectField label={t('filterStatus')} name="freezeStatus" value={status} onChange={setStatus} options={(['all', 'pending', 'active', 'released', 'expired'] as const).map((s) => ({ value: s, label: s === 'all' ? t('st_all') : tv('fst_', s) }))} />}
        <button type="button" onClick={freezes.reload} disabled={freezes.busy}>
          {t('refresh')}
        </button>
      </div>
      {mine ? <p class="muted">{t('awaitingMeIntro')}</p> : null}
      <Loadable state={freezes} empty={(d) => pick(d.freezes).length === 0} emptyText={mine ? t('queueNothing') : undefined}>
        {(d) => (
          <ul class="items" data-testid={mine ? 'awaiting' : 'freezes'}>
            {pick(d.freezes).map((f) => (
              // Keyed by its state, so a refusal shown for an older state does not linger.
              <FreezeItem key={`${f.id}:${f.updatedAt}`} freeze={f} onDone={onChanged ?? freezes.reload} />
            ))}
          </ul>
        )}
      </Loadable>
    </section>
  );
}

export function PolicePage() {
  const { t, session } = useApp();
  const [version, setVersion] = useState(0);
  if (!session) return <></>;
  return (
    <>
      <PageTitle>{t('policeTitle')}</PageTitle>
      {can(session.role, 'freezes.file') ? <FreezeList version={version} mine onChanged={() => setVersion((v) => v + 1)} /> : null}
      {can(session.role, 'freezes.file') ? <FileFreeze onFiled={() => setVersion((v) => v + 1)} /> : null}
      {can(session.role, 'freezes.read') ? <FreezeList version={version} onChanged={() => setVersion((v) => v + 1)} /> : null}
    </>
  );
}
