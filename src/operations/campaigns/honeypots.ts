import { randomUUID } from 'node:crypto';
import { areaState } from '../../app-context.js';
import type { AppContext } from '../../app-context.js';
import { CallshieldError } from '../../errors.js';
import { minhash } from '../../campaigns/index.js';
import { indexScripts } from '../../store/campaigns/script-index.js';
import { campaignsFromScript } from './party-evidence.js';
import { digitsOf } from '../../governance/index.js';
import type { CdrHoneypotHit } from '../../governance/index.js';
import { parseIdentifier } from '../../identity/index.js';
import { allHoneypots, callersOfHoneypot, deleteHoneypot, hitCounts, honeypotsOf, insertHoneypotHits, insertHoneypots, insertTranscript } from '../../store/campaigns/honeypots.js';
import type { HoneypotHitsTable } from '../../store/campaigns/schema.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import { describeActor } from '../actor.js';
import type { Actor } from '../actor.js';
import { isOnDnc, loadGovernance } from '../governance/state.js';
import { inTransaction } from '../write.js';

// Honeypot lines (issue 15), kept in memory like the other registries so a screened call and a
// call record are checked without the database: number → owners. Every node follows the change
// log kind `campaigns.honeypots` (the table is small: a node reloads it whole).

export const HONEYPOT_CHANGE = 'campaigns.honeypots';
export const MAX_HONEYPOTS_PER_REQUEST = 1000;

interface HoneypotArea {
  /** E.164 → owner org ids. */
  byNumber: Map<string, Set<string>>;
  /** Digits of every line, for the call-record analyser. */
  digits: Set<number>;
  loaded: Promise<void> | undefined;
  /** Screened calls to lines, written in the background in small batches. */
  queue: HoneypotHitsTable[];
  flushing: Promise<void> | undefined;
}

const HONEYPOTS = areaState<HoneypotArea>('honeypots', () => ({ byNumber: new Map(), digits: new Set(), loaded: undefined, queue: [], flushing: undefined }));

async function reload(ctx: AppContext, area: HoneypotArea): Promise<void> {
  const rows = await allHoneypots(ctx.db);
  const byNumber = new Map<string, Set<string>>();
  for (const r of rows) {
    let s = byNumber.get(r.number);
    if (!s) byNumber.set(r.number, (s = new Set()));
    s.add(r.org_id);
  }
  area.byNumber = byNumber;
  area.digits = new Set([...byNumber.keys()].map((n) => Number(n.slice(1))));
}

/** Loads the lines once per context and follows the other nodes' changes. */
export async function loadHoneypots(ctx: AppContext): Promise<HoneypotArea> {
  const area = ctx.area(HONEYPOTS);
  if (!area.loaded) {
    area.loaded = reload(ctx, area);
    ctx.onChange(HONEYPOT_CHANGE, async () => reload(ctx, area));
    ctx.onReload('honeypots', async () => reload(ctx, area));
  }
  await area.loaded;
  return area;
}

/** The analyser hook: undefined when no line is registered, so the hot path skips the look-up. */
export async function honeypotMatcher(ctx: AppContext, evenWhenNone = false): Promise<((digits: number) => boolean) | undefined> {
  const area = await loadHoneypots(ctx);
  if (area.digits.size === 0 && !evenWhenNone) return undefined;
  return (d) => area.digits.has(d);
}

