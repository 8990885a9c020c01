import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AppContext } from '../../app-context.js';
import { CallshieldError } from '../../errors.js';
import { canSeeFreezeAsBank, canSeeFreezeAsUnit, checkAmount, checkCurrency, checkSecondOfficer, checkStepReason, MAX_AMOUNT, MAX_EXTENSION_HOURS, nextFreezeState, parsePayeeAccount } from '../../payments/index.js';
import type { FreezeState } from '../../payments/index.js';
import { findOrgByName, orgNamesByRole } from '../../store/orgs.js';
import { acknowledgeAccount, expiredFreezes, findFreeze, insertFreeze, listFreezes as storeList, updateFreeze } from '../../store/payments/freezes.js';
import type { Database } from '../../store/schema.js';
import type { FreezeAccountsTable, FreezesTable } from '../../store/payments/schema.js';
import { describeActor } from '../actor.js';
import type { Actor } from '../actor.js';
import { enqueueEvent, orgTargets } from './events.js';
import { CHANGE_KINDS, paymentsSettings, paymentsState, rememberFreeze } from './state.js';
import { inTransaction } from '../write.js';

export const MAX_FREEZE_ACCOUNTS = 50;

export interface FreezeInput {
  caseNumber: string;
  accounts: { account: string; bank: string }[];
  amount: number;
  currency: string;
  legalBasis: string;
}

export interface FreezeAccountView {
  account: string;
  kind: string;
  bank: string;
  status: 'pending' | 'acknowledged';
  frozenAmount: number | null;
  alreadyLeft: boolean | null;
  note: string | null;
  acknowledgedAt: string | null;
}

export interface FreezeView {
  id: string;
  caseNumber: string;
  amount: number;
  currency: string;
  legalBasis: string;
  status: FreezeState;
  approvedAt: string | null;
  expiresAt: string | null;
  releaseReason: string | null;
  createdAt: string;
  updatedAt: string;
  accounts: FreezeAccountView[];
  /** For the filing unit and overseers only: the people (staff or badge numbers) behind each step. */
  filedBy?: string;
  approvedBy?: string | null;
  /** An active freeze's release asked for by one officer, waiting for a second one of the unit. */
  releaseRequestedBy?: string | null;
  releaseRequestedAt?: string | null;
  releaseRequestReason?: string | null;
  releasedBy?: string | null;
  /** An extension asked for by one officer, waiting for a second one of the unit. */
  extendRequestedBy?: string | null;
  extendRequestedAt?: string | null;
  extendRequestHours?: number | null;
  extendRequestReason?: string | null;
}

type Loaded = { freeze: FreezesTable; accounts: FreezeAccountsTable[] };

function accountView(a: FreezeAccountsTable): FreezeAccountView {
  return {
    account: a.account,
    kind: a.kind,
    bank: a.bank_name,
    status: a.status as FreezeAccountView['status'],
    frozenAmount: a.frozen_amount === null ? null : Number(a.frozen_amount),
    alreadyLeft: a.already_left === null ? null : a.already_left === 1,
    note: a.note,
    acknowledgedAt: a.acknowledged_at,
  };
}

/** The filing unit and overseers see everything; a bank sees the freeze with only its own accounts. */
function view({ freeze: f, accounts }: Loaded, actor: Actor): FreezeView {
  const asUnit = canSeeFreezeAsUnit(actor, { orgId: f.org_id });
  const base: FreezeView = {
    id: f.id,
    caseNumber: f.case_number,
    amount: Number(f.amount),
    currency: f.currency,
    legalBasis: f.legal_basis,
    status: f.status as FreezeState,
    approvedAt: f.approved_at,
    expiresAt: f.expires_at,
    releaseReason: f.release_reason,
    createdAt: f.created_at,
    updatedAt: f.updated_at,
    accounts: (asUnit ? accounts : accounts.filter((a) => a.bank_org_id === actor.orgId)).map(accountView),
  };
  if (asUnit) {
    base.filedBy = f.filed_by_person;
    base.approvedBy = f.approved_by_person;
    base.releaseRequestedBy = f.release_requested_by_person;
    base.releaseRequestedAt = f.release_requested_at;
    base.releaseRequestReason = f.release_request_reason;
    base.releasedBy = f.released_by_person;
    base.extendRequestedBy = f.extend_requested_by_person;
    base.extendRequestedAt = f.extend_requested_at;
    base.extendRequestHours = f.extend_request_hours === null ? null : Number(f.extend_request_hours);
    base.extendRequestReason = f.extend_request_reason;
  }
  return base;
}

