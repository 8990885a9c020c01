import type { AppContext } from '../../app-context.js';
import { CallshieldError } from '../../errors.js';
import { parseIdentifier } from '../../identity/index.js';
import { isCategory, isNewReporter, BURST_NEW_REPORTER_MS, CATEGORIES, REPORT_CHANNELS, reporterCredibility } from '../../reputation/index.js';
import type { Category, Evidence, Reputation } from '../../reputation/index.js';
import { falseReportsOf, insertFeedback } from '../../store/reputation/reports.js';
import { reportWrites, reporterKey, writeKnownReports } from '../../store/reputation/report-writes.js';
import type { ReporterFacts } from '../../store/reputation/report-writes.js';
import type { ReportsTable } from '../../store/schema.js';
import type { Actor } from '../actor.js';
import type { WriteScope } from '../write.js';
import { exitAfterCommitIfTesting } from '../write.js';
import { writeBatched, writeGrouped } from '../write-batch.js';
import type { WriteGroup } from '../write-batch.js';
import { timeOrderedId } from '../ids.js';
import { reputationAfterReport } from './tally.js';
import { placeInBurst } from './bursts.js';
import { touchBurst } from '../../store/reputation/bursts.js';
import { REPORT_CHANGE, reportChangeKey } from '../../store/changes.js';

/**
 * Runs a "not spam" write with its change-log entry in the same transaction, this node skipping
 * that entry. Writes that arrive together share the transaction (operations/write-batch.ts), each
 * still all or nothing; reports go through REPORTS below, the same way.
 */
async function writeWithChange<T>(ctx: AppContext, caller: string, work: (scope: WriteScope) => Promise<T>): Promise<T> {
  const undo = ctx.ownReputationChange(caller);
  try {
    return await writeBatched(ctx, async (scope) => {
      const out = await work(scope);
      // Written last in this transaction (operations/write.ts); applied here already (ownReputationChange).
      scope.publish('reputation', [caller], true);
      return out;
    });
  } catch (err) {
    undo();
    throw err;
  }
}

export interface ReportInput {
  caller: string;
  reporter: string;
  category: string;
  comment?: string;
  channel?: string;
  claimedOrganization?: string;
  occurredAt?: string;
}

const YEAR = 365 * 86_400_000;
const CLOCK_SKEW = 5 * 60_000;
const CHANNELS: ReadonlySet<string> = new Set(REPORT_CHANNELS);

// The reporter is the app's opaque reference to its subscriber. A raw phone number there would put
// a subscriber's number in our database, so anything that looks like one is refused.
export function checkReporter(value: unknown, field = 'reporter'): string {
  if (typeof value !== 'string' || value.trim().length === 0 || value.length > 128) {
    throw new CallshieldError('REPUTATION_INVALID_REPORTER', 'reporter must be the app\'s opaque subscriber reference, 1-128 characters', { field });
  }
  // A number stays a number in a URI: "tel:+86 138…", "callto:…", "sip:…" (and its ;parameters).
  const bare = value.trim().replace(/^(?:tel|callto|sips?|mailto)\s*:\s*/i, '').replace(/;.*$/, '').trim();
  if (/^\+?[\d\s().-]{7,}$/.test(bare) || value.includes('@')) {
    throw new CallshieldError('REPUTATION_INVALID_REPORTER', 'reporter must be an opaque reference, not a phone number or e-mail address', { field });
  }
  return value.trim();
}

export function checkTime(value: unknown, now: number, field: string, maxAgeMs = YEAR): number {
  if (value === undefined) return now;
  const t = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(t)) {
    throw new CallshieldError('REPUTATION_INVALID_TIME', `${field} must be an ISO-8601 date-time such as 2026-11-26T09:30:00Z`, { field });
  }
  if (t > now + CLOCK_SKEW) throw new CallshieldError('REPUTATION_INVALID_TIME', `${field} is in the future`, { field });
  if (now - t > maxAgeMs) throw new CallshieldError('REPUTATION_INVALID_TIME', `${field} is more than a year ago`, { field });
  return t;
}

export interface ReportResult {
  id: string;
  caller: string;
  callerKind: string;
  reputation: Reputation;
  /** True when it is part of a burst of new reporters held for a regulator's review: it does not count yet. */
  held: boolean;
}