const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** Rows for the calls to lines in a batch of call records (every owner of the line gets one). */
export function hitRows(ctx: AppContext, hits: readonly CdrHoneypotHit[], source: 'cdr' | 'screen'): HoneypotHitsTable[] {
  const area = ctx.area(HONEYPOTS);
  const out: HoneypotHitsTable[] = [];
  const seen = new Set<string>();
  for (const h of hits) {
    const honeypot = `+${h.callee}`;
    const caller = `+${h.caller}`;
    const at = Math.min(h.at, ctx.now());
    for (const org of area.byNumber.get(honeypot) ?? []) {
      const day = dayOf(at);
      const key = `${caller}|${honeypot}|${org}|${day}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ caller, honeypot, org_id: org, day, at: new Date(at).toISOString(), source });
    }
  }
  return out;
}

/** Stores honeypot hits inside a caller's transaction (call-record import or stream checkpoint). */
export async function storeHits(db: Kysely<Database>, rows: HoneypotHitsTable[]): Promise<string[]> {
  if (rows.length === 0) return [];
  await insertHoneypotHits(db, rows);
  return [...new Set(rows.map((r) => r.caller))];
}

/**
 * The screening hot path: a Map look-up, and for a call to a line a row queued for the background
 * writer (the phone never waits on the database).
 */
export function noteScreenedCall(ctx: AppContext, caller: string, callee: string, at: number): void {
  const area = ctx.area(HONEYPOTS);
  if (area.byNumber.size === 0 || !area.byNumber.has(callee) || caller === callee) return;
  const rows = hitRows(ctx, [{ caller: digitsOf(caller), callee: digitsOf(callee), at }], 'screen');
  area.queue.push(...rows);
  if (!area.flushing) {
    area.flushing = (async () => {
      while (area.queue.length) {
        const batch = area.queue.splice(0, 500);
        try {
          await inTransaction(ctx, async ({ db, publish }) => {
            const callers = await storeHits(db, batch);
            publish('reputation', callers);
          });
          await ctx.refreshReputation([...new Set(batch.map((r) => r.caller))], { publish: false });
        } catch (err) {
          ctx.logger.error({ err }, 'honeypot hits of screened calls not stored');
        }
      }
      area.flushing = undefined;
    })();
  }
}

/** Waits for the screened calls queued so far (tests, shutdown). */
export async function flushScreenedHits(ctx: AppContext): Promise<void> {
  await ctx.area(HONEYPOTS).flushing;
}

export interface HoneypotView {
  number: string;
  owner: string;
  createdAt: string;
  hits: number;
}

function parseNumber(ctx: AppContext, raw: unknown, field: string): string {
  if (typeof raw !== 'string') throw new CallshieldError('REQUEST_INVALID_BODY', `${field} must be a phone number`, { field });
  const id = parseIdentifier(raw, { defaultRegion: ctx.config.defaultRegion }, field);
  if (id.kind !== 'phone') throw new CallshieldError('REQUEST_INVALID_BODY', `${field} must be a phone number`, { field });
  return id.canonical;
}

/**
 * POST /v1/honeypots: registers lines for the actor's organisation. Refused (nothing written) when a
 * number is on the do-not-call list (a person uses it) or inside a holder block another carrier
 * registered (someone holds it): a line is a number nobody legitimately calls, not a way to hurt
 * the people who call a real subscriber.
 */
export async function registerHoneypots(ctx: AppContext, numbers: unknown, actor: Actor): Promise<{ registered: HoneypotView[] }> {
  if (!Array.isArray(numbers) || numbers.length === 0 || numbers.length > MAX_HONEYPOTS_PER_REQUEST) {
    throw new CallshieldError('REQUEST_INVALID_BODY', `numbers must be a list of 1 to ${MAX_HONEYPOTS_PER_REQUEST} phone numbers`, { field: 'numbers' });
  }
  const canon = numbers.map((n, i) => parseNumber(ctx, n, `numbers.${i}`));
  const gov = await loadGovernance(ctx);
  canon.forEach((n, i) => {
    if (isOnDnc(gov, digitsOf(n))) throw new CallshieldError('HONEYPOT_NUMBER_IN_USE', `${n} is on the do-not-call list: a person uses it`, { field: `numbers.${i}` });
    const block = gov.holders.lookup(n.slice(1));
    if (block && block.carrierOrgId !== actor.orgId && actor.role !== 'admin') {
      throw new CallshieldError('HONEYPOT_NUMBER_IN_USE', `${n} is held by ${block.holder} through another carrier`, { field: `numbers.${i}` });
    }
  });
  const unique = [...new Set(canon)];
  const at = new Date(ctx.now()).toISOString();
  await inTransaction(ctx, async ({ db, audit, publish }) => {
    await insertHoneypots(db, unique.map((number) => ({ number, org_id: actor.orgId, created_by: actor.person, created_at: at })));
    await audit({ actor: describeActor(actor), action: 'honeypot.register', subject: `org:${actor.orgId}`, details: { numbers: unique }, at });
    publish(HONEYPOT_CHANGE, [actor.orgId]);
  });
  const area = await loadHoneypots(ctx);
  await reload(ctx, area);
  const mine = new Map((await honeypotsOf(ctx.db, actor.orgId)).map((r) => [r.number, r]));
  return { registered: unique.map((n) => ({ number: n, owner: actor.orgId, createdAt: mine.get(n)?.created_at ?? at, hits: 0 })) };
}

/** GET /v1/honeypots: the actor's own lines (an admin's: every line) with the callers each caught. */
export async function listHoneypots(ctx: AppContext, actor: Actor): Promise<{ items: HoneypotView[] }> {
  const scope = actor.role === 'admin' ? null : actor.orgId;
  const rows = await honeypotsOf(ctx.db, scope);
  const counts = await hitCounts(ctx.db, scope);
  return { items: rows.map((r) => ({ number: r.number, owner: r.org_id, createdAt: r.created_at, hits: counts.get(r.number) ?? 0 })) };
}

/**
 * DELETE /v1/honeypots/{number}: only the owner removes its line (an admin any owner's); its hits
 * stop counting at once (the evidence joins on the live registration), and the callers it caught
 * are re-scored.
 */
export async function removeHoneypot(ctx: AppContext, rawNumber: string, actor: Actor): Promise<{ number: string; removed: true }> {
  const number = parseNumber(ctx, rawNumber, 'number');
  const scope = actor.role === 'admin' ? null : actor.orgId;
  const at = new Date(ctx.now()).toISOString();
  const callers = await inTransaction(ctx, async ({ db, audit, publish }) => {
    const callers = await callersOfHoneypot(db, number, scope);
    const n = await deleteHoneypot(db, number, scope);
    if (n === 0) throw new CallshieldError('HONEYPOT_NOT_FOUND', `${number} is not a honeypot line of yours`, { field: 'number' });
    await audit({ actor: describeActor(actor), action: 'honeypot.remove', subject: `org:${actor.orgId}`, details: { number }, at });
    publish(HONEYPOT_CHANGE, [actor.orgId]);
    publish('reputation', callers);
    return callers;
  });
  await reload(ctx, await loadHoneypots(ctx));
  if (callers.length) await ctx.refreshReputation(callers, { publish: false });
  return { number, removed: true };
}

export interface TranscriptInput {
  number?: unknown;
  caller?: unknown;
  text?: unknown;
  at?: unknown;
}

/**
 * POST /v1/honeypots/transcripts: what a caller said on one of the actor's lines. Counts as a call
 * to the line, and its script fingerprint (MinHash) joins the campaign grouping.
 */
export async function addTranscript(ctx: AppContext, input: TranscriptInput, actor: Actor): Promise<{ id: string; number: string; caller: string; at: string; shingles: number }> {
  const number = parseNumber(ctx, input.number, 'number');
  const caller = parseNumber(ctx, input.caller, 'caller');
  if (typeof input.text !== 'string' || input.text.trim().length === 0 || input.text.length > 100_000) {
    throw new CallshieldError('REQUEST_INVALID_BODY', 'text must be the transcript, 1 to 100,000 characters', { field: 'text' });
  }
  let atMs = ctx.now();
  if (input.at !== undefined) {
    atMs = typeof input.at === 'string' ? Date.parse(input.at) : NaN;
    if (Number.isNaN(atMs)) throw new CallshieldError('REQUEST_INVALID_BODY', 'at must be an ISO-8601 date-time', { field: 'at' });
    atMs = Math.min(atMs, ctx.now());
  }
  const area = await loadHoneypots(ctx);
  const owners = area.byNumber.get(number);
  if (!owners || (!owners.has(actor.orgId) && actor.role !== 'admin')) throw new CallshieldError('HONEYPOT_NOT_FOUND', `${number} is not a honeypot line of yours`, { field: 'number' });
  const owner = owners.has(actor.orgId) ? actor.orgId : [...owners][0]!;
  const fp = minhash(input.text);
  const id = randomUUID();
  const at = new Date(atMs).toISOString();
  const script = { id: `honeypot:${id}`, source: 'honeypot' as const, caller, party: null, fingerprint: JSON.stringify(fp), at };
  await inTransaction(ctx, async ({ db, audit, publish }) => {
    await insertTranscript(db, { id, honeypot: number, org_id: owner, caller, text: input.text as string, fingerprint: script.fingerprint, at, created_at: new Date(ctx.now()).toISOString() });
    await indexScripts(db, [script]);
    await storeHits(db, [{ caller, honeypot: number, org_id: owner, day: at.slice(0, 10), at, source: 'transcript' }]);
    await audit({ actor: describeActor(actor), action: 'honeypot.transcript', subject: `honeypot-transcript:${id}`, details: { number, caller }, at: new Date(ctx.now()).toISOString() });
    publish('reputation', [caller]);
  });
  await ctx.refreshReputation([caller], { publish: false });
  // Script fingerprints: the scripts that match this one (found through the band index) form or
  // join a campaign. A honeypot transcript counts alone, so the caller's older scripts tie nothing new.
  if (fp.length) await campaignsFromScript(ctx, { id: script.id, caller, fingerprint: fp, at: atMs }, true, 'honeypot-transcripts');
  return { id, number, caller, at, shingles: fp.length };
}
