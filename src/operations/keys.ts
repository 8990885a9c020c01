import type { AppContext } from '../app-context.js';
import { CallshieldError } from '../errors.js';
import { generateApiKey, hashApiKey, parseOrgName, parsePerson, parseRole } from '../auth/index.js';
import type { Role } from '../auth/index.js';
import { findApiKey, findOrgByName, insertApiKey, insertOrg, listApiKeys, retireApiKey, revokeApiKey } from '../store/orgs.js';
import type { KeyRow, OrgRow } from '../store/orgs.js';
import { describeActor } from './actor.js';
import type { Actor } from './actor.js';
import { forgetKeys, KEY_CHANGES } from './key-access.js';
import { inTransaction } from './write.js';

export interface CreatedKey {
  readonly org: OrgRow;
  readonly keyId: string;
  /** Shown once; only its hash is stored. */
  readonly key: string;
  /** The person behind the key (given, or `system:<org>` for a machine key). */
  readonly person: string;
  readonly orgCreated: boolean;
  readonly expiresAt: string | null;
}

/** Longest life a key may be given, and longest grace period of a rotation. */
export const MAX_KEY_LIFE_MS = 10 * 366 * 86_400_000;
export const MAX_GRACE_MS = 30 * 86_400_000;
export const DEFAULT_GRACE_MS = 24 * 3_600_000;

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };
const DURATION = /^(\d{1,6})([smhdw])$/;

/** "90d", "24h", "30m", "2w", "45s" (and "0" for none) in milliseconds, or undefined when it is not a duration. */
export function parseDuration(value: string): number | undefined {
  if (value === '0') return 0;
  const m = DURATION.exec(value);
  return m ? Number(m[1]) * UNIT_MS[m[2]!]! : undefined;
}

/**
 * When a key expires: an ISO date (`2027-03-31`, valid through that day, UTC), an ISO date and time
 * with its zone (`2027-03-31T18:00:00+08:00`), or a duration from now (`90d`, `12h`). Must be in the
 * future and at most ten years away.
 */
export function parseExpiry(value: unknown, now: number, field = 'expires'): string {
  const bad = (why: string): never => {
    throw new CallshieldError('AUTH_INVALID_EXPIRY', `${field} ${why}: give an ISO date (2027-03-31), an ISO date and time with its zone, or a duration such as 90d, 12h or 30m`, { field });
  };
  if (typeof value !== 'string' || value.trim() === '') return bad('is missing');
  const v = value.trim();
  let at: number;
  const duration = parseDuration(v);
  if (duration !== undefined) at = now + duration;
  else if (/^\d{4}-\d{2}-\d{2}$/.test(v)) at = Date.parse(`${v}T00:00:00Z`) + 86_400_000;
  else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(v)) at = Date.parse(v);
  else return bad(`"${v.slice(0, 40)}" is not a date or a duration`);
  if (!Number.isFinite(at) || (duration === undefined && !isCalendarDate(v.slice(0, 10)))) return bad(`"${v.slice(0, 40)}" is not a real date`);
  if (at <= now) return bad('is not in the future');
  if (at - now > MAX_KEY_LIFE_MS) return bad('is more than ten years away');
  return new Date(at).toISOString();
}

/** Whether YYYY-MM-DD names a day of the calendar (Date.parse turns 2030-02-30 into 2 March). */
function isCalendarDate(ymd: string): boolean {
  const [y, m, d] = ymd.split('-').map(Number) as [number, number, number];
  const at = new Date(Date.UTC(y, m - 1, d));
  return at.getUTCFullYear() === y && at.getUTCMonth() === m - 1 && at.getUTCDate() === d;
}

/** A rotation's grace period: a duration (`24h`, `30m`, `0` to end the old key at once), at most 30 days. */
export function parseGrace(value: unknown, field = 'grace'): number {
  if (value === undefined || value === null) return DEFAULT_GRACE_MS;
  const ms = typeof value === 'string' ? parseDuration(value.trim()) : undefined;
  if (ms === undefined || ms > MAX_GRACE_MS) {
    throw new CallshieldError('REQUEST_INVALID_BODY', `${field} must be a duration such as 24h, 30m or 7d (0 ends the old key at once), at most 30d`, { field });
  }
  return ms;
}

function checkLabel(value: unknown): string | null {
  return typeof value === 'string' && value.trim() ? value.trim().slice(0, 100) : null;
}

