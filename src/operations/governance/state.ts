import { areaState } from '../../app-context.js';
import type { AppContext } from '../../app-context.js';
import { CallshieldError } from '../../errors.js';
import { parseIdentifier } from '../../identity/index.js';
import { HolderIndex, KeySet64, NumberKeyer, businessKeyOf, callerHolderOf, digitsOf, fastE164Digits, parseKeyHex } from '../../governance/index.js';
import type { CallerHolder, ConsentChannel, ConsentState, DeclaredUse, HolderBlock, IdentityLevel, Purpose } from '../../governance/index.js';
import { activeDncKeys, allConsents, allHolderBlocks, consentsByIds, dncByPersonHashes, dncTimesOfConsented } from '../../store/governance/registry.js';
import type { GovernanceConsentsTable, GovernanceDncTable, GovernanceHoldersTable } from '../../store/governance/schema.js';

/**
 * The governance registries in memory, like the reputation hot index: the do-not-call set, the
 * consents by person and the number-holder blocks. Loaded once per AppContext (the HTTP server
 * loads it when the governance routes register; CLI commands when they start) and updated by every
 * write, so a scrub and a screening look-up never wait on the database. Writes also go to the
 * change log (CHANGE_KINDS below), so every node sharing the store applies them (docs/scaling.md).
 */
export interface GovernanceState {
  readonly keyer: NumberKeyer;
  readonly dnc: KeySet64;
  /** Consents keyed by consentKey(hi, lo) of the person's number. */
  readonly consents: Map<number, ConsentState[]>;
  /**
   * When each number on the list that also has consents was last registered (ms), by consentKey:
   * a consent given before that time no longer outranks the list. Kept only where a consent could
   * matter, so ten million registrations cost nothing here.
   */
  readonly dncSince: Map<number, number>;
  readonly holders: HolderIndex;
  loaded: boolean;
}

/**
 * Change log kinds (ctx.publish / ctx.onChange) and their keys: a DNC registration by the person's
 * HMAC hash (the row's primary key), a consent by its id, holder blocks by the registering
 * carrier's org id (the holder table is small: a node reloads it whole).
 */
export const CHANGE_KINDS = { dnc: 'governance.dnc', consent: 'governance.consent', holders: 'governance.holders' } as const;

/** The governance area on one context: the registries once made, and their load once begun. */
const GOVERNANCE = areaState<{ state: GovernanceState | undefined; loading: Promise<GovernanceState> | undefined }>('governance', () => ({ state: undefined, loading: undefined }));

/** 53 bits of the 64-bit SipHash, as a Map key without allocation. */
export function consentKey(hi: number, lo: number): number {
  return (hi & 0x1fffff) * 4294967296 + lo;
}

export function governanceState(ctx: AppContext): GovernanceState {
  const area = ctx.area(GOVERNANCE);
  let s = area.state;
  if (!s) {
    // The SipHash key is derived from the deployment secret through ctx.hash, so it is as private
    // as the HMAC keys and the same on every node sharing the database.
    s = emptyState(ctx);
    area.state = s;
    followChanges(ctx);
  }
  return s;
}

function emptyState(ctx: AppContext): GovernanceState {
  const key = Buffer.from(ctx.hash('callshield:governance:index-key'), 'base64url');
  return { keyer: new NumberKeyer(key), dnc: new KeySet64(), consents: new Map(), dncSince: new Map(), holders: new HolderIndex(), loaded: false };
}

/**
 * How this node applies the governance writes of every node (its own included, a second time, so
 * each step reloads from the store and is idempotent). A node that has not loaded the registries
 * has nothing to update: its load reads the store fresh. One that is loading finishes first, so a
 * write committed after its load read that table is not missed.
 */
