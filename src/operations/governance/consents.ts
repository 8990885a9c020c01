import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../app-context.js';
import { CallshieldError } from '../../errors.js';
import { CONSENT_CHANNELS, businessKeyOf } from '../../governance/index.js';
import { findConsent, insertConsent, listConsents as storeList, setConsentRevoked } from '../../store/governance/registry.js';
import type { GovernanceConsentsTable } from '../../store/governance/schema.js';
import { describeActor } from '../actor.js';
import type { Actor } from '../actor.js';
import { checkPurpose } from './dnc.js';
import { CHANGE_KINDS, consentOfRow, indexConsent, loadGovernance, personRef } from './state.js';
import { inTransaction } from '../write.js';

export interface ConsentInput {
  number: string;
  business?: string;
  purpose: string;
  channel: string;
  grantedAt: string;
  revokedAt?: string;
  evidence: string;
}

export interface ConsentView {
  id: string;
  business: string;
  purpose: string;
  channel: string;
  grantedAt: string;
  revokedAt: string | null;
  evidence: string;
  createdAt: string;
}

const CLOCK_SKEW = 5 * 60_000;

function view(r: GovernanceConsentsTable): ConsentView {
  return { id: r.id, business: r.business, purpose: r.purpose, channel: r.channel, grantedAt: r.granted_at, revokedAt: r.revoked_at, evidence: r.evidence, createdAt: r.created_at };
}

function parseTime(value: unknown, now: number, field: string): number {
  const t = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(t)) throw new CallshieldError('GOVERNANCE_INVALID_CONSENT', `${field} must be an ISO-8601 date-time such as 2026-11-26T09:30:00Z`, { field });
  if (t > now + CLOCK_SKEW) throw new CallshieldError('GOVERNANCE_INVALID_CONSENT', `${field} is in the future`, { field });
  return t;
}

function businessFor(input: { business?: string | undefined }, actor: Actor): string {
  const given = input.business?.trim();
  if (actor.role === 'business') {
    if (given && businessKeyOf(given) !== businessKeyOf(actor.orgName)) {
      throw new CallshieldError('GOVERNANCE_BUSINESS_MISMATCH', `a business records consents for itself (${actor.orgName}); leave business out`, { field: 'business' });
    }
    return actor.orgName;
  }
  if (!given) throw new CallshieldError('GOVERNANCE_INVALID_CONSENT', 'business names who the person consented to', { field: 'business' });
  return given;
}

/**
 * A business records that a person consented to be called (by number, for one purpose, on one
 * channel), with the evidence it holds (a signed form, a recorded call, an opt-in log entry).
 */
export async function recordConsent(ctx: AppContext, input: ConsentInput, actor: Actor): Promise<ConsentView> {
  const s = await loadGovernance(ctx);
  const p = personRef(ctx, input.number, 'number');
  const business = businessFor(input, actor);
  const purpose = checkPurpose(input.purpose);
  if (!(CONSENT_CHANNELS as readonly string[]).includes(input.channel)) {
    throw new CallshieldError('GOVERNANCE_INVALID_CONSENT', `channel must be one of ${CONSENT_CHANNELS.join(', ')}`, { field: 'channel' });
  }
  const evidence = typeof input.evidence === 'string' ? input.evidence.trim() : '';
  if (evidence.length < 5) throw new CallshieldError('GOVERNANCE_INVALID_CONSENT', 'evidence must say how the consent was given (at least 5 characters)', { field: 'evidence' });
  const now = ctx.now();
  const granted = parseTime(input.grantedAt, now, 'grantedAt');
  let revoked: number | null = null;
  if (input.revokedAt !== undefined) {
    revoked = parseTime(input.revokedAt, now, 'revokedAt');
    if (revoked < granted) throw new CallshieldError('GOVERNANCE_INVALID_CONSENT', 'revokedAt is before grantedAt: a consent cannot be revoked before it was given', { field: 'revokedAt' });
  }
  const at = new Date(now).toISOString();
  const row: GovernanceConsentsTable = {
    id: randomUUID(),
    person_hash: p.personHash,
    index_key: p.indexKey,
    business,
    business_key: businessKeyOf(business),
    purpose,
    channel: input.channel,
    granted_at: new Date(granted).toISOString(),
    revoked_at: revoked === null ? null : new Date(revoked).toISOString(),
    evidence: evidence.slice(0, 2000),
    org_id: actor.orgId,
    created_at: at,
  };
  await inTransaction(ctx, async ({ db, audit }) => {
    await insertConsent(db, row);
    await audit({ actor: describeActor(actor), action: 'consent.record', subject: `consent:${row.id}`, details: { business, purpose, channel: row.channel, grantedAt: row.granted_at, revokedAt: row.revoked_at }, at });
  });
  indexConsent(s, row.index_key, consentOfRow(row));
  await ctx.publish(CHANGE_KINDS.consent, [row.id]);
  return view(row);
}

/** The person withdraws a consent; from then on the business may not call for that purpose. */
export async function revokeConsent(ctx: AppContext, id: string, input: { revokedAt?: string }, actor: Actor): Promise<ConsentView> {
  const s = await loadGovernance(ctx);
  const now = ctx.now();
  const revoked = input.revokedAt === undefined ? now : parseTime(input.revokedAt, now, 'revokedAt');
  const at = new Date(now).toISOString();
  const row = await inTransaction(ctx, async ({ db, audit }) => {
    const c = await findConsent(db, id);
    if (!c || (actor.role !== 'admin' && c.org_id !== actor.orgId)) throw new CallshieldError('GOVERNANCE_CONSENT_NOT_FOUND', `no consent ${id}`, { field: 'id' });
    if (c.revoked_at) throw new CallshieldError('GOVERNANCE_CONSENT_ALREADY_REVOKED', `the consent was revoked at ${c.revoked_at}`, { field: 'id' });
    if (revoked < Date.parse(c.granted_at)) {
      throw new CallshieldError('GOVERNANCE_INVALID_CONSENT', `revokedAt is before the consent was granted (${c.granted_at})`, { field: 'revokedAt' });
    }
    const revokedAt = new Date(revoked).toISOString();
    await setConsentRevoked(db, id, revokedAt);
    await audit({ actor: describeActor(actor), action: 'consent.revoke', subject: `consent:${id}`, details: { revokedAt }, at });
    return { ...c, revoked_at: revokedAt };
  });
  indexConsent(s, row.index_key, consentOfRow(row));
  await ctx.publish(CHANGE_KINDS.consent, [row.id]);
  return view(row);
}

/** The consents a business holds for one number (a regulator or admin sees every business's). */
export async function listConsentsFor(ctx: AppContext, number: string, actor: Actor): Promise<ConsentView[]> {
  const p = personRef(ctx, number, 'number');
  const own = actor.role === 'business' ? { orgId: actor.orgId } : {};
  return (await storeList(ctx.db, { personHash: p.personHash, ...own })).map(view);
}