/** Creates a key for an organisation, creating the organisation on first use. */
export async function createApiKey(ctx: AppContext, input: { org: unknown; role: unknown; label?: unknown; person?: unknown; expires?: unknown }, actor: Actor): Promise<CreatedKey> {
  const name = parseOrgName(input.org, 'org');
  const role: Role = parseRole(input.role, 'role');
  // Machine keys without a person are named after their organisation's system.
  const person = parsePerson(input.person, role, 'person') ?? `system:${name}`;
  const label = checkLabel(input.label);
  const now = ctx.now();
  const expiresAt = input.expires === undefined || input.expires === null ? null : parseExpiry(input.expires, now);
  const key = generateApiKey();
  const at = new Date(now).toISOString();
  return inTransaction(ctx, async ({ db, audit }) => {
    let org = await findOrgByName(db, name);
    let orgCreated = false;
    if (org && org.role !== role) {
      throw new CallshieldError('REQUEST_CONFLICT', `organisation "${name}" exists with role ${org.role}, not ${role}`, { field: 'role' });
    }
    if (!org) {
      org = await insertOrg(db, name, role, at);
      orgCreated = true;
    }
    const keyId = await insertApiKey(db, { orgId: org.id, keyHash: hashApiKey(key), prefix: key.slice(0, 8), label, person, at, expiresAt });
    await audit({ actor: describeActor(actor), action: 'key.create', subject: `org:${org.name}`, details: { role, keyId, person, orgCreated, expiresAt }, at });
    return { org, keyId, key, person, orgCreated, expiresAt };
  });
}

export type KeyStatus = 'active' | 'rotating' | 'expired' | 'revoked';

/**
 * What `keys list` and `GET /v1/keys` show of a key (never the key or its hash): the stored row
 * (`replacedBy` is the key that replaced it in a rotation, working until `expiresAt`, the end of the
 * grace period) without the internal org id, and its status now.
 */
export interface KeyView extends Omit<KeyRow, 'orgId'> {
  status: KeyStatus;
}

function statusOf(k: KeyRow, now: number): KeyStatus {
  if (k.revokedAt) return 'revoked';
  if (k.expiresAt && Date.parse(k.expiresAt) <= now) return 'expired';
  if (k.replacedBy) return 'rotating';
  return 'active';
}

function keyView(k: KeyRow, now: number): KeyView {
  return {
    id: k.id,
    org: k.org,
    role: k.role,
    person: k.person,
    label: k.label,
    prefix: k.prefix,
    createdAt: k.createdAt,
    expiresAt: k.expiresAt,
    lastUsedAt: k.lastUsedAt,
    revokedAt: k.revokedAt,
    replacedBy: k.replacedBy,
    status: statusOf(k, now),
  };
}

export async function listKeys(ctx: AppContext, query: { org?: string; limit?: number } = {}): Promise<KeyView[]> {
  let orgId: string | undefined;
  if (query.org !== undefined) {
    const org = await findOrgByName(ctx.db, parseOrgName(query.org, 'org'));
    if (!org) return [];
    orgId = org.id;
  }
  const now = ctx.now();
  return (await listApiKeys(ctx.db, { ...(orgId ? { orgId } : {}), ...(query.limit ? { limit: query.limit } : {}) })).map((k) => keyView(k, now));
}

const KEY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function checkKeyId(value: unknown): string {
  if (typeof value !== 'string' || !KEY_ID.test(value)) throw new CallshieldError('KEY_NOT_FOUND', 'a key id is the UUID that `keys create` and `keys list` show', { field: 'id' });
  return value.toLowerCase();
}

/**
 * Every node forgets its cached look-up of these keys: at once here; elsewhere within about a
 * second, through the change-log entry the write's transaction made (publish(KEY_CHANGES, ...)).
 */
function announce(ctx: AppContext, keyIds: string[]): void {
  forgetKeys(ctx, keyIds);
}

/**
 * Revokes a key: refused on every node within about a second. An admin revokes any key; any other
 * key may revoke itself (its holder found it leaked) and no other: an organisation has no admin of
 * its own, and one officer must not be able to shut a colleague out.
 */
