import { createReadStream, createWriteStream } from 'node:fs';
import type { AppContext } from '../../app-context.js';
import { CallshieldError } from '../../errors.js';
import { csvCell } from '../../csv-writer.js';
import { CONTACT_CHANNELS, PURPOSES, SCRUB_INVALID, businessKeyOf, decideCallable } from '../../governance/index.js';
import type { ContactChannel, Purpose, Reason, ScrubOutcome, ScrubQuery } from '../../governance/index.js';
import { dncByPersonHashes, findDnc, upsertDnc, withdrawDnc as storeWithdraw } from '../../store/governance/registry.js';
import { describeActor } from '../actor.js';
import type { Actor } from '../actor.js';
import { CHANGE_KINDS, applyDncRows, consentKey, dncRegisteredAt, loadGovernance, numberDigits, personRef } from './state.js';
import type { GovernanceState } from './state.js';
import { inTransaction } from '../write.js';
import { requireServing } from '../screening/serving.js';

export const MAX_SCRUB_NUMBERS = 100_000;

export interface DncStatus {
  number: string;
  /** Whether the asking organisation's registration of this number is active. */
  registered: boolean;
  registeredAt: string | null;
  withdrawnAt: string | null;
}

/**
 * A person puts their number on the do-not-call list, through their app or their carrier. Each
 * organisation's registration is its own record, made in the name of the person behind its key:
 * - an app registers only a subscriber it serves (holds their policy, see screening/serving.ts),
 *   so no app registers a stranger's number — which would, since a registration made after a
 *   consent wins over it, silence the businesses that stranger agreed to hear from;
 * - a carrier registers the lines it provides (carrier keys are issued to the network operator);
 * - the registration records the organisation, role and person, and is audited.
 * The number is on the list while any registration is active, so another organisation's
 * withdrawal never takes it off.
 */
export async function registerDnc(ctx: AppContext, input: { number: string }, actor: Actor): Promise<DncStatus> {
  const s = await loadGovernance(ctx);
  const p = personRef(ctx, input.number, 'number');
  if (actor.role === 'app') await requireServing(ctx, actor, p.personHash, 'number');
  const at = new Date(ctx.now()).toISOString();
  const via = actor.role === 'carrier' ? 'carrier' : 'app';
  const by = describeActor(actor);
  await inTransaction(ctx, async ({ db, audit, publish }) => {
    await upsertDnc(db, { person_hash: p.personHash, org_id: actor.orgId, index_key: p.indexKey, registered_at: at, withdrawn_at: null, via, registered_by: by });
    await audit({ actor: by, action: 'dnc.register', subject: `person:${p.personHash}`, details: { via }, at });
    publish(CHANGE_KINDS.dnc, [p.personHash]);
  });
  applyDncRows(s, await dncByPersonHashes(ctx.db, [p.personHash]));
  return { number: p.canonical, registered: true, registeredAt: at, withdrawnAt: null };
}

/**
 * The person takes their number off the list again, through the organisation that registered it
 * (an admin withdraws every organisation's registration). Another organisation's registration is
 * "not found": it is neither withdrawn nor revealed.
 */
export async function withdrawDnc(ctx: AppContext, input: { number: string }, actor: Actor): Promise<DncStatus> {
  const s = await loadGovernance(ctx);
  const p = personRef(ctx, input.number, 'number');
  const at = new Date(ctx.now()).toISOString();
  const row = await inTransaction(ctx, async ({ db, audit, publish }) => {
    const mine = actor.role === 'admin' ? undefined : await findDnc(db, p.personHash, actor.orgId);
    const withdrawn = actor.role === 'admin' || mine ? await storeWithdraw(db, p.personHash, actor.role === 'admin' ? null : actor.orgId, at) : 0;
    if (withdrawn === 0) {
      throw new CallshieldError('GOVERNANCE_DNC_NOT_FOUND', 'your organisation has no active do-not-call registration of this number', { field: 'number' });
    }
    await audit({ actor: describeActor(actor), action: 'dnc.withdraw', subject: `person:${p.personHash}`, details: { registrations: withdrawn }, at });
    publish(CHANGE_KINDS.dnc, [p.personHash]);
    return mine;
  });
  applyDncRows(s, await dncByPersonHashes(ctx.db, [p.personHash]));
  return { number: p.canonical, registered: false, registeredAt: row?.registered_at ?? null, withdrawnAt: at };
}

export interface ScrubInput {
  purpose: string;
  /** How the business will reach the numbers: voice (the default), sms or video. */
  channel?: string;
  numbers?: string[];
  business?: string;
  requireConsent?: boolean;
}

export interface ScrubResult {
  number: string;
  e164?: string;
  callable: boolean;
  reasons: readonly Reason[];
}

export interface ScrubCounts {
  total: number;
  callable: number;
  notCallable: number;
  invalid: number;
  byReason: Record<string, number>;
}

