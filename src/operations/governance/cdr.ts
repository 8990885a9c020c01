import { randomUUID } from 'node:crypto';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { AppContext } from '../../app-context.js';
import { CallshieldError } from '../../errors.js';
import { CdrAnalyser, HeaderError, digitsOf, evaluateFlags } from '../../governance/index.js';
import type { CdrIssue, PatternFlag } from '../../governance/index.js';
import { parseIdentifier } from '../../identity/index.js';
import { insertCdrImport } from '../../store/governance/patterns.js';
import type { GovernancePatternsTable } from '../../store/governance/schema.js';
import { describeActor } from '../actor.js';
import type { Actor } from '../actor.js';
import { isOnDnc, loadGovernance } from './state.js';
import { inTransaction } from '../write.js';
import { CampaignCollector, evaluateCampaigns, groupCampaigns } from '../../campaigns/index.js';
import { mergeCampaignGroups } from '../campaigns/campaigns.js';
import { honeypotMatcher, hitRows, storeHits } from '../campaigns/honeypots.js';

export interface CdrProgress {
  bytes: number;
  totalBytes: number;
  rows: number;
}

export interface CdrOptions {
  utcOffsetMinutes?: number;
  onProgress?: (p: CdrProgress) => void;
  /** Compare the flags with a generated file's label column (precision / recall). */
  evaluate?: boolean;
  /** Group the callers into campaigns (default true; the stream benchmark's baseline turns it off to compare like with like). */
  campaigns?: boolean;
}

export interface CdrResult {
  id: string;
  rows: number;
  malformed: number;
  /** The first malformed lines with their line numbers (all are counted in `malformed`). */
  issues: CdrIssue[];
  callers: number;
  flagged: number;
  flags: { caller: string; category: string; pattern: string; origin: string }[];
  evaluation?: ReturnType<typeof evaluateFlags>;
  /** Campaigns found in these records (new or joined). */
  campaigns?: { found: number; ids: string[] };
  campaignEvaluation?: ReturnType<typeof evaluateCampaigns>;
}

async function analyser(ctx: AppContext, s: Awaited<ReturnType<typeof loadGovernance>>, opts: CdrOptions): Promise<{ a: CdrAnalyser; collector: CampaignCollector | null }> {
  const collector = opts.campaigns === false ? null : new CampaignCollector();
  const o = analyserOptions(ctx, s, opts, await honeypotMatcher(ctx));
  return { a: new CdrAnalyser(collector ? { ...o, onRecord: (c, e, t) => collector.record(c, e, t) } : o), collector };
}

/** The analyser's options for this deployment (shared by the file import and the stream consumer). */
export function analyserOptions(ctx: AppContext, s: Awaited<ReturnType<typeof loadGovernance>>, opts: CdrOptions, honeypot?: (digits: number) => boolean): ConstructorParameters<typeof CdrAnalyser>[0] {
  const region = ctx.config.defaultRegion;
  return {
    ...(honeypot ? { honeypot } : {}),
    utcOffsetMinutes: opts.utcOffsetMinutes ?? 480,
    thresholds: ctx.config.cdrThresholds,
    readLabels: opts.evaluate === true,
    onDnc: s.dnc.size > 0 ? (digits) => isOnDnc(s, digits) : undefined,
    parseOther: (raw, field) => {
      const id = parseIdentifier(raw, { defaultRegion: region }, field);
      if (id.kind !== 'phone') throw new Error(`${field} "${raw}" is not a phone number`);
      return digitsOf(id.canonical);
    },
  } as ConstructorParameters<typeof CdrAnalyser>[0];
}