function followChanges(ctx: AppContext): void {
  const whenLoaded =
    (apply: (s: GovernanceState, keys: string[]) => Promise<void>) =>
    async (keys: string[]): Promise<void> => {
      const p = ctx.area(GOVERNANCE).loading;
      if (!p) return;
      let s: GovernanceState;
      try {
        s = await p;
      } catch {
        return; // the load failed; there is no state to update
      }
      await apply(s, keys);
    };
  // This node missed change-log entries: registries it loaded are read again into a fresh state
  // (withdrawals and revocations leave no trace to apply), which replaces the old one when complete.
  ctx.onReload('governance', async () => {
    const area = ctx.area(GOVERNANCE);
    if (!area.loading) return;
    const fresh = emptyState(ctx);
    await fill(ctx, fresh);
    area.state = fresh;
    area.loading = Promise.resolve(fresh);
  });
  ctx.onChange(
    CHANGE_KINDS.dnc,
    whenLoaded(async (s, personHashes) => applyDncRows(s, await dncByPersonHashes(ctx.db, personHashes))),
  );
  ctx.onChange(
    CHANGE_KINDS.consent,
    whenLoaded(async (s, ids) => indexConsentRows(ctx, s, await consentsByIds(ctx.db, ids))),
  );
  ctx.onChange(
    CHANGE_KINDS.holders,
    whenLoaded(async (s) => {
      const rows = (await allHolderBlocks(ctx.db)).map(holderOfRow);
      const ids = new Set(rows.map((b) => b.id));
      const gone = [...s.holders.all()].filter((b) => !ids.has(b.id)).map((b) => b.id);
      s.holders.upsert(rows);
      if (gone.length) s.holders.remove(gone);
    }),
  );
}

/** The state only if it was loaded: the screening hot path never loads it. */
export function loadedGovernance(ctx: AppContext): GovernanceState | undefined {
  const s = ctx.area(GOVERNANCE).state;
  return s?.loaded ? s : undefined;
}

export function consentOfRow(r: GovernanceConsentsTable): ConsentState {
  return {
    id: r.id,
    businessKey: r.business_key,
    purpose: r.purpose as Purpose,
    channel: r.channel as ConsentChannel,
    grantedAt: Date.parse(r.granted_at),
    revokedAt: r.revoked_at ? Date.parse(r.revoked_at) : null,
    expiresAt: Date.parse(r.expires_at),
  };
}

/**
 * Brings the list up to date for some people from all their registrations (each organisation's):
 * on the list while any is active, registered as of the latest active one.
 */
export function applyDncRows(s: GovernanceState, rows: readonly GovernanceDncTable[]): void {
  const byPerson = new Map<string, { indexKey: string; latest: number }>();
  for (const r of rows) {
    const p = byPerson.get(r.person_hash) ?? { indexKey: r.index_key, latest: -1 };
    if (r.withdrawn_at === null) p.latest = Math.max(p.latest, Date.parse(r.registered_at));
    byPerson.set(r.person_hash, p);
  }
  for (const { indexKey, latest } of byPerson.values()) {
    const { hi, lo } = parseKeyHex(indexKey);
    const k = consentKey(hi, lo);
    if (latest >= 0) {
      s.dnc.add(hi, lo);
      if (s.consents.has(k)) s.dncSince.set(k, latest);
    } else {
      s.dnc.delete(hi, lo);
      s.dncSince.delete(k);
    }
  }
}

/** Indexes consents, and learns when their numbers were registered where the list has them. */
export async function indexConsentRows(ctx: AppContext, s: GovernanceState, rows: readonly GovernanceConsentsTable[]): Promise<void> {
  const missing: string[] = [];
  for (const r of rows) {
    indexConsent(s, r.index_key, consentOfRow(r));
    const { hi, lo } = parseKeyHex(r.index_key);
    if (s.dnc.has(hi, lo) && !s.dncSince.has(consentKey(hi, lo))) missing.push(r.person_hash);
  }
  if (missing.length) applyDncRows(s, await dncByPersonHashes(ctx.db, missing));
}

/**
 * When the number's latest registration was made, for the scrub rules: undefined when it is not on
 * the list. Where consents exist and the time is somehow unknown, the registration is taken as the
 * latest word (the person is not called).
 */
export function dncRegisteredAt(s: GovernanceState, hi: number, lo: number, consents: readonly ConsentState[] | undefined): number | undefined {
  if (s.dnc.size === 0 || !s.dnc.has(hi, lo)) return undefined;
  if (consents === undefined) return 0;
  return s.dncSince.get(consentKey(hi, lo)) ?? Number.POSITIVE_INFINITY;
}

export function holderOfRow(r: GovernanceHoldersTable): HolderBlock {
  return {
    id: r.id,
    carrierOrgId: r.carrier_org_id,
    carrierName: r.carrier_name,
    holder: r.holder,
    identityLevel: r.identity_level as IdentityLevel,
    use: r.use as DeclaredUse,
    kind: r.kind as HolderBlock['kind'],
    first: r.first,
    last: r.last,
    holderOrgId: r.holder_org_id ?? null,
  };
}

