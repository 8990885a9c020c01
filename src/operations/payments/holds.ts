import { openText } from '../sealed-text.js';
import type { AppContext } from '../../app-context.js';
import { CallshieldError } from '../../errors.js';
import { checkStepReason, isOverseer, nextHoldState } from '../../payments/index.js';
import type { HoldAction, HoldState } from '../../payments/index.js';
import { findHold, listHolds as storeList, overdueHolds, updateHoldStatus } from '../../store/payments/holds.js';
import type { HoldsTable } from '../../store/payments/schema.js';
import { describeActor } from '../actor.js';
import type { Actor } from '../actor.js';
import { enqueueEvent, orgTargets } from './events.js';
import { inTransaction } from '../write.js';

export interface HoldStep {
  status: HoldState;
  reason: string;
  by: string;
  at: string;
}

export interface HoldView {
  id: string;
  checkId: string;
  account: string;
  amount: number;
  currency: string;
  status: HoldState;
  reasons: { code: string; text: string }[];
  deadline: string;
  overdue: boolean;
  steps: HoldStep[];
  createdAt: string;
  updatedAt: string;
  /** Whose transfer it is: the bank's own customer reference, shown to that bank only (null to overseers and on older holds). */
  customerRef: string | null;
}

/** Sealed per hold and bank (sealed-text.ts): a dump of the holds table shows no customer reference. */
export const customerRefContext = (orgId: string, holdId: string): string => `callshield:hold-customer-ref:${orgId}:${holdId}`;

function view(row: HoldsTable, now: number, viewer: Actor | null, kek: Buffer): HoldView {
  return {
    id: row.id,
    checkId: row.check_id,
    customerRef: viewer && viewer.orgId === row.org_id && row.customer_ref ? (openText(kek, row.customer_ref, customerRefContext(row.org_id, row.id)) ?? null) : null,
    account: row.account,
    amount: Number(row.amount),
    currency: row.currency,
    status: row.status as HoldState,
    reasons: JSON.parse(row.reasons),
    deadline: row.deadline,
    overdue: row.status === 'held' && Date.parse(row.deadline) <= now,
    steps: JSON.parse(row.steps),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** A bank's queue: its own holds only; regulators and admins see every bank's. */
export async function listHolds(ctx: AppContext, actor: Actor, query: { status?: string; limit?: number }): Promise<HoldView[]> {
  const own = isOverseer(actor.role) ? undefined : actor.orgId;
  const rows = await storeList(ctx.db, { ...(own ? { orgId: own } : {}), ...(query.status ? { status: query.status } : {}), ...(query.limit ? { limit: query.limit } : {}) });
  const now = ctx.now();
  return rows.map((r) => view(r, now, actor, ctx.keyEncryptionKey));
}

function visibleHold(row: HoldsTable | undefined, actor: Actor, id: string): HoldsTable {
  // Another bank's hold is "not found": hold ids cannot be probed across banks.
  if (!row || (row.org_id !== actor.orgId && !isOverseer(actor.role))) throw new CallshieldError('PAYMENTS_HOLD_NOT_FOUND', `no hold ${id}`, { field: 'id' });
  return row;
}

export async function getHold(ctx: AppContext, id: string, actor: Actor): Promise<HoldView> {
  return view(visibleHold(await findHold(ctx.db, id), actor, id), ctx.now(), actor, ctx.keyEncryptionKey);
}

async function step(ctx: AppContext, id: string, action: HoldAction, reasonRaw: unknown, actor: Actor | 'system'): Promise<HoldView> {
  const reason = checkStepReason(reasonRaw);
  const at = new Date(ctx.now()).toISOString();
  const by = actor === 'system' ? 'callshield (system)' : describeActor(actor);
  const row = await inTransaction(ctx, async ({ db, audit }) => {
    const hold = actor === 'system' ? await findHold(db, id) : visibleHold(await findHold(db, id), actor, id);
    if (!hold) throw new CallshieldError('PAYMENTS_HOLD_NOT_FOUND', `no hold ${id}`, { field: 'id' });
    if (actor !== 'system' && actor.role !== 'admin' && hold.org_id !== actor.orgId) throw new CallshieldError('PAYMENTS_HOLD_NOT_FOUND', `no hold ${id}`, { field: 'id' });
    const to = nextHoldState(hold.status as HoldState, action);
    const steps = [...(JSON.parse(hold.steps) as HoldStep[]), { status: to, reason, by, at }];
    if (!(await updateHoldStatus(db, id, hold.status, to, JSON.stringify(steps), at))) {
      throw new CallshieldError('PAYMENTS_INVALID_STATE', 'the hold was decided by someone else a moment ago', { field: 'status' });
    }
    await audit({ actor: by, action: `hold.${action}`, subject: `hold:${id}`, details: { from: hold.status, to, reason }, at });
    await enqueueEvent(ctx, db, `hold.${to}`, { holdId: id, status: to, reason, account: hold.account, amount: Number(hold.amount), currency: hold.currency }, await orgTargets(db, [hold.org_id]));
    return { ...hold, status: to, steps: JSON.stringify(steps), updated_at: at };
  });
  return view(row, ctx.now(), actor === 'system' ? null : actor, ctx.keyEncryptionKey);
}

/** After a call-back on the number the bank holds for its customer, an officer lets the payment go. */
export function releaseHold(ctx: AppContext, id: string, input: { reason: string }, actor: Actor): Promise<HoldView> {
  return step(ctx, id, 'release', input.reason, actor);
}

/** The payment goes back to the payer (a scam, or the customer could not be reached). */
export function returnHold(ctx: AppContext, id: string, input: { reason: string }, actor: Actor): Promise<HoldView> {
  return step(ctx, id, 'return', input.reason, actor);
}

/** Holds past their deadline without a call-back return the money: the safe default. */
export async function returnOverdueHolds(ctx: AppContext): Promise<number> {
  const rows = await overdueHolds(ctx.db, new Date(ctx.now()).toISOString());
  let n = 0;
  for (const r of rows) {
    try {
      await step(ctx, r.id, 'return', 'the deadline passed without a call-back check', 'system');
      n++;
    } catch (err) {
      if (!(err instanceof CallshieldError && err.code === 'PAYMENTS_INVALID_STATE')) throw err;
    }
  }
  return n;
}