interface Placed {
  burstId: string | null;
  held: boolean;
  firstSeen: string;
  falseReports: number;
}

/**
 * The reports written together in one transaction (operations/write-batch.ts). A report from a
 * reporter seen long enough ago cannot join a burst (reputation/burst.ts), so those are looked up
 * and inserted for all the reports at once (one round trip each on PostgreSQL); a new or unknown
 * reporter's report goes through the burst check one by one, in order, as alone. Bursts count
 * only new reporters' rows, so writing the others at the end changes no burst decision.
 * On PostgreSQL a batch first tries writeAlone: the known reporters' reports, their look-ups and
 * change-log entries in one statement of its own (store/reputation/report-writes.ts
 * writeKnownReports), and only the rest (new reporters) in the transaction.
 */
const REPORTS: WriteGroup<{ row: ReportsTable; actor: Actor; now: number }, Placed> = {
  async runMany(ctx, scope, items) {
    const writes = reportWrites(ctx.db, scope.db);
    const facts = await writes.reportersOf(items.map(({ row }) => ({ orgId: row.org_id, reporterHash: row.reporter_hash })));
    const factsOf = (row: ReportsTable): ReporterFacts | undefined => facts.get(reporterKey(row.org_id, row.reporter_hash));
    const placed: Omit<Placed, 'falseReports'>[] = [];
    const known: ReportsTable[] = [];
    for (const { row, actor, now } of items) {
      const firstSeen = factsOf(row)?.firstSeen;
      if (firstSeen !== undefined && !isNewReporter(Date.parse(firstSeen), now)) {
        known.push({ ...row, burst_id: null });
        placed.push({ burstId: null, held: false, firstSeen });
      } else {
        const p = await placeInBurst(ctx, scope, { caller: row.caller, actor, reporterHash: row.reporter_hash, now });
        await writes.insertReport({ ...row, burst_id: p.burstId });
        if (p.burstId) await touchBurst(scope.db, p.burstId, row.created_at);
        placed.push(p);
      }
      // Written last in this transaction (operations/write.ts); other nodes add just this report,
      // this one added it itself (fileReport: ownReputationChange, then reputationAfterReport).
      scope.publish(REPORT_CHANGE, [reportChangeKey(row.id, row.caller)], true);
    }
    if (known.length) await writes.insertReports(known);
    // Credibility changes only with an upheld appeal (another transaction), so it is read with the first sighting.
    return placed.map((p, i) => ({ ...p, falseReports: p.held ? 0 : (factsOf(items[i]!.row)?.falseReports ?? 0) }));
  },
  async writeAlone(ctx, items) {
    if (ctx.engine !== 'postgres') return items.map(() => undefined);
    const knownBefore = ({ now }: { now: number }): string => new Date(now - BURST_NEW_REPORTER_MS).toISOString();
    const written = await writeKnownReports(ctx.db, items.map((item) => ({ row: item.row, knownBefore: knownBefore(item) })), ctx.noticeOfOwnChanges());
    if (written.size) exitAfterCommitIfTesting(ctx, [REPORT_CHANGE]);
    return items.map(({ row }) => {
      const w = written.get(row.id);
      return w && { burstId: null, held: false, firstSeen: w.firstSeen, falseReports: w.falseReports };
    });
  },
};

