// Who is behind an API key, asked on every request: answered from a per-node cache so the hot path
// does not query the store each time. Revocations and rotations go on the change log (KEY_CHANGES),
// and every node drops those keys from its cache when it applies the log (at once on PostgreSQL's
// NOTIFY, within the poll interval of a second otherwise), so a revoked key stops working
// everywhere within about a second; the 30-second cache life only bounds how stale anything else
// (an organisation renamed by hand in the database) may be.
import { areaState } from '../app-context.js';
import type { AppContext } from '../app-context.js';
import { hashApiKey } from '../auth/index.js';
import { findKeyOwner, touchApiKey } from '../store/orgs.js';
import { personOfKey } from './actor.js';
import type { Actor } from './actor.js';

/** Change log kind: keys revoked or rotated (by key id). */
export const KEY_CHANGES = 'keys';

export const KEY_CACHE_MS = 30_000;
/** Last use is written at most this often per key and node (not a write per request). */
export const LAST_USED_EVERY_MS = 60_000;
const MAX_CACHED = 10_000;

export type KeyCheck =
  | { readonly ok: true; readonly actor: Actor }
  | { readonly ok: false; readonly code: 'AUTH_KEY_REVOKED' | 'AUTH_KEY_EXPIRED'; readonly at: string };

interface Known {
  readonly actor: Actor;
  /** ms since epoch; undefined: never expires. */
  readonly expiresAt: number | undefined;
  readonly until: number;
}
interface Revoked {
  readonly revokedAt: string;
}

interface KeyAccess {
  /** By key hash. A revocation is final, so it is kept until the entry is dropped for space. */
  readonly cache: Map<string, Known | Revoked>;
  /** Key id → hash, to drop a key named on the change log. */
  readonly hashes: Map<string, string>;
  /** Key id → when this node last recorded its use. */
  readonly touched: Map<string, number>;
  /**
   * Key → its hash, for keys the cache answered yes to: SHA-256 of the key was 2-3 % of a screening
   * request's CPU (issue 17). The process reads every key it is sent anyway; the store still holds
   * hashes only. Emptied with the cache and whenever keys are forgotten.
   */
  readonly hashOf: Map<string, string>;
  /** Look-ups under way by hash: a burst of requests with a key this node does not hold asks the store once. */
  readonly inflight: Map<string, Promise<KeyCheck | undefined>>;
  /** Bumped by every forgetKeys: a look-up that began before a revocation reached this node is not cached. */
  generation: number;
  following: boolean;
}

const KEY_ACCESS = areaState<KeyAccess>('key-access', () => ({ cache: new Map(), hashes: new Map(), hashOf: new Map(), touched: new Map(), inflight: new Map(), generation: 0, following: false }));

function access(ctx: AppContext): KeyAccess {
  const a = ctx.area(KEY_ACCESS);
  if (!a.following) {
    a.following = true;
    ctx.onChange(KEY_CHANGES, async (ids) => forgetKeys(ctx, ids));
    // Missed entries may include revocations: forget every cached look-up.
    ctx.onReload('key-access', async () => {
      a.generation++;
      a.cache.clear();
      a.hashes.clear();
      a.hashOf.clear();
    });
  }
  return a;
}

/** Drops these keys from this node's cache; the next request with one reads the store. */
export function forgetKeys(ctx: AppContext, keyIds: readonly string[]): void {
  const a = ctx.area(KEY_ACCESS);
  a.generation++;
  a.hashOf.clear();
  for (const id of keyIds) {
    const h = a.hashes.get(id);
    if (h !== undefined) a.cache.delete(h);
    a.hashes.delete(id);
  }
}

function remember(a: KeyAccess, keyId: string, hash: string, entry: Known | Revoked): void {
  if (a.cache.size >= MAX_CACHED) {
    a.cache.clear();
    a.hashes.clear();
    a.hashOf.clear();
  }
  a.cache.set(hash, entry);
  a.hashes.set(keyId, hash);
}

function expired(at: number): KeyCheck {
  return { ok: false, code: 'AUTH_KEY_EXPIRED', at: new Date(at).toISOString() };
}