export interface Scrubber {
  readonly query: ScrubQuery;
  readonly business: string | null;
  readonly counts: ScrubCounts;
  /** Digits of the number last given to outcomeOf (-1: not a number). */
  lastDigits: number;
  /** One number in, its verdict out (shared objects, no allocation on the common paths). Synchronous, in memory. */
  outcomeOf(raw: string): ScrubOutcome;
  /** The same as a result row for the API. */
  check(raw: string): ScrubResult;
}

/** Who scrubs for whom: a business always for itself; a carrier or admin for a named business or for the list alone. */
function resolveBusiness(input: { business?: string | undefined }, actor: Actor): string | null {
  const given = input.business?.trim() || undefined;
  if (actor.role === 'business') {
    if (given && businessKeyOf(given) !== businessKeyOf(actor.orgName)) {
      throw new CallshieldError('GOVERNANCE_BUSINESS_MISMATCH', `a business scrubs for itself (${actor.orgName}); leave business out`, { field: 'business' });
    }
    return actor.orgName;
  }
  return given ?? null;
}

export function checkPurpose(value: unknown, field = 'purpose'): Purpose {
  if (typeof value !== 'string' || !(PURPOSES as readonly string[]).includes(value)) {
    throw new CallshieldError('REQUEST_INVALID_BODY', `${field} must be one of ${PURPOSES.join(', ')}`, { field });
  }
  return value as Purpose;
}

export function checkChannel(value: unknown, field = 'channel'): ContactChannel {
  if (typeof value !== 'string' || !(CONTACT_CHANNELS as readonly string[]).includes(value)) {
    throw new CallshieldError('REQUEST_INVALID_BODY', `${field} must be one of ${CONTACT_CHANNELS.join(', ')}`, { field });
  }
  return value as ContactChannel;
}

export function createScrubber(ctx: AppContext, s: GovernanceState, input: ScrubInput, actor: Actor): Scrubber {
  const purpose = checkPurpose(input.purpose);
  const business = resolveBusiness(input, actor);
  const channel = checkChannel(input.channel ?? 'voice');
  const query: ScrubQuery = { purpose, channel, businessKey: business ? businessKeyOf(business) : null, requireConsent: input.requireConsent === true, at: ctx.now() };
  const counts: ScrubCounts = { total: 0, callable: 0, notCallable: 0, invalid: 0, byReason: {} };
  const region = ctx.config.defaultRegion;
  const { keyer, consents } = s;
  return {
    query,
    business,
    counts,
    lastDigits: -1,
    outcomeOf(raw: string): ScrubOutcome {
      counts.total++;
      const digits = numberDigits(raw.trim(), region);
      this.lastDigits = digits;
      let outcome = SCRUB_INVALID;
      if (digits >= 0) {
        keyer.hashNumber(digits);
        const cs = consents.size > 0 ? consents.get(consentKey(keyer.hi, keyer.lo)) : undefined;
        outcome = decideCallable(dncRegisteredAt(s, keyer.hi, keyer.lo, cs), cs, query);
      } else {
        counts.invalid++;
      }
      if (outcome.callable) counts.callable++;
      else {
        counts.notCallable++;
        for (const r of outcome.reasons) counts.byReason[r.code] = (counts.byReason[r.code] ?? 0) + 1;
      }
      return outcome;
    },
    check(raw: string): ScrubResult {
      const outcome = this.outcomeOf(raw);
      const e164 = this.lastDigits >= 0 ? `+${this.lastDigits}` : undefined;
      return e164 && e164 !== raw.trim() ? { number: raw, e164, callable: outcome.callable, reasons: outcome.reasons } : { number: raw, callable: outcome.callable, reasons: outcome.reasons };
    },
  };
}

// A scrub reveals who is on the list, so each one is audited (counts only, never the numbers).
async function auditScrub(ctx: AppContext, scrubber: Scrubber, actor: Actor, source: string): Promise<void> {
  await inTransaction(ctx, ({ audit }) =>
    audit({ actor: describeActor(actor), action: 'dnc.scrub', subject: `scrub:${source}`, details: { purpose: scrubber.query.purpose, channel: scrubber.query.channel, business: scrubber.business, ...scrubber.counts } }),
  );
}

/** POST /v1/dnc/scrub: up to 100,000 numbers per request. */
export async function scrubNumbers(ctx: AppContext, input: ScrubInput, actor: Actor): Promise<{ purpose: Purpose; business: string | null; counts: ScrubCounts; results: ScrubResult[] }> {
  const numbers = input.numbers ?? [];
  if (numbers.length > MAX_SCRUB_NUMBERS) {
    throw new CallshieldError('GOVERNANCE_SCRUB_TOO_LARGE', `at most ${MAX_SCRUB_NUMBERS.toLocaleString('en-US')} numbers per request; the CLI (callshield dnc scrub) streams files of any size`, { field: 'numbers' });
  }
  const scrubber = createScrubber(ctx, await loadGovernance(ctx), input, actor);
  const results = numbers.map((n) => scrubber.check(n));
  await auditScrub(ctx, scrubber, actor, 'api');
  return { purpose: scrubber.query.purpose, business: scrubber.business, counts: scrubber.counts, results };
}

