import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../app-context.js';
import { CallshieldError } from '../../errors.js';
import { parseIdentifier } from '../../identity/index.js';
import { canSeeFlag, isLive, parsePayeeAccount } from '../../payments/index.js';
import type { FlagLevel } from '../../payments/index.js';
import { insertReports } from '../../store/reputation/reports.js';
import { findFlag, insertFlags, liveFlags, revokeFlag as storeRevoke } from '../../store/payments/flags.js';
import type { PayeeFlagsTable } from '../../store/payments/schema.js';
import { describeActor } from '../actor.js';
import type { Actor } from '../actor.js';
import { checkReporter } from '../reputation/reports.js';
import { CHANGE_KINDS, forgetFlag, paymentsState, rememberFlag } from './state.js';
import { inTransaction } from '../write.js';
import { campaignsFromPayees } from '../campaigns/party-evidence.js';

const DAY = 86_400_000;
// A flag that nobody renews fades: a mule account is usually closed within months, and a
// suspicion that was never confirmed must not hold a stranger's payments for ever.
const DEFAULT_EXPIRY: Record<FlagLevel, number> = { confirmed: 365 * DAY, suspected: 180 * DAY, reported: 90 * DAY };

export interface FlagView {
  id: string;
  account: string;
  kind: string;
  level: FlagLevel;
  source: string;
  evidence: string;
  caller: string | null;
  caseId: string | null;
  createdAt: string;
  expiresAt: string | null;
  own: boolean;
}

export function flagView(row: PayeeFlagsTable, actor: Actor): FlagView {
  return {
    id: row.id,
    account: row.account,
    kind: row.kind,
    level: row.level as FlagLevel,
    source: row.source,
    evidence: row.evidence,
    caller: row.caller,
    caseId: row.case_id,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    own: row.org_id === actor.orgId,
  };
}

export function checkExpiry(value: unknown, now: number, field: string): string | undefined {
  if (value === undefined) return undefined;
  const t = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(t)) throw new CallshieldError('REQUEST_INVALID_BODY', `${field} must be an ISO-8601 date-time`, { field });
  if (t <= now) throw new CallshieldError('REQUEST_INVALID_BODY', `${field} is already past`, { field });
  return new Date(t).toISOString();
}

function checkEvidence(value: unknown, field = 'evidence'): string {
  if (typeof value !== 'string' || value.trim().length < 3 || value.length > 2000) {
    throw new CallshieldError('REQUEST_INVALID_BODY', `${field} must say why (3-2000 characters)`, { field });
  }
  return value.trim();
}

export function parseCaller(ctx: AppContext, raw: unknown, field: string): string {
  const id = parseIdentifier(raw, { defaultRegion: ctx.config.defaultRegion }, field);
  if (id.kind === 'anonymous') throw new CallshieldError('IDENTITY_ANONYMOUS_NOT_ALLOWED', 'a withheld caller cannot be linked to anything', { field });
  return id.canonical;
}

export interface FlagInput {
  account: string;
  evidence: string;
  caller?: string;
  expiresAt?: string;
}

/** Police flag confirmed mule accounts (they block); banks flag suspected ones (they hold). */
export async function addFlag(ctx: AppContext, input: FlagInput, actor: Actor): Promise<FlagView> {
  const account = parsePayeeAccount(input.account, 'account');
  const evidence = checkEvidence(input.evidence);
  const caller = input.caller === undefined ? null : parseCaller(ctx, input.caller, 'caller');
  const now = ctx.now();
  const level: FlagLevel = actor.role === 'police' ? 'confirmed' : 'suspected';
  const source = actor.role === 'police' ? 'police' : actor.role === 'bank' ? 'bank' : actor.role;
  const row: PayeeFlagsTable = {
    id: randomUUID(),
    account: account.canonical,
    kind: account.kind,
    level,
    source,
    org_id: actor.orgId,
    evidence,
    caller,
    case_id: null,
    reporter_hash: null,
    expires_at: checkExpiry(input.expiresAt, now, 'expiresAt') ?? new Date(now + DEFAULT_EXPIRY[level]).toISOString(),
    created_at: new Date(now).toISOString(),
    revoked_at: null,
    revoke_reason: null,
  };
  const state = await paymentsState(ctx);
  await inTransaction(ctx, async ({ db, audit, publish }) => {
    await insertFlags(db, [row]);
    await audit({ actor: describeActor(actor), action: 'payee.flag', subject: `payee:${row.account}`, details: { id: row.id, level, source, caller, expiresAt: row.expires_at }, at: row.created_at });
    publish(CHANGE_KINDS.flag, [row.id]);
  });
  rememberFlag(state, row);
  if (caller) await campaignsFromPayees(ctx, [caller]);
  return flagView(row, actor);
}

export async function listFlags(ctx: AppContext, actor: Actor, query: { account?: string; limit?: number }): Promise<FlagView[]> {
  const account = query.account === undefined ? undefined : parsePayeeAccount(query.account, 'account').canonical;
  const rows = await liveFlags(ctx.db, new Date(ctx.now()).toISOString(), account, query.limit ?? 200);
  return rows.filter((r) => canSeeFlag(actor, { orgId: r.org_id, level: r.level as FlagLevel, source: r.source })).map((r) => flagView(r, actor));
}

