import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../app-context.js';
import { CallshieldError } from '../../errors.js';
import { parseIdentifier } from '../../identity/index.js';
import { checkAmount, checkCurrency, isOverseer, parsePayeeAccount } from '../../payments/index.js';
import { insertReports } from '../../store/reputation/reports.js';
import { insertFlags } from '../../store/payments/flags.js';
import { findCase, insertCase, listCases as storeList } from '../../store/payments/cases.js';
import type { PayeeFlagsTable, VictimCasesTable } from '../../store/payments/schema.js';
import type { ReportsTable } from '../../store/schema.js';
import { describeActor } from '../actor.js';
import type { Actor } from '../actor.js';
import { enqueueEvent, roleTargets } from './events.js';
import { CHANGE_KINDS, paymentsState, rememberFlag } from './state.js';
import { subscriberHashOf } from './transfers.js';
import { checkTime } from '../reputation/reports.js';
import { inTransaction } from '../write.js';
import { announceTasks, planTasks, prepareRouting, taskView } from '../response/tasks.js';
import type { TaskView, Unrouted } from '../response/tasks.js';
import { insertTasks, tasksOfCase } from '../../store/response/tasks.js';
import { findOrgById } from '../../store/orgs.js';
import { findPolicy } from '../../store/screening/policies.js';
import { pickLanguage, plainSummary, timelineOf } from '../response/timeline.js';
import type { SummaryLanguage, TimelineEntry, TimelineTask } from '../response/timeline.js';
import { campaignsFromPayees } from '../campaigns/party-evidence.js';

export const MAX_CASE_ITEMS = 20;
const SUSPECTED_MS = 180 * 86_400_000;

export interface CaseInput {
  subscriber: string;
  callers: string[];
  /** A plain account, or the account and the bank organisation holding it (as in freezes). */
  payeeAccounts: (string | { account: string; bank: string })[];
  amount: number;
  currency: string;
  occurredAt: string;
  description?: string;
}

export interface CaseView {
  id: string;
  callers: string[];
  payeeAccounts: string[];
  amount: number;
  currency: string;
  occurredAt: string;
  createdAt: string;
}

function view(r: VictimCasesTable): CaseView {
  return { id: r.id, callers: JSON.parse(r.callers), payeeAccounts: JSON.parse(r.payee_accounts), amount: Number(r.amount), currency: r.currency, occurredAt: r.occurred_at, createdAt: r.created_at };
}

function checkList(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_CASE_ITEMS) {
    throw new CallshieldError('REQUEST_INVALID_BODY', `${field} must list 1-${MAX_CASE_ITEMS} items`, { field });
  }
  return value;
}

/**
 * After a loss the victim's app files a case: it reaches every police unit (visible to police, and
 * a webhook event), the payee accounts become suspected (they hold the next transfers to them), and
 * each caller gets a fraud report from the victim through the ordinary reports table.
 */