function canSee(l: Loaded, actor: Actor): boolean {
  return canSeeFreezeAsUnit(actor, { orgId: l.freeze.org_id }) || canSeeFreezeAsBank(actor, l.freeze, l.accounts.map((a) => a.bank_org_id));
}

async function load(db: Kysely<Database>, id: string, actor: Actor): Promise<Loaded> {
  const l = await findFreeze(db, id);
  // Invisible is "not found": another unit's case numbers and accounts are not theirs to learn.
  if (!l || !canSee(l, actor)) throw new CallshieldError('PAYMENTS_FREEZE_NOT_FOUND', `no freeze ${id}`, { field: 'id' });
  return l;
}

function checkText(value: unknown, field: string, min: number, max: number): string {
  if (typeof value !== 'string' || value.trim().length < min || value.length > max) {
    throw new CallshieldError('REQUEST_INVALID_BODY', `${field} must be ${min}-${max} characters`, { field });
  }
  return value.trim();
}

interface Officer {
  readonly key: string;
  /** Two-person rules compare people: one officer holding two keys is still one officer. */
  readonly person: string;
}

function officerOf(actor: Actor): Officer {
  if (!actor.keyId) throw new CallshieldError('AUTH_FORBIDDEN', 'a freeze is filed and approved by an officer with their own API key');
  return { key: actor.keyId, person: actor.person };
}

/**
 * Tells the transfer check here at once that a freeze took or lost effect; the other nodes learn
 * it from the change-log entry the write's transaction made (publish(CHANGE_KINDS.freeze, ...)).
 */
async function freezeChanged(ctx: AppContext, l: Loaded): Promise<void> {
  const state = await paymentsState(ctx);
  rememberFreeze(state, { id: l.freeze.id, status: l.freeze.status, expires_at: l.freeze.expires_at, accounts: l.accounts.map((a) => a.account) });
}

async function bankEvents(ctx: AppContext, db: Kysely<Database>, type: string, l: Loaded, extra: Record<string, unknown> = {}): Promise<void> {
  // Each bank gets its own event with only its own accounts.
  const banks = [...new Set(l.accounts.map((a) => a.bank_org_id))];
  for (const bank of banks) {
    const targets = await orgTargets(db, [bank]);
    if (!targets.length) continue;
    const f = l.freeze;
    await enqueueEvent(ctx, db, type, {
      freezeId: f.id,
      caseNumber: f.case_number,
      status: f.status,
      amount: Number(f.amount),
      currency: f.currency,
      legalBasis: f.legal_basis,
      expiresAt: f.expires_at,
      accounts: l.accounts.filter((a) => a.bank_org_id === bank).map((a) => a.account),
      ...extra,
    }, targets);
  }
}

