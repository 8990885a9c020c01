import { randomUUID } from 'node:crypto';
import { parse as parseCsv } from 'csv-parse/sync';
import type { AppContext } from '../../app-context.js';
import { CallshieldError } from '../../errors.js';
import { parseIdentifier } from '../../identity/index.js';
import { CATEGORIES, isCategory } from '../../reputation/index.js';
import type { EvidenceSource } from '../../reputation/index.js';
import { findList, insertList, liftListEntry as storeLift } from '../../store/reputation/lists.js';
import type { ListEntriesTable } from '../../store/schema.js';
import { describeActor } from '../actor.js';
import type { Actor } from '../actor.js';
import { inTransaction } from '../write.js';
import { copyIntoPostgres } from '../../store/bulk-copy.js';
import { recordChangesIn } from '../../store/changes.js';
import { appendAudit } from '../../store/audit/log.js';

// Below this many entries a multi-row INSERT is as fast as COPY and needs no second connection.
const COPY_THRESHOLD = 2000;

export const MAX_LIST_ENTRIES = 100_000;

export interface ListEntryInput {
  identifier: string;
  category?: string;
  reason?: string;
  expiresAt?: string;
}

export interface ListInput {
  name: string;
  category: string;
  expiresAt?: string;
  entries: ListEntryInput[];
}

// The weight of a list follows from who vouches for it, never from what the uploader claims.
const SOURCE_OF_ROLE: Record<string, EvidenceSource> = {
  police: 'police',
  regulator: 'regulator',
  carrier: 'carrier',
  bank: 'bank',
  platform: 'platform',
  admin: 'regulator',
};

/** CSV with a header row: identifier[,category][,reason][,expiresAt]. */
export function parseListCsv(text: string): ListEntryInput[] {
  let rows: Record<string, string>[];
  try {
    rows = parseCsv(text, { columns: true, skip_empty_lines: true, trim: true, bom: true });
  } catch (err) {
    throw new CallshieldError('REPUTATION_INVALID_LIST', `the CSV could not be read: ${(err as Error).message}`, { field: 'body' });
  }
  if (rows.length > 0 && !('identifier' in rows[0]!)) {
    throw new CallshieldError('REPUTATION_INVALID_LIST', 'the CSV needs a header row with an "identifier" column', { field: 'body' });
  }
  return rows.map((r) => ({
    identifier: r.identifier ?? '',
    ...(r.category ? { category: r.category } : {}),
    ...(r.reason ? { reason: r.reason } : {}),
    ...(r.expiresAt || r.expires_at ? { expiresAt: r.expiresAt || r.expires_at } : {}),
  }));
}

function checkExpiry(value: string | undefined, now: number, field: string): string | null {
  if (value === undefined) return null;
  const t = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(t)) throw new CallshieldError('REPUTATION_INVALID_TIME', `${field} must be an ISO-8601 date`, { field });
  if (t <= now) throw new CallshieldError('REPUTATION_INVALID_TIME', `${field} is already past`, { field });
  return new Date(t).toISOString();
}

export interface UploadedList {
  id: string;
  name: string;
  source: EvidenceSource;
  entries: number;
  expiresAt: string | null;
}

/**
 * A partner's bulk list (police-confirmed fraud numbers and accounts, a carrier's list). Every entry
 * is checked before anything is written, so a bad line rejects the whole upload, naming the line.
 */