export async function fileCase(ctx: AppContext, input: CaseInput, actor: Actor): Promise<CaseView & { tasks: TaskView[]; unrouted: Unrouted[] }> {
  const subscriberHash = subscriberHashOf(ctx, input.subscriber);
  const callers = [
    ...new Map(
      checkList(input.callers, 'callers').map((c, i) => {
        const id = parseIdentifier(c, { defaultRegion: ctx.config.defaultRegion }, `callers.${i}`);
        if (id.kind === 'anonymous') throw new CallshieldError('IDENTITY_ANONYMOUS_NOT_ALLOWED', 'name the callers by their identifiers', { field: `callers.${i}` });
        return [id.canonical, id] as const;
      }),
    ).values(),
  ];
  const accounts = [
    ...new Map(
      checkList(input.payeeAccounts, 'payeeAccounts').map((a, i) => {
        const field = `payeeAccounts.${i}`;
        const named = typeof a === 'object' && a !== null && !Array.isArray(a);
        const p = parsePayeeAccount(named ? (a as { account?: unknown }).account : a, named ? `${field}.account` : field);
        const bankRaw = named ? (a as { bank?: unknown }).bank : undefined;
        if (named && (typeof bankRaw !== 'string' || bankRaw.trim() === '' || bankRaw.length > 100)) throw new CallshieldError('REQUEST_INVALID_BODY', `${field}.bank must name the bank organisation (1-100 characters)`, { field: `${field}.bank` });
        return [p.canonical, { ...p, bank: typeof bankRaw === 'string' ? bankRaw.trim() : undefined, field }] as const;
      }),
    ).values(),
  ];
  const amount = checkAmount(input.amount);
  const currency = checkCurrency(input.currency);
  const now = ctx.now();
  const occurred = checkTime(input.occurredAt, now, 'occurredAt');
  const description = typeof input.description === 'string' ? input.description.trim().slice(0, 2000) : '';
  const at = new Date(now).toISOString();
  const id = randomUUID();
  const row: VictimCasesTable = {
    id,
    org_id: actor.orgId,
    subscriber_hash: subscriberHash,
    callers: JSON.stringify(callers.map((c) => c.canonical)),
    payee_accounts: JSON.stringify(accounts.map((a) => a.canonical)),
    amount: String(amount),
    currency,
    occurred_at: new Date(occurred).toISOString(),
    created_at: at,
  };
  const flags: PayeeFlagsTable[] = accounts.map((a) => ({
    id: randomUUID(),
    account: a.canonical,
    kind: a.kind,
    level: 'suspected',
    source: 'victim report',
    org_id: actor.orgId,
    evidence: `victim case ${id}: ${amount} ${currency} lost${description ? ` — ${description.slice(0, 300)}` : ''}`,
    caller: callers.length === 1 ? callers[0]!.canonical : null,
    case_id: id,
    reporter_hash: null,
    expires_at: new Date(now + SUSPECTED_MS).toISOString(),
    created_at: at,
    revoked_at: null,
    revoke_reason: null,
  }));
  // The victim counts as one reporter per caller (a repeated case adds nothing more).
  const reporter = ctx.hash(`${actor.orgId}:victim:${subscriberHash}`);
  const reports: ReportsTable[] = callers.map((c) => ({
    id: randomUUID(),
    caller: c.canonical,
    caller_kind: c.kind,
    reporter_hash: reporter,
    org_id: actor.orgId,
    category: 'fraud',
    comment: `victim case: ${amount} ${currency} lost`,
    channel: null,
    claimed_org: null,
    occurred_at: row.occurred_at,
    created_at: at,
    import_source: `payments:case:${id}`,
  }));
  const state = await paymentsState(ctx);
  await prepareRouting(ctx);
  const planned = await inTransaction(ctx, async ({ db, audit, publish }) => {
    await insertCase(db, row);
    const plan = await planTasks(ctx, db, { id, amount, currency, callers, accounts: accounts.map((a) => ({ canonical: a.canonical, bank: a.bank, field: a.field })), filedAt: at }, actor);
    await insertTasks(db, plan.rows);
    await insertFlags(db, flags);
    await insertReports(db, reports);
    await audit({ actor: describeActor(actor), action: 'case.file', subject: `case:${id}`, details: { callers: callers.map((c) => c.canonical), accounts: accounts.map((a) => a.canonical), amount, currency }, at });
    await enqueueEvent(ctx, db, 'case.filed', { caseId: id, ...view(row), description: description || null, reportedBy: actor.orgName }, await roleTargets(db, 'police'));
    await audit({ actor: describeActor(actor), action: 'task.create', subject: `case:${id}`, details: { tasks: plan.rows.map((r) => ({ id: r.id, kind: r.kind, identifier: r.identifier, organisation: r.org_name, deadline: r.deadline })), unrouted: plan.unrouted }, at });
    await announceTasks(ctx, db, plan.rows);
    publish(CHANGE_KINDS.flag, flags.map((f) => f.id));
    publish('reputation', callers.map((c) => c.canonical));
    return plan;
  });
  for (const f of flags) rememberFlag(state, f);
  await ctx.refreshReputation(callers.map((c) => c.canonical), { publish: false });
  await campaignsFromPayees(ctx, flags.map((f) => f.caller).filter((c): c is string => c !== null));
  const now2 = ctx.now();
  return { ...view(row), tasks: planned.rows.map((r) => taskView(r, now2)), unrouted: planned.unrouted };
}

/** Police, regulators and admins see every case; an app sees the cases it filed. */
export async function listCases(ctx: AppContext, actor: Actor, query: { limit?: number }): Promise<CaseView[]> {
  const all = actor.role === 'police' || isOverseer(actor.role);
  return (await storeList(ctx.db, { ...(all ? {} : { orgId: actor.orgId }), ...(query.limit ? { limit: query.limit } : {}) })).map(view);
}

export interface CaseTimelineView extends CaseView {
  filedBy: string;
  tasks: TimelineTask[];
  timeline: TimelineEntry[];
  /** For the app that filed the case: what has happened, in plain words in the victim's language. */
  summary?: { language: SummaryLanguage; headline: string; lines: string[] };
}

/** One case with every task, who did what and when, and the minutes from filing to each step. */
export async function getCase(ctx: AppContext, id: string, actor: Actor, opts: { acceptLanguage?: string } = {}): Promise<CaseTimelineView> {
  const row = await findCase(ctx.db, id);
  if (!row || !(actor.role === 'police' || isOverseer(actor.role) || row.org_id === actor.orgId)) throw new CallshieldError('PAYMENTS_CASE_NOT_FOUND', `no case ${id}`, { field: 'id' });
  const filer = await findOrgById(ctx.db, row.org_id);
  const full = timelineOf(row.created_at, await tasksOfCase(ctx.db, id), ctx.now());
  // An app sees which organisation did what and when, not the staff behind it.
  const app = actor.role === 'app';
  const tasks = app ? full.tasks.map((t) => ({ ...t, steps: t.steps.map((s) => ({ ...s, person: null, by: s.organisation ?? 'callshield' })) })) : full.tasks;
  const timeline = app ? full.timeline.map((e) => ({ ...e, person: null })) : full.timeline;
  const out: CaseTimelineView = { ...view(row), filedBy: filer?.name ?? row.org_id, tasks, timeline };
  if (row.org_id === actor.orgId && app) {
    const policy = await findPolicy(ctx.db, row.org_id, row.subscriber_hash);
    let policyLanguage: string | undefined;
    try {
      policyLanguage = policy ? (JSON.parse(policy.policy) as { language?: string }).language : undefined;
    } catch {
      policyLanguage = undefined;
    }
    out.summary = plainSummary(pickLanguage(opts.acceptLanguage, policyLanguage), tasks);
  }
  return out;
}
