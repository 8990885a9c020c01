// Joint response: a victim's case becomes one task per responsible party, each with a deadline; every
// party works its own queue, each step by a person, audited and sent as a signed webhook; a task past
// its deadline escalates to the regulator (the dispatcher's sweep, src/operations/payments/dispatcher.ts).
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AppContext } from '../../app-context.js';
import type { TaskKindName } from '../../config.js';
import { CallshieldError } from '../../errors.js';
import type { Identifier } from '../../identity/index.js';
import { isOverseer } from '../../payments/index.js';
import { findOrgByName } from '../../store/orgs.js';
import { approvedHolders } from '../../store/response/namespaces.js';
import type { ResponseTasksTable } from '../../store/response/schema.js';
import { findTask, listTasks as storeList, overdueTasks, updateTask } from '../../store/response/tasks.js';
import type { Database } from '../../store/schema.js';
import { findCase } from '../../store/payments/cases.js';
import { describeActor } from '../actor.js';
import type { Actor } from '../actor.js';
import { enqueueEvent, orgTargets, roleTargets } from '../payments/events.js';
import type { Target } from '../payments/events.js';
import { loadGovernance, loadedGovernance } from '../governance/state.js';
import { inTransaction } from '../write.js';

export type TaskKind = TaskKindName;
export const TASK_KINDS: readonly TaskKind[] = ['trace-and-suspend', 'suspend-account', 'freeze-preparation', 'review'];
export const TASK_STATUSES = ['open', 'accepted', 'done', 'refused', 'escalated'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export type TaskAction = 'created' | 'accepted' | 'done' | 'refused' | 'escalated';

/** Which role answers each kind of task. */
export const ROLE_OF_KIND: Readonly<Record<TaskKind, string>> = { 'trace-and-suspend': 'carrier', 'suspend-account': 'platform', 'freeze-preparation': 'bank', 'review': 'police' };

export interface TaskStep {
  action: TaskAction;
  status: TaskStatus;
  /** The organisation that acted (null for callshield itself). */
  organisation: string | null;
  /** The person behind the key (null for callshield itself). */
  person: string | null;
  by: string;
  at: string;
  outcome?: string;
  details?: Record<string, unknown>;
  reason?: string;
}

export interface TaskView {
  id: string;
  caseId: string;
  kind: TaskKind;
  identifier: string;
  ask: string;
  organisation: string | null;
  deadline: string;
  status: TaskStatus;
  overdue: boolean;
  steps: TaskStep[];
  createdAt: string;
  updatedAt: string;
}

export function taskView(r: ResponseTasksTable, now: number): TaskView {
  const status = r.status as TaskStatus;
  return {
    id: r.id,
    caseId: r.case_id,
    kind: r.kind as TaskKind,
    identifier: r.identifier,
    ask: r.ask,
    organisation: r.org_name,
    deadline: r.deadline,
    status,
    overdue: (status === 'open' || status === 'accepted' || status === 'escalated') && Date.parse(r.deadline) <= now,
    steps: JSON.parse(r.steps) as TaskStep[],
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** A payee account as the case names it: the bank holding it, when named. */
export interface CaseAccount {
  canonical: string;
  bank: string | undefined;
  field: string;
}

export interface CaseForTasks {
  id: string;
  amount: number;
  currency: string;
  callers: readonly Identifier[];
  accounts: readonly CaseAccount[];
  filedAt: string;
}

/** A party the case could not be routed to (no registered holder, no claimed namespace, no bank named). */
export interface Unrouted {
  identifier: string;
  reason: string;
}

function ask(kind: TaskKind, identifier: string, c: CaseForTasks): string {
  switch (kind) {
    case 'trace-and-suspend':
      return `Trace calls from ${identifier} back through the STIR/SHAKEN records, stop the number's outbound calls, and report its subscriber of record to police (victim case ${c.id}).`;
    case 'suspend-account':
      return `Suspend ${identifier}, which called the victim, keep its records, and report its registration details to police (victim case ${c.id}).`;
    case 'freeze-preparation':
      return `Hold outgoing payments from account ${identifier} until police decide on a freeze, within the golden hour (victim case ${c.id}: ${c.amount} ${c.currency} lost).`;
    case 'review':
      return `Review the victim's case: ${c.amount} ${c.currency} lost to ${c.callers.map((x) => x.canonical).join(', ')}; decide on freezes of the payee accounts and open an investigation.`;
  }
}

/** The carrier holding a calling number, from the holder registry (loaded once per node). */
function carrierOf(ctx: AppContext, canonical: string): { orgId: string; name: string } | undefined {
  const s = loadedGovernance(ctx);
  if (!s || s.holders.size === 0 || !canonical.startsWith('+')) return undefined;
  const b = s.holders.lookup(canonical.slice(1));
  return b ? { orgId: b.carrierOrgId, name: b.carrierName } : undefined;
}

/** E-mail domain and its parents ("mail.icloud.com" → mail.icloud.com, icloud.com). */
function domainsOf(email: string): string[] {
  const host = email.slice(email.lastIndexOf('@') + 1);
  const parts = host.split('.');
  const out: string[] = [];
  for (let i = 0; i < parts.length - 1; i++) out.push(parts.slice(i).join('.'));
  return out;
}

/** Makes sure the holder registry is in memory before a case is routed (outside the transaction). */
export async function prepareRouting(ctx: AppContext): Promise<void> {
  await loadGovernance(ctx);
}

/**
 * The tasks a case sets, one per responsible party, in the filing transaction. A review task of a
 * case a police unit files is that unit's; of an app's case, any police unit may take it.
 */
export async function planTasks(ctx: AppContext, db: Kysely<Database>, c: CaseForTasks, actor: Actor): Promise<{ rows: ResponseTasksTable[]; unrouted: Unrouted[] }> {
  // The clock runs from filing, the moment the timeline's minutes count from.
  const filed = Date.parse(c.filedAt);
  const rows: ResponseTasksTable[] = [];
  const unrouted: Unrouted[] = [];
  const add = (kind: TaskKind, identifier: string, org: { orgId: string; name: string } | null): void => {
    if (rows.some((r) => r.kind === kind && r.identifier === identifier && r.org_id === (org?.orgId ?? null))) return;
    const step: TaskStep = { action: 'created', status: 'open', organisation: null, person: null, by: describeActor(actor), at: c.filedAt };
    rows.push({
      id: randomUUID(),
      case_id: c.id,
      kind,
      identifier,
      ask: ask(kind, identifier, c),
      org_id: org?.orgId ?? null,
      org_name: org?.name ?? null,
      role: ROLE_OF_KIND[kind],
      deadline: new Date(filed + ctx.config.taskDeadlineMinutes[kind] * 60_000).toISOString(),
      status: 'open',
      steps: JSON.stringify([step]),
      case_filed_at: c.filedAt,
      created_at: c.filedAt,
      updated_at: c.filedAt,
    });
  };
  for (const caller of c.callers) {
    if (caller.kind === 'phone') {
      const carrier = carrierOf(ctx, caller.canonical);
      if (carrier) add('trace-and-suspend', caller.canonical, carrier);
      else unrouted.push({ identifier: caller.canonical, reason: 'no carrier has registered the block holding this number' });
    } else if (caller.kind === 'email' || caller.kind === 'account') {
      const [kind, values] = caller.kind === 'email' ? (['email-domain', domainsOf(caller.canonical)] as const) : (['account', [caller.canonical.split(':')[1]!]] as const);
      const holders = await approvedHolders(db, kind, values);
      // The most specific claim wins (mail.example.com over example.com).
      const best = values.map((v) => holders.find((h) => h.value === v)).find((h) => h !== undefined);
      if (best) add('suspend-account', caller.canonical, { orgId: best.org_id, name: best.org_name });
      else unrouted.push({ identifier: caller.canonical, reason: caller.kind === 'email' ? 'no platform has claimed this e-mail domain' : 'no platform has claimed this account platform' });
    } else {
      unrouted.push({ identifier: caller.canonical, reason: 'no party answers for this kind of identifier' });
    }
  }
  for (const a of c.accounts) {
    if (a.bank === undefined) {
      unrouted.push({ identifier: a.canonical, reason: 'the case names no bank for this account' });
      continue;
    }
    const org = await findOrgByName(db, a.bank);
    if (!org || org.role !== 'bank') throw new CallshieldError('PAYMENTS_UNKNOWN_BANK', `"${a.bank}" is not a bank organisation on callshield`, { field: `${a.field}.bank` });
    add('freeze-preparation', a.canonical, { orgId: org.id, name: org.name });
  }
  add('review', c.id, actor.role === 'police' ? { orgId: actor.orgId, name: actor.orgName } : null);
  return { rows, unrouted };
}

/** Whom a task's events go to: the party asked (or, for an unassigned review, every police unit). */
async function partyTargets(db: Kysely<Database>, r: ResponseTasksTable): Promise<Target[]> {
  return r.org_id ? orgTargets(db, [r.org_id]) : roleTargets(db, r.role);
}

export function eventData(r: ResponseTasksTable, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { taskId: r.id, caseId: r.case_id, kind: r.kind, identifier: r.identifier, ask: r.ask, organisation: r.org_name, deadline: r.deadline, status: r.status, ...extra };
}

/** In the filing transaction: one task.created event per task, to the party asked. */
export async function announceTasks(ctx: AppContext, db: Kysely<Database>, rows: readonly ResponseTasksTable[]): Promise<void> {
  for (const r of rows) await enqueueEvent(ctx, db, 'task.created', eventData(r), await partyTargets(db, r));
}

/**
 * Whose queue a task is in: the organisation asked; an unassigned review is in every police unit's
 * queue until one takes it. Anyone else is told there is no such task (ids cannot be probed).
 */
function mayWork(r: ResponseTasksTable, actor: Actor): boolean {
  return r.org_id === actor.orgId || (r.org_id === null && r.role === actor.role);
}

function visibleTask(r: ResponseTasksTable | undefined, actor: Actor, id: string): ResponseTasksTable {
  if (!r || !(mayWork(r, actor) || isOverseer(actor.role))) throw new CallshieldError('RESPONSE_TASK_NOT_FOUND', `no task ${id}`, { field: 'id' });
  return r;
}

/** What a queue can be filtered by: a status, or `overdue` (waiting for an answer past its deadline). */
export const TASK_FILTERS = [...TASK_STATUSES, 'overdue'] as const;

/** A queue: an organisation's own tasks; regulators and admins see every organisation's. */
export async function listTasks(ctx: AppContext, actor: Actor, query: { status?: string; caseId?: string; limit?: number }): Promise<TaskView[]> {
  if (query.status !== undefined && !(TASK_FILTERS as readonly string[]).includes(query.status)) {
    throw new CallshieldError('REQUEST_INVALID_QUERY', `status must be one of ${TASK_FILTERS.join(', ')}`, { field: 'status' });
  }
  const now = ctx.now();
  const filter = query.status === 'overdue' ? { overdueAt: new Date(now).toISOString() } : query.status ? { status: query.status } : {};
  const rows = await storeList(ctx.db, { ...(isOverseer(actor.role) ? {} : { orgId: actor.orgId, poolRole: actor.role }), ...filter, ...(query.caseId ? { caseId: query.caseId } : {}), ...(query.limit ? { limit: query.limit } : {}) });
  return rows.map((r) => taskView(r, now));
}

export async function getTask(ctx: AppContext, id: string, actor: Actor): Promise<TaskView> {
  return taskView(visibleTask(await findTask(ctx.db, id), actor, id), ctx.now());
}

const NEXT: Record<Exclude<TaskAction, 'created'>, { from: readonly TaskStatus[]; to: TaskStatus }> = {
  accepted: { from: ['open', 'escalated'], to: 'accepted' },
  done: { from: ['open', 'accepted', 'escalated'], to: 'done' },
  refused: { from: ['open', 'accepted', 'escalated'], to: 'refused' },
  escalated: { from: ['open', 'accepted'], to: 'escalated' },
};

const AUDIT_ACTION = { accepted: 'task.accept', done: 'task.done', refused: 'task.refuse', escalated: 'task.escalate' } as const;

function checkText(value: unknown, field: string, min: number, max: number): string {
  const s = typeof value === 'string' ? value.trim() : '';
  if (s.length < min || s.length > max) throw new CallshieldError('REQUEST_INVALID_BODY', `${field} must be ${min}-${max} characters`, { field });
  return s;
}

function checkDetails(value: unknown): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value) || JSON.stringify(value).length > 4000) {
    throw new CallshieldError('REQUEST_INVALID_BODY', 'details must be an object of at most 4000 characters as JSON', { field: 'details' });
  }
  // The figure the regulator and police rely on must be a real amount, not any text: a whole number
  // of minor units (fen, cents), as every amount of a case is.
  const held = (value as Record<string, unknown>).heldAmount;
  if (held !== undefined && !(typeof held === 'number' && Number.isSafeInteger(held) && held >= 0)) {
    throw new CallshieldError('REQUEST_INVALID_BODY', 'details.heldAmount must be a whole number of minor units (fen, cents), 0 or more', { field: 'details.heldAmount' });
  }
  return value as Record<string, unknown>;
}