/** Stores the flags (not the records) with the import summary, in one transaction with its audit entry. */
async function finish(ctx: AppContext, a: CdrAnalyser, source: string, actor: Actor, opts: CdrOptions, collector: CampaignCollector | null): Promise<CdrResult> {
  const flags: PatternFlag[] = a.flags();
  const id = randomUUID();
  const at = new Date(ctx.now()).toISOString();
  const patterns: GovernancePatternsTable[] = flags.map((f) => ({
    id: randomUUID(),
    identifier: f.caller,
    category: f.category,
    pattern: f.pattern,
    origin: f.origin,
    features: JSON.stringify(f.features),
    import_id: id,
    at: new Date(Math.min(f.features.lastAt, ctx.now())).toISOString(),
    created_at: at,
  }));
  const hits = hitRows(ctx, a.drainHoneypotHits(), 'cdr');
  let hitCallers: string[] = [];
  await inTransaction(ctx, async ({ db, audit, publish }) => {
    hitCallers = await storeHits(db, hits);
    publish('reputation', hitCallers);
    await insertCdrImport(db, { id, source, org_id: actor.orgId, rows: a.rows, malformed: a.malformed, callers: a.callers, flagged: flags.length, created_at: at }, patterns);
    await audit({ actor: describeActor(actor), action: 'cdr.import', subject: `cdr:${id}`, details: { source, rows: a.rows, malformed: a.malformed, callers: a.callers, flagged: flags.length }, at });
    publish('reputation', flags.map((f) => f.caller));
  });
  await ctx.refreshReputation([...new Set([...flags.map((f) => f.caller), ...hitCallers])], { publish: false });
  const groups = collector ? groupCampaigns(collector.traces()) : [];
  const campaignIds = collector ? await mergeCampaignGroups(ctx, groups, source) : [];
  return {
    id,
    rows: a.rows,
    malformed: a.malformed,
    issues: a.issues.slice(0, 100),
    callers: a.callers,
    flagged: flags.length,
    flags: flags.slice(0, 1000).map((f) => ({ caller: f.caller, category: f.category, pattern: f.pattern, origin: f.origin })),
    ...(collector ? { campaigns: { found: groups.length, ids: campaignIds } } : {}),
    ...(opts.evaluate ? { evaluation: evaluateFlags(flags, a.callerLabels()) } : {}),
    ...(opts.evaluate && collector ? { campaignEvaluation: evaluateCampaigns(groups, a.callerLabels()) } : {}),
  };
}

function headerError(err: unknown, field: string): never {
  if (err instanceof HeaderError) throw new CallshieldError('GOVERNANCE_INVALID_CSV', err.message, { field });
  throw err;
}

/**
 * `callshield import cdr FILE`: streams the file in 1 MB chunks, line by line, into the analyser's
 * per-caller counters; only the flagged callers' features are stored. Malformed lines are counted
 * and reported with their line numbers while the rest is imported.
 */
export async function importCdrFile(ctx: AppContext, path: string, actor: Actor, opts: CdrOptions = {}): Promise<CdrResult> {
  let totalBytes: number;
  try {
    totalBytes = statSync(path).size;
  } catch {
    throw new CallshieldError('GOVERNANCE_INVALID_CSV', `cannot read ${path}`, { field: 'file' });
  }
  const s = await loadGovernance(ctx);
  const { a, collector } = await analyser(ctx, s, opts);
  // Synchronous 4 MB reads: on two busy cores the thread-pool hand-off of a read stream costs more
  // than the reads themselves. The loop yields once per chunk so the progress bar still redraws.
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    throw new CallshieldError('GOVERNANCE_INVALID_CSV', `cannot read ${path}`, { field: 'file' });
  }
  const buf = Buffer.allocUnsafe(4 << 20);
  // Latin-1 decoding is a plain byte copy; every field the analyser reads is ASCII, and a line with
  // other bytes in a number or a time is malformed whichever way it is decoded.
  const decoder = new StringDecoder('latin1');
  let bytes = 0;
  let rest = '';
  let lineNo = 0;
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      bytes += n;
      const text = rest + decoder.write(buf.subarray(0, n));
      let i = 0;
      let j: number;
      while ((j = text.indexOf('\n', i)) >= 0) {
        a.addLine(text.slice(i, j), ++lineNo);
        i = j + 1;
      }
      rest = text.slice(i);
      opts.onProgress?.({ bytes, totalBytes, rows: a.rows });
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    rest += decoder.end();
    if (rest) a.addLine(rest, ++lineNo);
  } catch (err) {
    headerError(err, 'file');
  } finally {
    closeSync(fd);
  }
  opts.onProgress?.({ bytes: totalBytes, totalBytes, rows: a.rows });
  return finish(ctx, a, `file:${path.split('/').pop()}`, actor, opts, collector);
}

export const MAX_CDR_BODY = 16 * 1024 * 1024;

/** POST /v1/cdr: the same analysis over a smaller batch sent as text/csv. */
export async function analyseCdrText(ctx: AppContext, text: string, actor: Actor, opts: CdrOptions = {}): Promise<CdrResult> {
  const s = await loadGovernance(ctx);
  const { a, collector } = await analyser(ctx, s, opts);
  let i = 0;
  let j: number;
  let lineNo = 0;
  try {
    while ((j = text.indexOf('\n', i)) >= 0) {
      a.addLine(text.slice(i, j), ++lineNo);
      i = j + 1;
    }
    if (i < text.length) a.addLine(text.slice(i), ++lineNo);
  } catch (err) {
    headerError(err, 'body');
  }
  if (a.rows === 0 && a.malformed === 0) throw new CallshieldError('GOVERNANCE_INVALID_CSV', 'the CSV has no call records', { field: 'body' });
  return finish(ctx, a, 'api', actor, opts, collector);
}