export async function fileReport(ctx: AppContext, input: ReportInput, actor: Actor): Promise<ReportResult> {
  const caller = parseIdentifier(input.caller, { defaultRegion: ctx.config.defaultRegion }, 'caller');
  if (caller.kind === 'anonymous') {
    throw new CallshieldError('IDENTITY_ANONYMOUS_NOT_ALLOWED', 'a withheld caller cannot be reported: there is nothing to label', { field: 'caller' });
  }
  const reporter = checkReporter(input.reporter);
  if (!isCategory(input.category)) {
    throw new CallshieldError('REPUTATION_INVALID_CATEGORY', `category must be one of ${CATEGORIES.join(', ')}`, { field: 'category' });
  }
  if (input.channel !== undefined && !CHANNELS.has(input.channel)) {
    throw new CallshieldError('REQUEST_INVALID_BODY', 'channel must be one of pstn, video, voip, sms', { field: 'channel' });
  }
  const now = ctx.now();
  const occurred = checkTime(input.occurredAt, now, 'occurredAt');
  const row: ReportsTable = {
    id: timeOrderedId(now),
    caller: caller.canonical,
    caller_kind: caller.kind,
    reporter_hash: ctx.hash(`${actor.orgId}:${reporter}`),
    org_id: actor.orgId,
    category: input.category,
    comment: input.comment?.trim() || null,
    channel: input.channel ?? null,
    claimed_org: input.claimedOrganization?.trim() || null,
    occurred_at: new Date(occurred).toISOString(),
    created_at: new Date(now).toISOString(),
    import_source: null,
  };
  // Its change-log entry commits with it; this node skips that entry when it reads it back.
  const undo = ctx.ownReputationChange(caller.canonical);
  let placed: Placed;
  try {
    placed = await writeGrouped(ctx, REPORTS, { row, actor, now });
  } catch (err) {
    undo();
    throw err;
  }
  // The same evidence the store gives back for this row (store/reputation/evidence.ts).
  const evidence: Evidence | null = placed.held
    ? null
    : {
        source: 'crowd',
        category: row.category as Category,
        at: occurred,
        reporter: row.reporter_hash,
        org: row.org_id,
        credibility: reporterCredibility(placed.falseReports),
        reporterSince: Date.parse(placed.firstSeen),
        ...(row.claimed_org ? { claimedOrganization: row.claimed_org } : {}),
      };
  const reputation = await reputationAfterReport(ctx, caller.canonical, evidence);
  return { id: row.id, caller: caller.canonical, callerKind: caller.kind, reputation, held: placed.held };
}

export interface FeedbackInput {
  caller: string;
  reporter: string;
  verdict?: string;
  comment?: string;
  occurredAt?: string;
}

/** "Not spam": a subscriber says the caller was wanted. It counts against the reports (docs/scoring.md). */
export async function fileFeedback(ctx: AppContext, input: FeedbackInput, actor: Actor): Promise<ReportResult> {
  const caller = parseIdentifier(input.caller, { defaultRegion: ctx.config.defaultRegion }, 'caller');
  if (caller.kind === 'anonymous') {
    throw new CallshieldError('IDENTITY_ANONYMOUS_NOT_ALLOWED', 'feedback needs a caller identifier', { field: 'caller' });
  }
  const reporter = checkReporter(input.reporter);
  const verdict = input.verdict ?? 'not-spam';
  if (verdict !== 'not-spam') throw new CallshieldError('REQUEST_INVALID_BODY', 'verdict must be "not-spam"', { field: 'verdict' });
  const now = ctx.now();
  const occurred = checkTime(input.occurredAt, now, 'occurredAt');
  const id = timeOrderedId(now);
  const reporterHash = ctx.hash(`${actor.orgId}:${reporter}`);
  const createdAt = new Date(now).toISOString();
  const placed = await writeWithChange(ctx, caller.canonical, async (scope) => {
    const p = await placeInBurst(ctx, scope, { caller: caller.canonical, actor, reporterHash, now });
    await insertFeedback(scope.db, {
      id,
      caller: caller.canonical,
      reporter_hash: reporterHash,
      org_id: actor.orgId,
      verdict,
      comment: input.comment?.trim() || null,
      occurred_at: new Date(occurred).toISOString(),
      created_at: createdAt,
      burst_id: p.burstId,
    });
    if (p.burstId) await touchBurst(scope.db, p.burstId, createdAt);
    return { ...p, falseReports: p.held ? 0 : await falseReportsOf(scope.db, reporterHash) };
  });
  const evidence: Evidence | null = placed.held
    ? null
    : {
        source: 'crowd',
        category: 'other',
        at: occurred,
        reporter: reporterHash,
        org: actor.orgId,
        negative: true,
        credibility: reporterCredibility(placed.falseReports),
        reporterSince: Date.parse(placed.firstSeen),
      };
  const reputation = await reputationAfterReport(ctx, caller.canonical, evidence);
  return { id, caller: caller.canonical, callerKind: caller.kind, reputation, held: placed.held };
}