async function step(ctx: AppContext, id: string, action: Exclude<TaskAction, 'created'>, extra: Pick<TaskStep, 'outcome' | 'details' | 'reason'>, actor: Actor | 'system'): Promise<TaskView> {
  const at = new Date(ctx.now()).toISOString();
  const by = actor === 'system' ? 'callshield (system)' : describeActor(actor);
  const row = await inTransaction(ctx, async ({ db, audit }) => {
    const found = await findTask(db, id);
    const task = actor === 'system' ? found : found && mayWork(found, actor) ? found : undefined;
    if (!task) throw new CallshieldError('RESPONSE_TASK_NOT_FOUND', `no task ${id}`, { field: 'id' });
    const rule = NEXT[action];
    if (!rule.from.includes(task.status as TaskStatus)) throw new CallshieldError('RESPONSE_INVALID_STATE', `a ${task.status} task cannot be ${action}`, { field: 'id' });
    const s: TaskStep = {
      action,
      status: rule.to,
      organisation: actor === 'system' ? null : actor.orgName,
      person: actor === 'system' ? null : actor.person,
      by,
      at,
      ...(extra.outcome !== undefined ? { outcome: extra.outcome } : {}),
      ...(extra.details !== undefined ? { details: extra.details } : {}),
      ...(extra.reason !== undefined ? { reason: extra.reason } : {}),
    };
    const steps = JSON.stringify([...(JSON.parse(task.steps) as TaskStep[]), s]);
    // An unassigned review belongs to the unit that takes it.
    const claim = actor !== 'system' && task.org_id === null ? { org_id: actor.orgId, org_name: actor.orgName } : {};
    if (!(await updateTask(db, id, task.status, task.updated_at, { status: rule.to, steps, updated_at: at, ...claim }))) {
      throw new CallshieldError('RESPONSE_INVALID_STATE', 'the task was moved by someone else a moment ago', { field: 'id' });
    }
    const next: ResponseTasksTable = { ...task, ...claim, status: rule.to, steps, updated_at: at };
    await audit({ actor: by, action: AUDIT_ACTION[action], subject: `task:${id}`, details: { caseId: task.case_id, kind: task.kind, identifier: task.identifier, from: task.status, to: rule.to, ...extra }, at });
    // The party, the app or unit that filed the case, and (on escalation) every regulator.
    const c = await findCase(db, task.case_id);
    const targets = [...(await partyTargets(db, next)), ...(c ? await orgTargets(db, [c.org_id]) : [])];
    if (action === 'escalated') targets.push(...(await roleTargets(db, 'regulator')));
    await enqueueEvent(ctx, db, `task.${action}`, eventData(next, { step: s }), targets);
    return next;
  });
  return taskView(row, ctx.now());
}