/** A police officer files an emergency freeze and payment suspension; nothing happens until a second officer approves. */
export async function fileFreeze(ctx: AppContext, input: FreezeInput, actor: Actor): Promise<FreezeView> {
  const officer = officerOf(actor);
  const caseNumber = checkText(input.caseNumber, 'caseNumber', 1, 100);
  const legalBasis = checkText(input.legalBasis, 'legalBasis', 3, 500);
  const amount = checkAmount(input.amount);
  const currency = checkCurrency(input.currency);
  if (!Array.isArray(input.accounts) || input.accounts.length === 0 || input.accounts.length > MAX_FREEZE_ACCOUNTS) {
    throw new CallshieldError('REQUEST_INVALID_BODY', `accounts must list 1-${MAX_FREEZE_ACCOUNTS} accounts`, { field: 'accounts' });
  }
  const parsed = input.accounts.map((a, i) => ({ account: parsePayeeAccount(a.account, `accounts.${i}.account`), bank: checkText(a.bank, `accounts.${i}.bank`, 1, 100), i }));
  const now = ctx.now();
  const at = new Date(now).toISOString();
  const id = randomUUID();
  const loaded = await inTransaction(ctx, async ({ db, audit }) => {
    const rows: FreezeAccountsTable[] = [];
    const seen = new Set<string>();
    for (const p of parsed) {
      const org = await findOrgByName(db, p.bank);
      if (!org || org.role !== 'bank') throw new CallshieldError('PAYMENTS_UNKNOWN_BANK', `"${p.bank}" is not a bank organisation on callshield`, { field: `accounts.${p.i}.bank` });
      if (seen.has(p.account.canonical)) continue;
      seen.add(p.account.canonical);
      rows.push({ id: randomUUID(), freeze_id: id, account: p.account.canonical, kind: p.account.kind, bank_org_id: org.id, bank_name: org.name, status: 'pending', frozen_amount: null, already_left: null, note: null, acknowledged_at: null });
    }
    const freeze: FreezesTable = { id, org_id: actor.orgId, case_number: caseNumber, amount: String(amount), currency, legal_basis: legalBasis, status: 'pending',
      filed_by_key: officer.key,
      approved_by_key: null,
      filed_by_person: officer.person,
      approved_by_person: null,
      release_requested_by_person: null,
      release_requested_by_key: null,
      release_requested_at: null,
      release_request_reason: null,
      released_by_person: null,
      released_by_key: null,
      extend_requested_by_person: null,
      extend_requested_by_key: null,
      extend_requested_at: null,
      extend_request_hours: null,
      extend_request_reason: null,
      approved_at: null, expires_at: null, release_reason: null, created_at: at, updated_at: at };
    await insertFreeze(db, freeze, rows);
    await audit({ actor: describeActor(actor), action: 'freeze.file', subject: `freeze:${id}`, details: { caseNumber, officer: officer.person, officerKey: officer.key, amount, currency, legalBasis, accounts: rows.map((r) => ({ account: r.account, bank: r.bank_name })) }, at });
    return { freeze, accounts: rows };
  });
  return view(loaded, actor);
}

/** Dual control: a second, different officer (person) of the same unit makes it take effect; the banks are told now. */
export async function approveFreeze(ctx: AppContext, id: string, actor: Actor): Promise<FreezeView> {
  const officer = officerOf(actor);
  const settings = paymentsSettings(ctx);
  const now = ctx.now();
  const at = new Date(now).toISOString();
  const loaded = await inTransaction(ctx, async ({ db, audit, publish }) => {
    const l = await load(db, id, actor);
    if (actor.role !== 'police' || l.freeze.org_id !== actor.orgId) throw new CallshieldError('PAYMENTS_FREEZE_NOT_FOUND', `no freeze ${id}`, { field: 'id' });
    nextFreezeState(l.freeze.status as FreezeState, 'approve');
    checkSecondOfficer(l.freeze.filed_by_person, officer.person, 'approve');
    const expiresAt = new Date(now + settings.freezeTtlMs).toISOString();
    const set = { status: 'active', approved_by_key: officer.key, approved_by_person: officer.person, approved_at: at, expires_at: expiresAt, updated_at: at };
    if (!(await updateFreeze(db, id, 'pending', set))) throw new CallshieldError('PAYMENTS_INVALID_STATE', 'the freeze changed a moment ago', { field: 'status' });
    const next = { freeze: { ...l.freeze, ...set }, accounts: l.accounts };
    await audit({ actor: describeActor(actor), action: 'freeze.approve', subject: `freeze:${id}`, details: { officer: officer.person, officerKey: officer.key, filedBy: l.freeze.filed_by_person, expiresAt }, at });
    publish(CHANGE_KINDS.freeze, [id]);
    await bankEvents(ctx, db, 'freeze.requested', next);
    return next;
  });
  await freezeChanged(ctx, loaded);
  return view(loaded, actor);
}