/** The numbers of a scrub CSV: one number per line, or a header row with a "number" column. */
export function numbersOfCsv(text: string): string[] {
  const lines = text.split(/\r?\n/);
  let col = -1;
  const first = (lines[0] ?? '').replace(/^\uFEFF/, '');
  const header = csvFields(first).map((h) => h.trim().toLowerCase());
  if (header.includes('number')) {
    col = header.indexOf('number');
    lines.shift();
  } else if (header.length > 1) {
    throw new CallshieldError('GOVERNANCE_INVALID_CSV', 'a CSV with several columns needs a header row with a "number" column', { field: 'body' });
  } else {
    lines[0] = first;
  }
  const out: string[] = [];
  for (const l of lines) {
    if (l.trim() === '') continue;
    out.push(col >= 0 ? fieldAt(l, col) : unquote(l));
  }
  return out;
}

// RFC 4180 fields of one line: a quoted field may hold commas and doubled quotes. A plain split at
// commas read `"Doe, John",+8613800138000` as three fields and took " John\"" for the number.
function csvFields(line: string): string[] {
  const fields: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c !== '"') cur += c;
      else if (line[i + 1] === '"') {
        cur += '"';
        i++;
      } else quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(cur);
      cur = '';
    } else cur += c;
  }
  fields.push(cur);
  return fields;
}

/** Field `col` of a line, trimmed; lines without quotes (nearly all) take the fast split. */
function fieldAt(line: string, col: number): string {
  return (line.includes('"') ? csvFields(line)[col] ?? '' : line.split(',')[col] ?? '').trim();
}

function unquote(s: string): string {
  const t = s.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).replaceAll('""', '"') : t;
}

/**
 * `callshield dnc scrub FILE`: reads the file line by line and writes one CSV line per number
 * (number,e164,callable,reasons) as it goes, so memory stays flat whatever the file size.
 */
export async function scrubFile(
  ctx: AppContext,
  path: string,
  input: Omit<ScrubInput, 'numbers'>,
  actor: Actor,
  opts: { out?: string; write?: (chunk: string) => Promise<void> | void } = {},
): Promise<ScrubCounts> {
  const scrubber = createScrubber(ctx, await loadGovernance(ctx), input, actor);
  const file = opts.out ? createWriteStream(opts.out) : undefined;
  const stdout = (chunk: string) => (process.stdout.write(chunk) ? undefined : new Promise<void>((r) => process.stdout.once('drain', () => r())));
  const sink = file ? (chunk: string) => (file.write(chunk) ? undefined : new Promise<void>((r) => file.once('drain', () => r()))) : (opts.write ?? stdout);
  let stream;
  try {
    stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
    await new Promise<void>((resolve, reject) => stream!.once('open', () => resolve()).once('error', reject));
  } catch {
    throw new CallshieldError('GOVERNANCE_INVALID_CSV', `cannot read ${path}`, { field: 'file' });
  }
  // The reasons of the common outcomes are shared arrays: their CSV text is computed once.
  const reasonCodes = new WeakMap<readonly Reason[], string>();
  let rest = '';
  let col = -2; // -2: header not seen yet; -1: one number per line
  let lineNo = 0;
  await sink('number,e164,callable,reasons\n');
  const handle = (line: string): string => {
    lineNo++;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (col === -2) {
      const h = csvFields(line.replace(/^\uFEFF/, '')).map((x) => x.trim().toLowerCase());
      if (h.includes('number')) {
        col = h.indexOf('number');
        return '';
      }
      if (h.length > 1) throw new CallshieldError('GOVERNANCE_INVALID_CSV', 'line 1: a CSV with several columns needs a header row with a "number" column', { field: 'file' });
      col = -1;
      line = line.replace(/^\uFEFF/, '');
    }
    if (line.trim() === '') return '';
    const raw = col >= 0 ? fieldAt(line, col) : unquote(line);
    const outcome = scrubber.outcomeOf(raw);
    let codes = reasonCodes.get(outcome.reasons);
    if (codes === undefined) reasonCodes.set(outcome.reasons, (codes = outcome.reasons.map((x) => x.code).join(';')));
    const d = scrubber.lastDigits;
    return `${csvCell(raw)},${d >= 0 ? `+${d}` : ''},${outcome.callable ? 1 : 0},${codes}\n`;
  };
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      const text = rest + chunk;
      let out = '';
      let i = 0;
      let j: number;
      while ((j = text.indexOf('\n', i)) >= 0) {
        out += handle(text.slice(i, j));
        i = j + 1;
      }
      rest = text.slice(i);
      if (out) await sink(out);
    }
    if (rest) await sink(handle(rest));
  } finally {
    stream.destroy();
    if (file) await new Promise<void>((r) => file.end(() => r()));
  }
  await auditScrub(ctx, scrubber, actor, `file:${path.split('/').pop()}`);
  return scrubber.counts;
}
