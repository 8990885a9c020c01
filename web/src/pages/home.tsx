import type { ComponentChildren } from 'preact';
import { api } from '../api.js';
import { can, mayOpen, pagesFor } from '../access.js';
import type { PageId } from '../access.js';
import type { Key } from '../i18n.js';
import { href } from '../router.js';
import { fmtMoney } from '../format.js';
import { Countdown, Loadable, PageTitle, useApp, useLoad } from '../ui.js';

// Each role's home is its work queue: what waits for this person now, with counts and the nearest
// deadlines, each linking to the page where it is done. The list of every page follows.

interface QueueProps<T> {
  id: string;
  title: string;
  page: PageId | null;
  load: () => Promise<T[]>;
  overdue?: (row: T) => boolean;
  preview?: (row: T) => ComponentChildren;
}

function QueueCard<T>({ id, title, page, load, overdue, preview }: QueueProps<T>) {
  const { t } = useApp();
  const state = useLoad(load, []);
  const late = state.data && overdue ? state.data.filter(overdue).length : 0;
  return (
    <section class="panel queue-card" aria-labelledby={`q-${id}`} data-testid={`queue-${id}`} data-count={state.data?.length ?? ''}>
      <div class="panel-head">
        <h2 id={`q-${id}`}>
          {title} {state.data ? <span class="count-badge">{state.data.length}</span> : null}
        </h2>
        {page ? <a href={href(page)}>{t('openQueue')}</a> : null}
      </div>
      <Loadable state={state} empty={(d) => d.length === 0} emptyText={t('queueNothing')}>
        {(d) => (
          <>
            {late ? <p class="late-note">{t('q_overdue', { n: late })}</p> : null}
            {preview ? (
              <ul class="queue-preview">
                {d.slice(0, 3).map((r) => (
                  <li>{preview(r)}</li>
                ))}
              </ul>
            ) : null}
          </>
        )}
      </Loadable>
    </section>
  );
}

interface HoldRow {
  id: string;
  amount: number;
  currency: string;
  deadline: string;
  overdue: boolean;
  customerRef?: string | null;
  account: string;
}
interface FreezeRow {
  id: string;
  caseNumber: string;
  status: string;
  filedBy?: string;
  releaseRequestedBy?: string | null;
  extendRequestedBy?: string | null;
  createdAt: string;
}
interface TaskRow {
  id: string;
  kind: string;
  identifier: string;
  deadline: string;
  overdue: boolean;
}

export function HomePage() {
  const { t, tv, lang, session } = useApp();
  if (!session) return <></>;
  const role = session.role;
  const me = session.person;
  const pages = pagesFor(role).filter((p) => p !== 'home');
  const open = (p: PageId): PageId | null => (mayOpen(role, p) ? p : null);
  const cards: preact.JSX.Element[] = [];
  if (can(role, 'holds.decide')) {
    cards.push(
      <QueueCard<HoldRow>
        id="holds"
        title={t('q_holds')}
        page={open('bank')}
        load={async () => (await api<{ holds: HoldRow[] }>('GET', '/v1/holds?status=held')).holds.sort((a, b) => a.deadline.localeCompare(b.deadline))}
        overdue={(h) => h.overdue}
        preview={(h) => (
          <>
            <strong>{h.customerRef ?? t('customerUnknown')}</strong> · {fmtMoney(h.amount, h.currency, lang)} · <Countdown deadline={h.deadline} overdue={h.overdue} />
          </>
        )}
      />,
    );
  }
  if (can(role, 'freezes.file')) {
    const awaits = (f: FreezeRow): boolean =>
      me !== undefined && ((f.status === 'pending' && !!f.filedBy && f.filedBy !== me) || (f.status === 'active' && ((!!f.releaseRequestedBy && f.releaseRequestedBy !== me) || (!!f.extendRequestedBy && f.extendRequestedBy !== me))));
    cards.push(
      <QueueCard<FreezeRow>
        id="freezes"
        title={t('q_freezes')}
        page={open('police')}
        load={async () => (await api<{ freezes: FreezeRow[] }>('GET', '/v1/freezes')).freezes.filter(awaits)}
        preview={(f) => (
          <>
            <strong>{f.caseNumber}</strong> · {tv('fst_', f.status)}
          </>
        )}
      />,
    );
  }
  if (can(role, 'appeals.decide')) {
    cards.push(<QueueCard<{ id: string; identifier: string; score?: number }> id="appeals" title={t('q_appeals')} page={open('appeals')} load={async () => (await api<{ appeals: { id: string; identifier: string; score?: number }[] }>('GET', '/v1/appeals?status=pending')).appeals} preview={(a) => <>{a.identifier} · {t('currentScore')}: {a.score ?? ''}</>} />);
  } else if (can(role, 'appeals.create')) {
    cards.push(<QueueCard<{ id: string; identifier: string; status: string }> id="my-appeals" title={t('q_myAppeals')} page={open('appeals')} load={async () => (await api<{ appeals: { id: string; identifier: string; status: string }[] }>('GET', '/v1/appeals')).appeals} preview={(a) => <>{a.identifier} · {tv('st_', a.status)}</>} />);
  }
  if (can(role, 'bursts.read')) {
    cards.push(<QueueCard<{ id: string; caller: string; reports: number }> id="bursts" title={t('q_bursts')} page={open('regulator')} load={async () => (await api<{ bursts: { id: string; caller: string; reports: number }[] }>('GET', '/v1/review/bursts?status=pending')).bursts} preview={(b) => <>{b.caller} · {b.reports}</>} />);
  }
  if (can(role, 'escalations.read')) {
    cards.push(<QueueCard<{ id: string; holder: string; violations: number }> id="escalations" title={t('q_escalations')} page={open('regulator')} load={async () => (await api<{ escalations: { id: string; holder: string; violations: number }[] }>('GET', '/v1/escalations')).escalations} preview={(e) => <>{e.holder} · {e.violations}</>} />);
  }
  if (can(role, 'tasks.read') && role !== 'regulator' && role !== 'admin') {
    cards.push(
      <QueueCard<TaskRow>
        id="tasks"
        title={t('q_tasks')}
        page={open('tasks')}
        load={async () => (await api<{ tasks: TaskRow[] }>('GET', '/v1/tasks?status=open')).tasks.sort((a, b) => a.deadline.localeCompare(b.deadline))}
        overdue={(x) => x.overdue}
        preview={(x) => (
          <>
            {tv('tk_', x.kind)} · {x.identifier} · <Countdown deadline={x.deadline} overdue={x.overdue} />
          </>
        )}
      />,
    );
  }
  return (
    <>
      <PageTitle>{t('homeTitle', { org: session.org })}</PageTitle>
      {cards.length ? (
        <>
          <p>{t('queueIntro')}</p>
          <div class="queue-grid" data-testid="work-queue">
            {cards}
          </div>
        </>
      ) : null}
      <h2>{t('allPages')}</h2>
      <p>{t('homeIntro', { role: tv('role_', session.role) })}</p>
      <ul class="cards" data-testid="home-pages">
        {pages.map((p) => (
          <li class="card">
            <a href={href(p)}>
              <strong>{t(`page_${p}` as Key)}</strong>
            </a>
            <p>{t(`desc_${p}` as Key)}</p>
          </li>
        ))}
      </ul>
    </>
  );
}