export interface AcknowledgeInput {
  account: string;
  frozenAmount: number;
  alreadyLeft: boolean;
  note?: string;
}

/** The bank holding an account reports what it froze, and whether the money had already left. */
export async function acknowledgeFreeze(ctx: AppContext, id: string, input: AcknowledgeInput, actor: Actor): Promise<FreezeView> {
  const account = parsePayeeAccount(input.account, 'account');
  if (typeof input.frozenAmount !== 'number' || !Number.isFinite(input.frozenAmount) || input.frozenAmount < 0 || input.frozenAmount > MAX_AMOUNT) {
    throw new CallshieldError('PAYMENTS_INVALID_AMOUNT', 'frozenAmount must be a number from 0 (nothing left to freeze) up to 1e12', { field: 'frozenAmount' });
  }
  if (typeof input.alreadyLeft !== 'boolean') throw new CallshieldError('REQUEST_INVALID_BODY', 'alreadyLeft must be true or false', { field: 'alreadyLeft' });
  const note = input.note === undefined ? null : checkText(input.note, 'note', 1, 1000);
  const at = new Date(ctx.now()).toISOString();
  const loaded = await inTransaction(ctx, async ({ db, audit }) => {
    const l = await findFreeze(db, id);
    if (!l) throw new CallshieldError('PAYMENTS_FREEZE_NOT_FOUND', `no freeze ${id}`, { field: 'id' });
    const mine = l.accounts.filter((a) => a.bank_org_id === actor.orgId);
    if (mine.length === 0) throw new CallshieldError('PAYMENTS_FREEZE_NOT_ADDRESSED', 'this freeze request names no account at your bank', { field: 'id' });
    if (l.freeze.status === 'pending') throw new CallshieldError('PAYMENTS_FREEZE_NOT_FOUND', `no freeze ${id}`, { field: 'id' });
    const row = l.accounts.find((a) => a.account === account.canonical);
    if (!row) throw new CallshieldError('REQUEST_INVALID_BODY', 'this freeze does not name that account', { field: 'account' });
    if (row.bank_org_id !== actor.orgId) throw new CallshieldError('PAYMENTS_FREEZE_NOT_ADDRESSED', 'that account is held by another bank', { field: 'account' });
    nextFreezeState(l.freeze.status as FreezeState, 'acknowledge');
    const set = { frozen_amount: String(input.frozenAmount), already_left: input.alreadyLeft ? 1 : 0, note, acknowledged_at: at };
    if (!(await acknowledgeAccount(db, row.id, set))) throw new CallshieldError('PAYMENTS_INVALID_STATE', 'this account was already acknowledged', { field: 'account' });
    await audit({ actor: describeActor(actor), action: 'freeze.acknowledge', subject: `freeze:${id}`, details: { account: row.account, frozenAmount: input.frozenAmount, alreadyLeft: input.alreadyLeft }, at });
    await enqueueEvent(ctx, db, 'freeze.acknowledged', { freezeId: id, caseNumber: l.freeze.case_number, bank: actor.orgName, account: row.account, frozenAmount: input.frozenAmount, alreadyLeft: input.alreadyLeft, note }, await orgTargets(db, [l.freeze.org_id]));
    return { freeze: l.freeze, accounts: l.accounts.map((a) => (a.id === row.id ? { ...a, ...set, status: 'acknowledged' } : a)) };
  });
  return view(loaded, actor);
}

async function unitStep(
  ctx: AppContext,
  id: string,
  actor: Actor,
  work: (db: Kysely<Database>, l: Loaded, at: string, audit: (e: { action: string; details: Record<string, unknown> }) => Promise<void>) => Promise<Loaded>,
): Promise<FreezeView> {
  const at = new Date(ctx.now()).toISOString();
  const before = { status: '' };
  const loaded = await inTransaction(ctx, async ({ db, audit, publish }) => {
    const l = await load(db, id, actor);
    if (actor.role !== 'police' || l.freeze.org_id !== actor.orgId) throw new CallshieldError('PAYMENTS_FREEZE_NOT_FOUND', `no freeze ${id}`, { field: 'id' });
    before.status = l.freeze.status;
    const next = await work(db, l, at, (e) => audit({ actor: describeActor(actor), action: e.action, subject: `freeze:${id}`, details: e.details, at }));
    if (before.status !== next.freeze.status || before.status === 'active') publish(CHANGE_KINDS.freeze, [id]);
    return next;
  });
  if (before.status !== loaded.freeze.status || before.status === 'active') await freezeChanged(ctx, loaded);
  return view(loaded, actor);
}