function touch(ctx: AppContext, a: KeyAccess, keyId: string, now: number): void {
  const last = a.touched.get(keyId);
  if (last !== undefined && now - last < LAST_USED_EVERY_MS) return;
  if (a.touched.size >= MAX_CACHED) a.touched.clear();
  a.touched.set(keyId, now);
  touchApiKey(ctx.db, keyId, new Date(now).toISOString()).catch((err) => ctx.logger.debug({ err: String(err), keyId }, 'could not record the last use of a key'));
}

/**
 * The actor behind a key; a refusal for a revoked or expired key; undefined for a key nobody made.
 * While the store is away, a key this node knew a moment ago keeps working (screening never needs
 * the store and keeps answering through an outage).
 */
/**
 * The cache's answer for a key without waiting (the request hot path), or undefined when the store
 * must be asked (unknown, or cached too long ago): then call checkKey.
 */
export function cachedKeyCheck(ctx: AppContext, key: string): KeyCheck | undefined {
  const a = access(ctx);
  const memo = a.hashOf.get(key);
  const h = memo ?? hashApiKey(key);
  const hit = a.cache.get(h);
  if (!hit) return undefined;
  const now = ctx.now();
  if ('revokedAt' in hit) return { ok: false, code: 'AUTH_KEY_REVOKED', at: hit.revokedAt };
  if (hit.expiresAt !== undefined && hit.expiresAt <= now) return expired(hit.expiresAt);
  if (hit.until <= now) return undefined;
  if (memo === undefined) {
    if (a.hashOf.size >= MAX_CACHED) a.hashOf.clear();
    a.hashOf.set(key, h);
  }
  touch(ctx, a, hit.actor.keyId!, now);
  return { ok: true, actor: hit.actor };
}

export async function checkKey(ctx: AppContext, key: string, beforeStore?: () => Promise<void>): Promise<KeyCheck | undefined> {
  const a = access(ctx);
  const h = hashApiKey(key);
  const hit = a.cache.get(h);
  const now = ctx.now();
  if (hit) {
    if ('revokedAt' in hit) return { ok: false, code: 'AUTH_KEY_REVOKED', at: hit.revokedAt };
    if (hit.expiresAt !== undefined && hit.expiresAt <= now) return expired(hit.expiresAt);
    if (hit.until > now) {
      touch(ctx, a, hit.actor.keyId!, now);
      return { ok: true, actor: hit.actor };
    }
  }
  let pending = a.inflight.get(h);
  if (!pending) {
    pending = lookUp(ctx, a, h, hit, now, beforeStore).finally(() => a.inflight.delete(h));
    a.inflight.set(h, pending);
  }
  return pending;
}

async function lookUp(ctx: AppContext, a: KeyAccess, h: string, hit: Known | undefined, now: number, beforeStore?: () => Promise<void>): Promise<KeyCheck | undefined> {
  // The caller may refuse here, before the store is asked (the rate limit of unverified requests).
  if (beforeStore) await beforeStore();
  const generation = a.generation;
  let owner;
  try {
    owner = await findKeyOwner(ctx.db, h);
  } catch (err) {
    if (hit) return { ok: true, actor: hit.actor };
    throw err;
  }
  if (!owner) {
    a.cache.delete(h);
    return undefined;
  }
  if (owner.revokedAt) {
    remember(a, owner.keyId, h, { revokedAt: owner.revokedAt });
    return { ok: false, code: 'AUTH_KEY_REVOKED', at: owner.revokedAt };
  }
  const expiresAt = owner.expiresAt ? Date.parse(owner.expiresAt) : undefined;
  if (expiresAt !== undefined && expiresAt <= now) {
    a.cache.delete(h);
    return expired(expiresAt);
  }
  const actor: Actor = { orgId: owner.id, orgName: owner.name, role: owner.role, keyId: owner.keyId, person: personOfKey(owner.person, owner.keyId) };
  if (generation === a.generation) remember(a, owner.keyId, h, { actor, expiresAt, until: now + KEY_CACHE_MS });
  touch(ctx, a, owner.keyId, now);
  return { ok: true, actor };
}