export async function uploadList(ctx: AppContext, input: ListInput, actor: Actor): Promise<UploadedList> {
  const now = ctx.now();
  if (typeof input.name !== 'string' || !input.name.trim() || input.name.length > 100) {
    throw new CallshieldError('REPUTATION_INVALID_LIST', 'name must be 1-100 characters', { field: 'name' });
  }
  if (!isCategory(input.category)) {
    throw new CallshieldError('REPUTATION_INVALID_CATEGORY', `category must be one of ${CATEGORIES.join(', ')}`, { field: 'category' });
  }
  if (!Array.isArray(input.entries) || input.entries.length === 0) {
    throw new CallshieldError('REPUTATION_INVALID_LIST', 'a list needs at least one entry', { field: 'entries' });
  }
  if (input.entries.length > MAX_LIST_ENTRIES) {
    throw new CallshieldError('REPUTATION_INVALID_LIST', `a list holds at most ${MAX_LIST_ENTRIES} entries per upload`, { field: 'entries' });
  }
  const listExpiry = checkExpiry(input.expiresAt, now, 'expiresAt');
  const listId = randomUUID();
  const at = new Date(now).toISOString();
  const seen = new Set<string>();
  const entries: ListEntriesTable[] = [];
  input.entries.forEach((e, i) => {
    const field = `entries.${i}`;
    const id = parseIdentifier(e.identifier, { defaultRegion: ctx.config.defaultRegion }, `${field}.identifier`);
    if (id.kind === 'anonymous') {
      throw new CallshieldError('IDENTITY_ANONYMOUS_NOT_ALLOWED', 'a list entry needs an identifier', { field: `${field}.identifier` });
    }
    const category = e.category ?? input.category;
    if (!isCategory(category)) {
      throw new CallshieldError('REPUTATION_INVALID_CATEGORY', `category must be one of ${CATEGORIES.join(', ')}`, { field: `${field}.category` });
    }
    if (seen.has(id.canonical)) return;
    seen.add(id.canonical);
    entries.push({
      id: randomUUID(),
      list_id: listId,
      identifier: id.canonical,
      kind: id.kind,
      category,
      reason: e.reason?.slice(0, 500) ?? null,
      expires_at: checkExpiry(e.expiresAt, now, `${field}.expiresAt`) ?? listExpiry,
      created_at: at,
    });
  });
  const source = SOURCE_OF_ROLE[actor.role];
  if (!source) throw new CallshieldError('AUTH_FORBIDDEN', `a ${actor.role} cannot upload lists`);
  const list = { id: listId, org_id: actor.orgId, source, name: input.name.trim(), category: input.category, expires_at: listExpiry, created_at: at, entries: entries.length };
  const auditEntry = { actor: describeActor(actor), action: 'list.upload', subject: `list:${listId}`, details: { name: list.name, source, category: input.category, entries: entries.length, expiresAt: listExpiry }, at };
  if (ctx.engine === 'postgres' && ctx.config.databaseUrl && entries.length >= COPY_THRESHOLD) {
    // Large partner lists take PostgreSQL's bulk path; the list row, its entries and the audit
    // entry still land in one transaction.
    const columns = ['id', 'list_id', 'identifier', 'kind', 'category', 'reason', 'expires_at', 'created_at'] as const;
    await copyIntoPostgres(
      ctx.config.databaseUrl,
      'list_entries',
      columns,
      entries.map((e) => columns.map((c) => e[c])),
      async (db) => {
        await appendAudit(db, auditEntry, 'postgres');
        await recordChangesIn(db, 'postgres', [['reputation', entries.map((e) => e.identifier)]]);
      },
      (db) => db.insertInto('lists').values(list).execute().then(() => {}),
    );
  } else {
    await inTransaction(ctx, async ({ db, audit, publish }) => {
      await insertList(db, list, entries);
      await audit(auditEntry);
      publish('reputation', entries.map((e) => e.identifier));
    });
  }
  await ctx.refreshReputation(entries.map((e) => e.identifier), { publish: false });
  return { id: listId, name: input.name.trim(), source, entries: entries.length, expiresAt: listExpiry };
}

/**
 * The organisation that uploaded a list lifts one of its entries: from then on it no longer counts.
 * Nobody else lifts it (an upheld appeal that names the list is the other way, see appeals.ts).
 */
export async function liftListEntry(ctx: AppContext, listId: string, rawIdentifier: string, actor: Actor): Promise<{ list: string; identifier: string; liftedAt: string }> {
  const id = parseIdentifier(rawIdentifier, { defaultRegion: ctx.config.defaultRegion }, 'identifier');
  const at = new Date(ctx.now()).toISOString();
  await inTransaction(ctx, async ({ db, audit, publish }) => {
    const list = await findList(db, listId);
    if (!list) throw new CallshieldError('REPUTATION_LIST_ENTRY_NOT_FOUND', `no list ${listId}`, { field: 'id' });
    if (list.org_id !== actor.orgId) throw new CallshieldError('AUTH_FORBIDDEN', 'only the organisation that uploaded a list lifts its entries');
    if (!(await storeLift(db, listId, id.canonical, `owner:${describeActor(actor)}`, at))) {
      throw new CallshieldError('REPUTATION_LIST_ENTRY_NOT_FOUND', `list ${listId} has no live entry for ${id.canonical}`, { field: 'identifier' });
    }
    await audit({ actor: describeActor(actor), action: 'list.lift', subject: `list:${listId}`, details: { identifier: id.canonical, source: list.source }, at });
    publish('reputation', [id.canonical]);
  });
  await ctx.refreshReputation([id.canonical], { publish: false });
  return { list: listId, identifier: id.canonical, liftedAt: at };
}