const changedMeanwhile = (): never => {
  throw new CallshieldError('PAYMENTS_INVALID_STATE', 'the freeze changed a moment ago', { field: 'status' });
};

/**
 * Extending an active freeze takes two people of the unit: the first request is recorded (who,
 * when, how many hours, why) and changes nothing; a different officer's extend applies it.
 */
export function extendFreeze(ctx: AppContext, id: string, input: { hours?: number; reason: string }, actor: Actor): Promise<FreezeView> {
  const officer = officerOf(actor);
  const reason = checkStepReason(input.reason);
  const asked = input.hours;
  if (asked !== undefined && (typeof asked !== 'number' || !Number.isInteger(asked) || asked < 1 || asked > MAX_EXTENSION_HOURS)) {
    throw new CallshieldError('REQUEST_INVALID_BODY', `hours must be a whole number from 1 to ${MAX_EXTENSION_HOURS}`, { field: 'hours' });
  }
  return unitStep(ctx, id, actor, async (db, l, at, audit) => {
    const f = l.freeze;
    nextFreezeState(f.status as FreezeState, 'extend');
    const requestedBy = f.extend_requested_by_person;
    if (requestedBy === null) {
      const hours = asked ?? paymentsSettings(ctx).freezeTtlMs / 3_600_000;
      const set = { extend_requested_by_person: officer.person, extend_requested_by_key: officer.key, extend_requested_at: at, extend_request_hours: hours, extend_request_reason: reason, updated_at: at };
      if (!(await updateFreeze(db, id, 'active', set, { column: 'extend_requested_by_person', value: null }))) changedMeanwhile();
      await audit({ action: 'freeze.extend-request', details: { officer: officer.person, officerKey: officer.key, hours, reason } });
      return { freeze: { ...f, ...set }, accounts: l.accounts };
    }
    checkSecondOfficer(requestedBy, officer.person, 'extend');
    const hours = Number(f.extend_request_hours);
    if (asked !== undefined && asked !== hours) {
      throw new CallshieldError('REQUEST_CONFLICT', `the extension waiting for a second officer asks for ${hours} hours; confirm it as asked, or let it lapse with the freeze`, { field: 'hours' });
    }
    const from = Math.max(ctx.now(), Date.parse(f.expires_at ?? at));
    const expiresAt = new Date(from + hours * 3_600_000).toISOString();
    const set = { expires_at: expiresAt, extend_requested_by_person: null, extend_requested_by_key: null, extend_requested_at: null, extend_request_hours: null, extend_request_reason: null, updated_at: at };
    if (!(await updateFreeze(db, id, 'active', set, { column: 'extend_requested_by_person', value: requestedBy }))) changedMeanwhile();
    await audit({ action: 'freeze.extend', details: { from: f.expires_at, to: expiresAt, hours, reason: f.extend_request_reason, requestedBy, officer: officer.person, officerKey: officer.key, confirmReason: reason } });
    const next = { freeze: { ...f, ...set }, accounts: l.accounts };
    await bankEvents(ctx, db, 'freeze.extended', next, { reason: f.extend_request_reason });
    return next;
  });
}

/**
 * Releasing an active freeze (the direction in which money moves) takes two people of the unit: the
 * first release is recorded as a request (who, when, why) and the freeze stays active; a different
 * officer's release ends it. A pending freeze (not yet in effect, never seen by the banks) is
 * withdrawn by one officer.
 */
