import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { can } from '../access.js';
import { href } from '../router.js';
import type { Route } from '../router.js';
import { ErrorBox, PageTitle, SelectField, formatTime, useApp, useLoad } from '../ui.js';
import { fmtMoney } from '../format.js';
import { TaskActions } from './task-actions.js';

// Joint response: each organisation's queue of tasks from victims' cases (a regulator sees every
// organisation's, escalated ones first of interest), and the case timeline for police and
// regulators: every task, who did what and when, minutes from filing.

interface Step {
  action: string;
  status: string;
  organisation: string | null;
  person: string | null;
  by: string;
  at: string;
  outcome?: string;
  reason?: string;
  minutesFromFiling?: number;
}

export interface Task {
  id: string;
  caseId: string;
  kind: string;
  identifier: string;
  ask: string;
  organisation: string | null;
  deadline: string;
  status: string;
  overdue: boolean;
  steps: Step[];
}

type StatusFilter = '' | 'open' | 'accepted' | 'done' | 'refused' | 'escalated' | 'overdue';

/** Minutes to the deadline (negative: past it), for people working against the clock. */
function minutesLeft(deadline: string): number {
  return Math.round((Date.parse(deadline) - Date.now()) / 60_000);
}

export function TasksPage() {
  const { t, tv, lang, session } = useApp();
  // A party sees its whole queue (a task it accepts stays in view); the regulator starts at escalations.
  const [status, setStatus] = useState<StatusFilter>(session?.role === 'regulator' ? 'escalated' : '');
  const list = useLoad(() => api<{ tasks: Task[] }>('GET', `/v1/tasks${status ? `?status=${status}` : ''}`), [status]);
  const role = session?.role;
  const mayAct = role ? can(role, 'tasks.act') : false;
  const mayReadCases = role ? can(role, 'cases.read') && role !== 'app' : false;
  const statuses: StatusFilter[] = ['', 'open', 'accepted', 'done', 'refused', 'escalated', 'overdue'];
  return (
    <>
      <PageTitle>{t('page_tasks')}</PageTitle>
      <p class="muted">{t('tasksIntro')}</p>
      <SelectField label={t('status')} name="task-status" value={status} onChange={setStatus} options={statuses.map((s) => ({ value: s, label: s ? tv('tst_', s) : t('allStatuses') }))} />
      <button type="button" onClick={list.reload} disabled={list.busy}>
        {t('refresh')}
      </button>
      <ErrorBox error={list.error} />
      {list.data && list.data.tasks.length === 0 ? <p class="muted">{t('noEntries')}</p> : null}
      <ul class="items" data-testid="tasks">
        {(list.data?.tasks ?? []).map((task) => (
          <li class="item" data-task={task.id} data-status={task.status} data-kind={task.kind}>
            <div class="item-head">
              <strong>{tv('tk_', task.kind)}</strong>
              <span class={`badge tst-${task.status}`}>{tv('tst_', task.status)}</span>
              <span class="ident">{task.identifier}</span>
              {task.overdue ? <span class="badge alert">{t('taskOverdue')}</span> : null}
            </div>
            <p>{task.ask}</p>
            <p class="muted">
              {t('deadline')}: <time data-testid="task-deadline" dateTime={task.deadline}>{formatTime(task.deadline, lang)}</time>
              {task.status === 'open' || task.status === 'accepted' || task.status === 'escalated' ? ` (${minutesLeft(task.deadline) >= 0 ? t('taskMinutesLeft', { minutes: minutesLeft(task.deadline) }) : t('taskMinutesLate', { minutes: -minutesLeft(task.deadline) })})` : ''} · {t('organisation')}: {task.organisation ?? t('unassigned')}
              {mayReadCases ? (
                <>
                  {' · '}
                  <a href={href('case', { id: task.caseId })}>{t('openCase')}</a>
                </>
              ) : null}
            </p>
            <ul class="muted">
              {task.steps.map((s) => (
                <li>
                  {formatTime(s.at, lang)} · {tv('tact_', s.action)} · {s.organisation ?? 'callshield'}
                  {s.person ? ` / ${s.person}` : ''}
                  {s.outcome ? ` · ${s.outcome}` : ''}
                  {s.reason ? ` · ${s.reason}` : ''}
                </li>
              ))}
            </ul>
            {mayAct ? <TaskActions task={task} onDone={list.reload} /> : null}
          </li>
        ))}
      </ul>
    </>
  );
}