export async function revokeFlag(ctx: AppContext, id: string, input: { reason: string }, actor: Actor): Promise<FlagView> {
  const reason = checkEvidence(input.reason, 'reason');
  const state = await paymentsState(ctx);
  const at = new Date(ctx.now()).toISOString();
  const row = await inTransaction(ctx, async ({ db, audit, publish }) => {
    const flag = await findFlag(db, id);
    // Only the organisation that added a flag (or an admin) may take it back; others do not see it.
    if (!flag || (flag.org_id !== actor.orgId && actor.role !== 'admin')) throw new CallshieldError('PAYMENTS_FLAG_NOT_FOUND', `no flag ${id} of yours`, { field: 'id' });
    if (!(await storeRevoke(db, id, reason, at))) throw new CallshieldError('PAYMENTS_INVALID_STATE', 'the flag is already revoked');
    await audit({ actor: describeActor(actor), action: 'payee.revoke', subject: `payee:${flag.account}`, details: { id, reason }, at });
    publish(CHANGE_KINDS.flag, [id]);
    return { ...flag, revoked_at: at, revoke_reason: reason };
  });
  forgetFlag(state, row.account, id);
  return flagView(row, actor);
}

export interface AccountCheck {
  account: string;
  kind: string;
  flagged: boolean;
  level: FlagLevel | null;
  reasons: { code: string; text: string }[];
}

const LEVEL_ORDER: FlagLevel[] = ['confirmed', 'suspected', 'reported'];

/** What an app (or anyone allowed) may know about an account: flagged or not, and how surely. No evidence, no sources. */
export async function checkAccount(ctx: AppContext, input: { account: string }): Promise<AccountCheck> {
  const account = parsePayeeAccount(input.account, 'account');
  const state = await paymentsState(ctx);
  const now = ctx.now();
  const flags = (state.flags.get(account.canonical) ?? []).filter((f) => isLive(f, now));
  const level = LEVEL_ORDER.find((l) => flags.some((f) => f.level === l)) ?? null;
  const text: Record<FlagLevel, string> = {
    confirmed: 'Police have confirmed this account is used in fraud. Do not pay it.',
    suspected: 'This account is suspected of being used in fraud. Do not pay it before you have checked with your bank.',
    reported: 'A subscriber reported this account as a "safe account" a caller gave them. No real "safe account" exists.',
  };
  return {
    account: account.canonical,
    kind: account.kind,
    flagged: level !== null,
    level,
    reasons: level ? [{ code: `PAYEE_${level.toUpperCase()}`, text: text[level] }] : [{ code: 'NOT_FLAGGED', text: 'Nothing is known against this account' }],
  };
}

export interface SafeAccountReport {
  reporter: string;
  account: string;
  caller: string;
  comment?: string;
}

/**
 * The victim's app reports the "certified safe account" a caller gave during a call. The account
 * gets a `reported` flag (a signal for the transfer check, never a hold on its own) and the caller
 * gets a fraud report through the ordinary reports table, so its reputation counts it like any
 * other subscriber's report.
 */
export async function reportSafeAccount(ctx: AppContext, input: SafeAccountReport, actor: Actor): Promise<{ id: string; account: string; caller: string; level: FlagLevel }> {
  const reporter = checkReporter(input.reporter);
  const account = parsePayeeAccount(input.account, 'account');
  const caller = parseIdentifier(input.caller, { defaultRegion: ctx.config.defaultRegion }, 'caller');
  if (caller.kind === 'anonymous') throw new CallshieldError('IDENTITY_ANONYMOUS_NOT_ALLOWED', 'a withheld caller cannot be linked to an account', { field: 'caller' });
  const comment = typeof input.comment === 'string' ? input.comment.trim().slice(0, 500) : '';
  const now = ctx.now();
  const at = new Date(now).toISOString();
  const reporterHash = ctx.hash(`${actor.orgId}:${reporter}`);
  const row: PayeeFlagsTable = {
    id: randomUUID(),
    account: account.canonical,
    kind: account.kind,
    level: 'reported',
    source: 'app report',
    org_id: actor.orgId,
    evidence: comment || `given as a "safe account" by ${caller.canonical} during a call`,
    caller: caller.canonical,
    case_id: null,
    reporter_hash: reporterHash,
    expires_at: new Date(now + DEFAULT_EXPIRY.reported).toISOString(),
    created_at: at,
    revoked_at: null,
    revoke_reason: null,
  };
  const state = await paymentsState(ctx);
  await inTransaction(ctx, async ({ db, audit, publish }) => {
    await insertFlags(db, [row]);
    await insertReports(db, [
      {
        id: randomUUID(),
        caller: caller.canonical,
        caller_kind: caller.kind,
        reporter_hash: reporterHash,
        org_id: actor.orgId,
        category: 'fraud',
        comment: `gave a "safe account" (${account.kind}) during the call${comment ? `: ${comment}` : ''}`,
        channel: null,
        claimed_org: null,
        occurred_at: at,
        created_at: at,
        import_source: `payments:safe-account:${row.id}`,
      },
    ]);
    await audit({ actor: describeActor(actor), action: 'payee.report', subject: `payee:${row.account}`, details: { id: row.id, caller: caller.canonical }, at });
    publish(CHANGE_KINDS.flag, [row.id]);
    publish('reputation', [caller.canonical]);
  });
  rememberFlag(state, row);
  await ctx.refreshReputation([caller.canonical], { publish: false });
  await campaignsFromPayees(ctx, [caller.canonical]);
  return { id: row.id, account: row.account, caller: caller.canonical, level: 'reported' };
}