export function indexConsent(s: GovernanceState, indexKey: string, c: ConsentState): void {
  const { hi, lo } = parseKeyHex(indexKey);
  const k = consentKey(hi, lo);
  const list = s.consents.get(k);
  if (!list) s.consents.set(k, [c]);
  else {
    const i = list.findIndex((x) => x.id === c.id);
    if (i >= 0) list[i] = c;
    else list.push(c);
  }
}

export async function loadGovernance(ctx: AppContext): Promise<GovernanceState> {
  const s = governanceState(ctx);
  if (s.loaded) return s;
  const area = ctx.area(GOVERNANCE);
  let p = area.loading;
  if (!p) {
    p = fill(ctx, s);
    area.loading = p;
  }
  return p;
}

async function fill(ctx: AppContext, s: GovernanceState): Promise<GovernanceState> {
  const started = performance.now();
  for await (const page of activeDncKeys(ctx.db)) {
    for (const hex of page) {
      const { hi, lo } = parseKeyHex(hex);
      s.dnc.add(hi, lo);
    }
  }
  for await (const page of allConsents(ctx.db)) for (const r of page) indexConsent(s, r.index_key, consentOfRow(r));
  for (const r of await dncTimesOfConsented(ctx.db)) {
    const { hi, lo } = parseKeyHex(r.index_key);
    s.dncSince.set(consentKey(hi, lo), Date.parse(r.registered_at));
  }
  s.holders.upsert((await allHolderBlocks(ctx.db)).map(holderOfRow));
  s.loaded = true;
  ctx.logger.info({ dnc: s.dnc.size, consents: s.consents.size, holderBlocks: s.holders.size, ms: Math.round(performance.now() - started) }, 'governance registries loaded');
  return s;
}

export interface PersonRef {
  canonical: string;
  digits: number;
  personHash: string;
  indexKey: string;
  hi: number;
  lo: number;
}

/** A subscriber's number → its stored references (HMAC person hash and SipHash index key). */
export function personRef(ctx: AppContext, raw: string, field: string): PersonRef {
  const id = parseIdentifier(raw, { defaultRegion: ctx.config.defaultRegion }, field);
  if (id.kind !== 'phone') throw new CallshieldError('IDENTITY_INVALID_NUMBER', `${field} must be a phone number`, { field });
  const s = governanceState(ctx);
  const digits = digitsOf(id.canonical);
  s.keyer.hashNumber(digits);
  return { canonical: id.canonical, digits, personHash: ctx.hash(id.canonical), indexKey: s.keyer.hex(), hi: s.keyer.hi, lo: s.keyer.lo };
}

/** Digits of a number in any format, or -1 when it cannot be parsed (scrub lists, CDR files). */
export function numberDigits(raw: string, region: string): number {
  const fast = fastE164Digits(raw);
  if (fast >= 0) return fast;
  try {
    const id = parseIdentifier(raw, { defaultRegion: region }, 'number');
    return id.kind === 'phone' ? digitsOf(id.canonical) : -1;
  } catch {
    return -1;
  }
}

/** Who holds a caller's number, from memory (undefined when not loaded or not registered). */
export function holderForCaller(ctx: AppContext, canonical: string): CallerHolder | undefined {
  const s = loadedGovernance(ctx);
  if (!s || s.holders.size === 0 || canonical.charCodeAt(0) !== 43) return undefined;
  const b = s.holders.lookup(canonical.slice(1));
  return b ? callerHolderOf(b) : undefined;
}

export function isOnDnc(s: GovernanceState, digits: number): boolean {
  if (s.dnc.size === 0) return false;
  s.keyer.hashNumber(digits);
  return s.dnc.has(s.keyer.hi, s.keyer.lo);
}

export function consentsOf(s: GovernanceState, digits: number): ConsentState[] | undefined {
  if (s.consents.size === 0) return undefined;
  s.keyer.hashNumber(digits);
  return s.consents.get(consentKey(s.keyer.hi, s.keyer.lo));
}

export { businessKeyOf };

/**
 * For screening: the caller's holder, null when the registry is loaded and has blocks but none
 * covers the number, undefined when there is no registry to consult (so claims are not judged
 * against an empty registry).
 */
export function holderLookupFor(ctx: AppContext, canonical: string): CallerHolder | null | undefined {
  const s = loadedGovernance(ctx);
  if (!s || s.holders.size === 0) return undefined;
  const b = s.holders.lookup(canonical.slice(1));
  return b ? callerHolderOf(b) : null;
}