interface CaseSummary {
  id: string;
  amount: number;
  currency: string;
  occurredAt: string;
  createdAt: string;
}

interface CaseTimeline extends CaseSummary {
  filedBy: string;
  callers: string[];
  payeeAccounts: string[];
  tasks: (Task & { steps: (Step & { minutesFromFiling: number })[] })[];
  timeline: { at: string; minutesFromFiling: number; taskId: string; kind: string; identifier: string; action: string; organisation: string | null; person: string | null; outcome?: string; reason?: string }[];
}

function Timeline({ id }: { id: string }) {
  const { t, tv, lang } = useApp();
  const c = useLoad(() => api<CaseTimeline>('GET', `/v1/cases/${encodeURIComponent(id)}`), [id]);
  const d = c.data;
  return (
    <section class="panel" aria-labelledby="timeline-h">
      <h2 id="timeline-h">{t('timelineTitle')}</h2>
      <ErrorBox error={c.error} />
      {d ? (
        <>
          <p class="muted">
            {t('filedBy')}: {d.filedBy} · {formatTime(d.createdAt, lang)} · {fmtMoney(d.amount, d.currency, lang)}
          </p>
          {/* Where each task stands now: who has not answered yet, and by when. */}
          <ul class="muted" data-testid="case-tasks">
            {d.tasks.map((task) => (
              <li data-task={task.id} data-status={task.status}>
                {tv('tk_', task.kind)} · <span class="ident">{task.identifier}</span> · {task.organisation ?? t('unassigned')} · <span class={`badge tst-${task.status}`}>{tv('tst_', task.status)}</span> · {t('deadline')}: {formatTime(task.deadline, lang)}
                {task.overdue ? <span class="badge alert">{t('taskOverdue')}</span> : null}
              </li>
            ))}
          </ul>
          <div class="table-wrap" tabIndex={0} role="region" aria-label={t('timelineTitle')}>
            <table class="responsive" data-testid="case-timeline">
              <thead>
                <tr>
                  <th scope="col">{t('minutesCol')}</th>
                  <th scope="col">{t('at')}</th>
                  <th scope="col">{t('taskKind')}</th>
                  <th scope="col">{t('identifier')}</th>
                  <th scope="col">{t('action')}</th>
                  <th scope="col">{t('organisation')}</th>
                  <th scope="col">{t('person')}</th>
                  <th scope="col">{t('taskOutcome')}</th>
                </tr>
              </thead>
              <tbody>
                {d.timeline.map((e) => (
                  <tr data-action={e.action}>
                    <td data-label={t('minutesCol')}>{e.minutesFromFiling}</td>
                    <td data-label={t('at')}>{formatTime(e.at, lang)}</td>
                    <td data-label={t('taskKind')}>{tv('tk_', e.kind)}</td>
                    <td data-label={t('identifier')} class="ident">{e.identifier}</td>
                    <td data-label={t('action')}>{tv('tact_', e.action)}</td>
                    <td data-label={t('organisation')}>{e.organisation ?? t('unassigned')}</td>
                    <td data-label={t('person')}>{e.person ?? ''}</td>
                    <td data-label={t('taskOutcome')}>{e.outcome ?? e.reason ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : (
        <p>{t('loading')}</p>
      )}
    </section>
  );
}

export function CasePage({ route }: { route: Route }) {
  const { t, lang } = useApp();
  const id = route.params.get('id');
  const cases = useLoad(() => api<{ cases: CaseSummary[] }>('GET', '/v1/cases'), []);
  return (
    <>
      <PageTitle>{t('page_case')}</PageTitle>
      {id ? <Timeline id={id} /> : null}
      <section class="panel" aria-labelledby="cases-h">
        <h2 id="cases-h">{t('casesTitle')}</h2>
        <ErrorBox error={cases.error} />
        <ul data-testid="cases">
          {(cases.data?.cases ?? []).map((c) => (
            <li>
              <a href={href('case', { id: c.id })}>
                {formatTime(c.createdAt, lang)} · {fmtMoney(c.amount, c.currency, lang)}
              </a>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
