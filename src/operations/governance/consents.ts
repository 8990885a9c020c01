import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../app-context.js';
import { CallshieldError } from '../../errors.js';
import { CONSENT_CHANNELS, CONSENT_DEFAULT_TERM_MS, CONSENT_MAX_TERM_MS, businessKeyOf } from '../../governance/index.js';
import { findConsent, insertConsent, listConsents as storeList, setConsentRevoked, unrevokedConsentsOf } from '../../store/governance/registry.js';
import type { GovernanceConsentsTable } from '../../store/governance/schema.js';
import { describeActor } from '../actor.js';
import type { Actor } from '../actor.js';
import { checkPurpose } from './dnc.js';
import { CHANGE_KINDS, indexConsentRows, loadGovernance, personRef } from './state.js';
import { inTransaction } from '../write.js';
import { requireServing } from '../screening/serving.js';

export interface ConsentInput {
  number: string;
  business?: string;
  purpose: string;
  channel: string;
  grantedAt: string;
  /** When the consent lapses: default grantedAt + 1 year, at most grantedAt + 2 years. */
  expiresAt?: string;
  revokedAt?: string;
  evidence: string;
}

export interface ConsentView {
  id: string;
  business: string;
  purpose: string;
  channel: string;
  grantedAt: string;
  expiresAt: string;
  revokedAt: string | null;
  evidence: string;
  createdAt: string;
  /** Who recorded it: organisation, role and person. */
  recordedBy: string | null;
  /** Who recorded the withdrawal: the business, or "the person, through their app". */
  revokedBy: string | null;
}

const CLOCK_SKEW = 5 * 60_000;

function view(r: GovernanceConsentsTable): ConsentView {
  return {
    id: r.id,
    business: r.business,
    purpose: r.purpose,
    channel: r.channel,
    grantedAt: r.granted_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
    evidence: r.evidence,
    createdAt: r.created_at,
    recordedBy: r.recorded_by,
    revokedBy: r.revoked_by,
  };
}

function parseTime(value: unknown, now: number, field: string): number {
  const t = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(t)) throw new CallshieldError('GOVERNANCE_INVALID_CONSENT', `${field} must be an ISO-8601 date-time such as 2026-11-26T09:30:00Z`, { field });
  if (t > now + CLOCK_SKEW) throw new CallshieldError('GOVERNANCE_INVALID_CONSENT', `${field} is in the future`, { field });
  return t;
}

function expiryOf(value: unknown, granted: number): number {
  if (value === undefined) return granted + CONSENT_DEFAULT_TERM_MS;
  const t = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(t)) throw new CallshieldError('GOVERNANCE_INVALID_CONSENT', 'expiresAt must be an ISO-8601 date-time such as 2027-11-26T09:30:00Z', { field: 'expiresAt' });
  if (t <= granted) throw new CallshieldError('GOVERNANCE_INVALID_CONSENT', 'expiresAt must be after grantedAt', { field: 'expiresAt' });
  if (t - granted > CONSENT_MAX_TERM_MS) throw new CallshieldError('GOVERNANCE_INVALID_CONSENT', 'a consent lasts at most two years from grantedAt; ask the person again after that', { field: 'expiresAt' });
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
  const expires = expiryOf(input.expiresAt, granted);
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
    expires_at: new Date(expires).toISOString(),
    recorded_by: describeActor(actor),
    revoked_by: revoked === null ? null : describeActor(actor),
  };
  await inTransaction(ctx, async ({ db, audit, publish }) => {
    await insertConsent(db, row);
    await audit({ actor: describeActor(actor), action: 'consent.record', subject: `consent:${row.id}`, details: { business, purpose, channel: row.channel, grantedAt: row.granted_at, expiresAt: row.expires_at, revokedAt: row.revoked_at }, at });
    publish(CHANGE_KINDS.consent, [row.id]);
  });
  await indexConsentRows(ctx, s, [row]);
  return view(row);
}

