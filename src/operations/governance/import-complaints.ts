import { createReadStream, statSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse';
import type { AppContext } from '../../app-context.js';
import { CallshieldError } from '../../errors.js';
import { parseIdentifier } from '../../identity/index.js';
import type { Category } from '../../reputation/index.js';
import { insertReports } from '../../store/reputation/reports.js';
import { copyIntoPostgres } from '../../store/bulk-copy.js';
import { recordChangesIn } from '../../store/changes.js';
import { appendAudit } from '../../store/audit/log.js';
import type { ReportsTable } from '../../store/schema.js';
import { describeActor } from '../actor.js';
import type { Actor } from '../actor.js';
import { inTransaction } from '../write.js';

// FTC Do-Not-Call complaint subjects → our categories. Impersonation and the classic fraud
// pitches (tech support, prizes, debt relief) are scams; the rest is marketing without consent,
// or a robocall when the consumer says it was a recorded message.
const SUBJECT_CATEGORY: Record<string, Category> = {
  'calls pretending to be government, businesses, or family and friends': 'impersonation',
  'computer & technical support': 'fraud',
  'lotteries, prizes & sweepstakes': 'fraud',
  'reducing your debt (credit cards, mortgage, student loans)': 'fraud',
  'work from home & other ways to make money': 'fraud',
};

export function categoryOfComplaint(subject: string, robocall: string): Category {
  const key = subject.toLowerCase().replace(/\s+/g, ' ').trim();
  const cat = SUBJECT_CATEGORY[key];
  if (cat) return cat;
  if (robocall.trim().toUpperCase() === 'Y' || key === 'dropped call or no message') return 'robocall';
  if (key === 'other' || key === 'no subject provided' || key === '') return 'other';
  return 'harassment';
}

export interface ImportProgress {
  bytes: number;
  totalBytes: number;
  rows: number;
}

export interface ImportResult {
  imported: number;
  skipped: { line: number; reason: string }[];
  identifiers: number;
  /** How far dates were moved so the newest complaint is "now" (0 with keepDates). */
  shiftedByDays: number;
}

const REQUIRED = ['Company_Phone_Number', 'Violation_Date', 'Subject'];

/**
 * Loads an FTC DNC complaint file as crowd reports: each complaint is one consumer, so each counts
 * as a distinct reporter. The public files are years old and crowd reports fade with a 30-day
 * half-life, so by default dates are moved forward together until the newest complaint is today —
 * the example then shows labels as they would have looked on the day. `keepDates` keeps them as filed.
 */
export async function importComplaints(
  ctx: AppContext,
  path: string,
  actor: Actor,
  opts: { region?: string; keepDates?: boolean; onProgress?: (p: ImportProgress) => void } = {},
): Promise<ImportResult> {
  let totalBytes: number;
  try {
    totalBytes = statSync(path).size;
  } catch {
    throw new CallshieldError('GOVERNANCE_INVALID_CSV', `cannot read ${path}`, { field: 'file' });
  }
  const region = opts.region ?? 'US';
  const stream = createReadStream(path);
  let bytes = 0;
  stream.on('data', (chunk) => (bytes += chunk.length));
  const parser = stream.pipe(parse({ columns: true, bom: true, skip_empty_lines: true, relax_column_count: true, info: true }));
  const rows: { caller: string; kind: string; category: Category; at: number; line: number }[] = [];
  const skipped: ImportResult['skipped'] = [];
  let checkedHeader = false;
  try {
    for await (const rec of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      const r = rec.record;
      if (!checkedHeader) {
        const missing = REQUIRED.filter((c) => !(c in r));
        if (missing.length) throw new CallshieldError('GOVERNANCE_INVALID_CSV', `not an FTC complaint file: missing column ${missing.join(', ')}`, { field: 'file' });
        checkedHeader = true;
      }
      const line = rec.info.lines;
      const phone = (r.Company_Phone_Number ?? '').trim();
      if (!phone) {
        skipped.push({ line, reason: 'no calling number' });
        continue;
      }
      let id;
      try {
        id = parseIdentifier(phone, { defaultRegion: region }, 'Company_Phone_Number');
      } catch (err) {
        skipped.push({ line, reason: (err as Error).message });
        continue;
      }
      const at = Date.parse(`${(r.Violation_Date || r.Created_Date || '').replace(' ', 'T')}Z`);
      if (Number.isNaN(at)) {
        skipped.push({ line, reason: 'no valid date' });
        continue;
      }
      rows.push({ caller: id.canonical, kind: id.kind, category: categoryOfComplaint(r.Subject ?? '', r.Recorded_Message_Or_Robocall ?? ''), at, line });
      if (rows.length % 500 === 0) opts.onProgress?.({ bytes, totalBytes, rows: rows.length });
    }
  } catch (err) {
    if (err instanceof CallshieldError) throw err;
    throw new CallshieldError('GOVERNANCE_INVALID_CSV', `the CSV could not be read: ${(err as Error).message}`, { field: 'file' });
  }
  const now = ctx.now();
  const newest = rows.reduce((m, r) => Math.max(m, r.at), 0);
  const shift = opts.keepDates || rows.length === 0 ? 0 : Math.max(0, now - newest);
  const source = `ftc-dnc:${path.split('/').pop()}`;
  const created = new Date(now).toISOString();
  const table: ReportsTable[] = rows.map((r) => ({
    id: randomUUID(),
    caller: r.caller,
    caller_kind: r.kind,
    reporter_hash: ctx.hash(`${source}:${r.line}`),
    org_id: actor.orgId,
    category: r.category,
    comment: null,
    channel: 'pstn',
    claimed_org: null,
    occurred_at: new Date(r.at + shift).toISOString(),
    created_at: created,
    import_source: source,
  }));
  const auditEntry = { actor: describeActor(actor), action: 'complaints.import', subject: source, details: { imported: table.length, skipped: skipped.length, shiftedByDays: Math.round(shift / 86_400_000) } };
  // The change-log entries commit with the rows (both paths), so every node re-scores them.
  const ids = new Set(table.map((t) => t.caller));
  if (ctx.engine === 'postgres' && ctx.config.databaseUrl) {
    const columns = ['id', 'caller', 'caller_kind', 'reporter_hash', 'org_id', 'category', 'comment', 'channel', 'claimed_org', 'occurred_at', 'created_at', 'import_source'] as const;
    await copyIntoPostgres(ctx.config.databaseUrl, 'reports', columns, table.map((t) => columns.map((c) => t[c])), async (db) => {
      await appendAudit(db, auditEntry, 'postgres');
      await recordChangesIn(db, 'postgres', [['reputation', [...ids]]]);
    });
  } else {
    await inTransaction(ctx, async ({ db, audit, publish }) => {
      await insertReports(db, table);
      await audit(auditEntry);
      publish('reputation', [...ids]);
    });
  }
  opts.onProgress?.({ bytes: totalBytes, totalBytes, rows: rows.length });
  await ctx.refreshReputation(ids, { publish: false });
  return { imported: table.length, skipped, identifiers: ids.size, shiftedByDays: Math.round(shift / 86_400_000) };
}