export function releaseFreeze(ctx: AppContext, id: string, input: { reason: string }, actor: Actor): Promise<FreezeView> {
  const officer = officerOf(actor);
  const reason = checkStepReason(input.reason);
  return unitStep(ctx, id, actor, async (db, l, at, audit) => {
    const f = l.freeze;
    const from = f.status;
    nextFreezeState(from as FreezeState, 'release');
    const requestedBy = f.release_requested_by_person;
    if (from === 'active' && requestedBy === null) {
      const set = { release_requested_by_person: officer.person, release_requested_by_key: officer.key, release_requested_at: at, release_request_reason: reason, updated_at: at };
      if (!(await updateFreeze(db, id, 'active', set, { column: 'release_requested_by_person', value: null }))) changedMeanwhile();
      await audit({ action: 'freeze.release-request', details: { officer: officer.person, officerKey: officer.key, reason } });
      return { freeze: { ...f, ...set }, accounts: l.accounts };
    }
    if (from === 'active') checkSecondOfficer(requestedBy!, officer.person, 'release');
    const releaseReason = from === 'active' ? f.release_request_reason ?? reason : reason;
    const set = { status: 'released', release_reason: releaseReason, released_by_person: officer.person, released_by_key: officer.key, updated_at: at };
    if (!(await updateFreeze(db, id, from, set, from === 'active' ? { column: 'release_requested_by_person', value: requestedBy } : undefined))) changedMeanwhile();
    await audit({ action: 'freeze.release', details: { from, reason: releaseReason, officer: officer.person, officerKey: officer.key, ...(from === 'active' ? { requestedBy, confirmReason: reason } : {}) } });
    const next = { freeze: { ...f, ...set }, accounts: l.accounts };
    // Banks never saw a pending freeze, so they are told only when an active one is released.
    if (from === 'active') await bankEvents(ctx, db, 'freeze.released', next, { reason: releaseReason });
    return next;
  });
}

export async function getFreeze(ctx: AppContext, id: string, actor: Actor): Promise<FreezeView> {
  return view(await load(ctx.db, id, actor), actor);
}

export async function listFreezes(ctx: AppContext, actor: Actor, query: { status?: string; limit?: number }): Promise<FreezeView[]> {
  const filter = { ...(query.status ? { status: query.status } : {}), ...(query.limit ? { limit: query.limit } : {}) };
  let rows: Loaded[];
  if (actor.role === 'regulator' || actor.role === 'admin') rows = await storeList(ctx.db, filter);
  else if (actor.role === 'police') rows = await storeList(ctx.db, { ...filter, orgId: actor.orgId });
  else if (actor.role === 'bank') rows = await storeList(ctx.db, { ...filter, bankOrgId: actor.orgId });
  else rows = [];
  return rows.map((l) => view(l, actor));
}

/** Active freezes whose time ran out become expired (audited, banks told). */
export async function expireFreezes(ctx: AppContext): Promise<number> {
  const at = new Date(ctx.now()).toISOString();
  let n = 0;
  for (const f of await expiredFreezes(ctx.db, at)) {
    const done = await inTransaction(ctx, async ({ db, audit, publish }) => {
      if (!(await updateFreeze(db, f.id, 'active', { status: 'expired', updated_at: at }))) return false;
      publish(CHANGE_KINDS.freeze, [f.id]);
      await audit({ actor: 'callshield (system)', action: 'freeze.expire', subject: `freeze:${f.id}`, details: { expiresAt: f.expires_at }, at });
      const l = await findFreeze(db, f.id);
      if (l) {
        await bankEvents(ctx, db, 'freeze.expired', l);
        await enqueueEvent(ctx, db, 'freeze.expired', { freezeId: f.id, caseNumber: f.case_number }, await orgTargets(db, [f.org_id]));
      }
      return l ?? true;
    });
    if (done) {
      n++;
      if (done !== true) await freezeChanged(ctx, done);
    }
  }
  return n;
}

/** The bank organisations on callshield, by name: the console's picker for a freeze's accounts (a name must match exactly). */
export async function listBanks(ctx: AppContext): Promise<{ name: string }[]> {
  return (await orgNamesByRole(ctx.db, 'bank')).map((name) => ({ name }));
}