export function acceptTask(ctx: AppContext, id: string, actor: Actor): Promise<TaskView> {
  return step(ctx, id, 'accepted', {}, actor);
}

/** The party reports what it did: "number suspended", "account suspended", "amount held", "traced to carrier X". */
export function completeTask(ctx: AppContext, id: string, input: { outcome?: unknown; details?: unknown }, actor: Actor): Promise<TaskView> {
  const outcome = checkText(input.outcome, 'outcome', 1, 500);
  const details = checkDetails(input.details);
  return step(ctx, id, 'done', { outcome, ...(details ? { details } : {}) }, actor);
}

export function refuseTask(ctx: AppContext, id: string, input: { reason?: unknown }, actor: Actor): Promise<TaskView> {
  return step(ctx, id, 'refused', { reason: checkText(input.reason, 'reason', 3, 500) }, actor);
}

/** Tasks open or accepted past their deadline go to the regulator (the dispatcher's sweep). */
export async function escalateOverdueTasks(ctx: AppContext): Promise<number> {
  let n = 0;
  for (const r of await overdueTasks(ctx.db, new Date(ctx.now()).toISOString())) {
    try {
      await step(ctx, r.id, 'escalated', { reason: `no answer by the deadline (${r.deadline})` }, 'system');
      n++;
    } catch (err) {
      if (!(err instanceof CallshieldError && err.code === 'RESPONSE_INVALID_STATE')) throw err;
    }
  }
  return n;
}