/** The business records that the person withdrew a consent; from then on it may not call for that purpose. */
export async function revokeConsent(ctx: AppContext, id: string, input: { revokedAt?: string }, actor: Actor): Promise<ConsentView> {
  const s = await loadGovernance(ctx);
  const now = ctx.now();
  const revoked = input.revokedAt === undefined ? now : parseTime(input.revokedAt, now, 'revokedAt');
  const at = new Date(now).toISOString();
  const row = await inTransaction(ctx, async ({ db, audit, publish }) => {
    const c = await findConsent(db, id);
    if (!c || (actor.role !== 'admin' && c.org_id !== actor.orgId)) throw new CallshieldError('GOVERNANCE_CONSENT_NOT_FOUND', `no consent ${id}`, { field: 'id' });
    if (c.revoked_at) throw new CallshieldError('GOVERNANCE_CONSENT_ALREADY_REVOKED', `the consent was revoked at ${c.revoked_at}`, { field: 'id' });
    if (revoked < Date.parse(c.granted_at)) {
      throw new CallshieldError('GOVERNANCE_INVALID_CONSENT', `revokedAt is before the consent was granted (${c.granted_at})`, { field: 'revokedAt' });
    }
    const revokedAt = new Date(revoked).toISOString();
    await setConsentRevoked(db, id, revokedAt, describeActor(actor));
    await audit({ actor: describeActor(actor), action: 'consent.revoke', subject: `consent:${id}`, details: { revokedAt }, at });
    publish(CHANGE_KINDS.consent, [id]);
    return { ...c, revoked_at: revokedAt, revoked_by: describeActor(actor) };
  });
  await indexConsentRows(ctx, s, [row]);
  return view(row);
}

/** The consents a business holds for one number (a regulator or admin sees every business's). */
export async function listConsentsFor(ctx: AppContext, number: string, actor: Actor): Promise<ConsentView[]> {
  const p = personRef(ctx, number, 'number');
  const own = actor.role === 'business' ? { orgId: actor.orgId } : {};
  return (await storeList(ctx.db, { personHash: p.personHash, ...own })).map(view);
}

/** How the person's own withdrawal shows on the business's consent record (the audit log names the app and the person behind its key). */
export const WITHDRAWN_BY_PERSON = 'the person, through their app';

/**
 * The person withdraws their consents to a business, through the app that serves them (app role,
 * number + business): every consent of that business for that number that is not yet withdrawn,
 * whatever its purpose and channel. The business sees CONSENT_REVOKED at its next scrub.
 */
export async function withdrawConsentByPerson(ctx: AppContext, input: { number: string; business: string }, actor: Actor): Promise<{ number: string; business: string; withdrawn: ConsentView[] }> {
  const s = await loadGovernance(ctx);
  const p = personRef(ctx, input.number, 'number');
  await requireServing(ctx, actor, p.personHash, 'number');
  const business = typeof input.business === 'string' ? input.business.trim() : '';
  if (!business) throw new CallshieldError('GOVERNANCE_INVALID_CONSENT', 'business names who the person withdraws their consent from', { field: 'business' });
  const now = ctx.now();
  const at = new Date(now).toISOString();
  const rows = await inTransaction(ctx, async ({ db, audit, publish }) => {
    const open = await unrevokedConsentsOf(db, p.personHash, businessKeyOf(business));
    if (open.length === 0) throw new CallshieldError('GOVERNANCE_CONSENT_NOT_FOUND', `no consent to ${business} on record for this number that is not already withdrawn`, { field: 'business' });
    const out = [];
    for (const c of open) {
      // A consent granted after now (clock skew of the business) is withdrawn as of its grant.
      const revokedAt = new Date(Math.max(now, Date.parse(c.granted_at))).toISOString();
      await setConsentRevoked(db, c.id, revokedAt, WITHDRAWN_BY_PERSON);
      out.push({ ...c, revoked_at: revokedAt, revoked_by: WITHDRAWN_BY_PERSON });
    }
    await audit({ actor: describeActor(actor), action: 'consent.withdraw', subject: `person:${p.personHash}`, details: { business, consents: out.map((c) => c.id) }, at });
    publish(CHANGE_KINDS.consent, out.map((c) => c.id));
    return out;
  });
  await indexConsentRows(ctx, s, rows);
  return { number: p.canonical, business, withdrawn: rows.map(view) };
}
