import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../app-context.js';
import { CallshieldError } from '../../errors.js';
import { parseIdentifier } from '../../identity/index.js';
import { OVERSEERS } from '../../auth/index.js';
import { chargeFalseReports, decideAppeal as storeDecide, findAppeal, insertAppeal, listAppeals as storeList } from '../../store/reputation/appeals.js';
import type { AppealsTable } from '../../store/schema.js';
import { describeActor } from '../actor.js';
import type { Actor } from '../actor.js';
import { inTransaction } from '../write.js';

export interface AppealView {
  id: string;
  identifier: string;
  status: 'pending' | 'upheld' | 'rejected';
  evidence: string;
  contact: string | null;
  createdAt: string;
  decidedAt: string | null;
  decisionReason: string | null;
}

function view(a: AppealsTable): AppealView {
  return { id: a.id, identifier: a.identifier, status: a.status as AppealView['status'], evidence: a.evidence, contact: a.contact, createdAt: a.created_at, decidedAt: a.decided_at, decisionReason: a.decision_reason };
}

/** A business says a label on its number is wrong, with evidence (licence, registration, call purpose). */
export async function fileAppeal(ctx: AppContext, input: { identifier: string; evidence: string; contact?: string }, actor: Actor): Promise<AppealView> {
  const id = parseIdentifier(input.identifier, { defaultRegion: ctx.config.defaultRegion }, 'identifier');
  if (id.kind === 'anonymous') throw new CallshieldError('IDENTITY_ANONYMOUS_NOT_ALLOWED', 'an appeal names an identifier', { field: 'identifier' });
  if (typeof input.evidence !== 'string' || input.evidence.trim().length < 10) {
    throw new CallshieldError('REQUEST_INVALID_BODY', 'evidence must describe why the label is wrong (at least 10 characters)', { field: 'evidence' });
  }
  const at = new Date(ctx.now()).toISOString();
  const row: AppealsTable = { id: randomUUID(), identifier: id.canonical, org_id: actor.orgId, evidence: input.evidence.trim(), contact: input.contact?.trim() || null, status: 'pending', created_at: at, decided_at: null, decided_by: null, decision_reason: null };
  await inTransaction(ctx, async ({ db, audit }) => {
    await insertAppeal(db, row);
    await audit({ actor: describeActor(actor), action: 'appeal.file', subject: `appeal:${row.id}`, details: { identifier: id.canonical }, at });
  });
  return view(row);
}

export async function listAppeals(ctx: AppContext, actor: Actor, status?: string): Promise<AppealView[]> {
  const own = OVERSEERS.includes(actor.role) ? undefined : actor.orgId;
  return (await storeList(ctx.db, { ...(own ? { orgId: own } : {}), ...(status ? { status } : {}) })).map(view);
}

/** An admin or regulator decides. An upheld appeal clears the label and charges the reporters. */
export async function decideAppeal(ctx: AppContext, id: string, input: { decision: 'upheld' | 'rejected'; reason: string }, actor: Actor): Promise<AppealView> {
  if (input.decision !== 'upheld' && input.decision !== 'rejected') {
    throw new CallshieldError('REQUEST_INVALID_BODY', 'decision must be "upheld" or "rejected"', { field: 'decision' });
  }
  if (typeof input.reason !== 'string' || !input.reason.trim()) {
    throw new CallshieldError('REQUEST_INVALID_BODY', 'every decision needs a reason', { field: 'reason' });
  }
  const at = new Date(ctx.now()).toISOString();
  const decided = await inTransaction(ctx, async ({ db, audit }) => {
    const appeal = await findAppeal(db, id);
    if (!appeal) throw new CallshieldError('REPUTATION_APPEAL_NOT_FOUND', `no appeal ${id}`, { field: 'id' });
    if (!(await storeDecide(db, id, input.decision, actor.orgId, input.reason.trim(), at))) {
      throw new CallshieldError('REPUTATION_APPEAL_ALREADY_DECIDED', `appeal ${id} is already ${appeal.status}`);
    }
    const charged = input.decision === 'upheld' ? await chargeFalseReports(db, appeal.identifier, at) : 0;
    await audit({ actor: describeActor(actor), action: `appeal.${input.decision}`, subject: `appeal:${id}`, details: { identifier: appeal.identifier, reason: input.reason.trim(), reportersCharged: charged }, at });
    return (await findAppeal(db, id))!;
  });
  await ctx.refreshReputation([decided.identifier]);
  return view(decided);
}