export async function revokeKey(ctx: AppContext, id: unknown, input: { reason?: unknown }, actor: Actor): Promise<KeyView> {
  const keyId = checkKeyId(id);
  const reason = input.reason === undefined ? null : checkReason(input.reason);
  const own = actor.keyId === keyId;
  const now = ctx.now();
  const at = new Date(now).toISOString();
  const row = await inTransaction(ctx, async ({ db, audit, publish }) => {
    const k = await findApiKey(db, keyId);
    if (!k || (actor.role !== 'admin' && !own)) throw new CallshieldError('KEY_NOT_FOUND', `no key ${keyId} that you may revoke`, { field: 'id' });
    if (k.revokedAt) return k; // already revoked: nothing changes, nothing to audit
    if (!(await revokeApiKey(db, keyId, at))) throw new CallshieldError('REQUEST_CONFLICT', 'the key changed a moment ago; try again', { field: 'id' });
    await audit({ actor: describeActor(actor), action: 'key.revoke', subject: `key:${keyId}`, details: { org: k.org, role: k.role, person: k.person, reason, self: own }, at });
    publish(KEY_CHANGES, [keyId]);
    return { ...k, revokedAt: at };
  });
  announce(ctx, [keyId]);
  return keyView(row, now);
}

function checkReason(value: unknown): string {
  if (typeof value !== 'string' || value.trim().length === 0 || value.length > 500) throw new CallshieldError('REQUEST_INVALID_BODY', 'reason must be 1-500 characters', { field: 'reason' });
  return value.trim();
}

export interface RotatedKey extends CreatedKey {
  /** The key this one replaces, and when that one stops working (the end of the grace period). */
  readonly replaces: string;
  readonly oldKeyExpiresAt: string;
}

/**
 * Rotation: a new key for the same organisation, role, person and label; the old key keeps working
 * for the grace period (default 24 h, `0` ends it at once) and is then refused as expired. The new
 * key expires as given, or, when the old one had an expiry of its own, after the same lifetime.
 */
export async function rotateKey(ctx: AppContext, id: unknown, input: { grace?: unknown; expires?: unknown; person?: unknown }, actor: Actor): Promise<RotatedKey> {
  const keyId = checkKeyId(id);
  const graceMs = parseGrace(input.grace);
  const now = ctx.now();
  const at = new Date(now).toISOString();
  const key = generateApiKey();
  const rotated = await inTransaction(ctx, async ({ db, audit, publish }) => {
    const old = await findApiKey(db, keyId);
    if (!old) throw new CallshieldError('KEY_NOT_FOUND', `no key ${keyId}`, { field: 'id' });
    if (old.revokedAt) throw new CallshieldError('REQUEST_CONFLICT', `key ${keyId} was revoked at ${old.revokedAt}; create a new key instead`, { field: 'id' });
    if (old.replacedBy) throw new CallshieldError('REQUEST_CONFLICT', `key ${keyId} was already rotated to ${old.replacedBy}; rotate that one`, { field: 'id' });
    if (old.expiresAt && Date.parse(old.expiresAt) <= now) throw new CallshieldError('REQUEST_CONFLICT', `key ${keyId} expired at ${old.expiresAt}; create a new key instead`, { field: 'id' });
    // Keys made before people were recorded may name their person now; otherwise the person stays.
    if (old.person && input.person !== undefined && input.person !== old.person) {
      throw new CallshieldError('REQUEST_INVALID_BODY', 'a rotated key keeps its person; create a new key for another person', { field: 'person' });
    }
    const person = old.person ?? parsePerson(input.person, old.role, 'person') ?? `system:${old.org}`;
    let expiresAt: string | null = null;
    if (input.expires !== undefined && input.expires !== null) expiresAt = parseExpiry(input.expires, now);
    else if (old.expiresAt) expiresAt = new Date(now + Math.max(60_000, Date.parse(old.expiresAt) - Date.parse(old.createdAt))).toISOString();
    const newKeyId = await insertApiKey(db, { orgId: old.orgId, keyHash: hashApiKey(key), prefix: key.slice(0, 8), label: old.label, person, at, expiresAt });
    let oldEnds = now + graceMs;
    if (old.expiresAt) oldEnds = Math.min(oldEnds, Date.parse(old.expiresAt));
    const oldKeyExpiresAt = new Date(oldEnds).toISOString();
    if (!(await retireApiKey(db, keyId, newKeyId, oldKeyExpiresAt))) throw new CallshieldError('REQUEST_CONFLICT', 'the key changed a moment ago; try again', { field: 'id' });
    await audit({
      actor: describeActor(actor),
      action: 'key.rotate',
      subject: `key:${keyId}`,
      details: { org: old.org, role: old.role, person, newKeyId, graceSeconds: graceMs / 1000, oldKeyExpiresAt, newKeyExpiresAt: expiresAt },
      at,
    });
    publish(KEY_CHANGES, [keyId]);
    return { org: { id: old.orgId, name: old.org, role: old.role }, keyId: newKeyId, key, person, orgCreated: false, expiresAt, replaces: keyId, oldKeyExpiresAt };
  });
  announce(ctx, [keyId]);
  return rotated;
}
