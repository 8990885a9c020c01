import type { AppContext } from '../../app-context.js';
import { CallshieldError } from '../../errors.js';
import { canonicaliseTn } from '../../stir/index.js';
import { orgsBySpc } from '../../store/stir/signers.js';
import { tracesByOrig, tracesByOrigid } from '../../store/stir/traces.js';
import type { TraceRowWithOrg } from '../../store/stir/traces.js';
import { describeActor } from '../actor.js';
import type { Actor } from '../actor.js';
import { flushStir } from './runtime.js';
import { spcsOfCarrier } from './carrier-spcs.js';
import { holderBlockOf, signerIsHolder } from './signer-holder.js';
import { inTransaction } from '../write.js';

// Industry traceback (ATIS-1000074 §5.2.4; the FCC's "trace the call back to its origin"): from a
// reported call to the carrier that signed it. Police and regulators only, and every query is in
// the audit log, because it reveals who called whom.

export interface TracebackQuery {
  origid?: string;
  orig?: string;
  dest?: string;
  from?: string;
  to?: string;
}

export interface TracedCall {
  origid: string;
  orig: string;
  attest: string | null;
  iat: number;
  /** The signing carrier: from our own signing record, else from the SPC of the verified certificate. */
  signer: { spc: string | null; orgName: string | null; signedAt: string | null; x5u: string | null; signedHere: boolean };
  verifications: { orgName: string | null; verstat: string | null; spc: string | null; verifiedAt: string }[];
  /** Who holds the calling number in the holder registry, beside the signer (null: not registered). */
  holder?: { holder: string; carrier: string; spcs: string[] } | null;
  /** Whether the signer's SPC is the holder carrier's; null when it cannot be told. */
  signerIsHolder?: boolean | null;
}

export interface TracebackResult {
  query: TracebackQuery;
  calls: TracedCall[];
}

const MAX_WINDOW_MS = 31 * 86_400_000;
const MAX_CALLS = 100;

function readTime(value: string | undefined, field: string, fallback: number): number {
  if (value === undefined) return fallback;
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new CallshieldError('REQUEST_INVALID_QUERY', `${field} must be an ISO-8601 date-time`, { field });
  return t;
}

function readTn(value: string, field: string): string {
  const tn = canonicaliseTn(value);
  if (!/^[0-9]{5,15}$/.test(tn)) throw new CallshieldError('REQUEST_INVALID_QUERY', `${field} must be a telephone number`, { field });
  return tn;
}

async function findRows(ctx: AppContext, q: TracebackQuery): Promise<TraceRowWithOrg[]> {
  if (q.origid !== undefined) {
    if (q.orig !== undefined || q.dest !== undefined || q.from !== undefined || q.to !== undefined) {
      throw new CallshieldError('REQUEST_INVALID_QUERY', 'ask by origid alone, or by orig (with dest, from, to)', { field: 'origid' });
    }
    return tracesByOrigid(ctx.db, q.origid);
  }
  if (q.orig === undefined) throw new CallshieldError('REQUEST_INVALID_QUERY', 'give origid, or orig (with dest, from, to)', { field: 'origid' });
  const orig = readTn(q.orig, 'orig');
  const to = readTime(q.to, 'to', ctx.now());
  const from = readTime(q.from, 'from', to - 86_400_000);
  if (from > to) throw new CallshieldError('REQUEST_INVALID_QUERY', 'from must not be after to', { field: 'from' });
  if (to - from > MAX_WINDOW_MS) throw new CallshieldError('REQUEST_INVALID_QUERY', 'the window from..to is at most 31 days', { field: 'from' });
  let rows = await tracesByOrig(ctx.db, orig, new Date(from).toISOString(), new Date(to).toISOString());
  if (q.dest !== undefined) {
    const wanted = ctx.hash(`+${readTn(q.dest, 'dest')}`);
    rows = rows.filter((r) => (JSON.parse(r.dest_hashes) as string[]).includes(wanted));
  }
  return rows;
}

function group(rows: readonly TraceRowWithOrg[], spcOwners: Map<string, { orgName: string }>): TracedCall[] {
  const calls = new Map<string, TracedCall>();
  for (const r of rows) {
    let call = calls.get(r.origid);
    if (!call) {
      call = {
        origid: r.origid,
        orig: r.orig,
        attest: r.attest,
        iat: Number(r.iat),
        signer: { spc: null, orgName: null, signedAt: null, x5u: null, signedHere: false },
        verifications: [],
      };
      calls.set(r.origid, call);
    }
    if (r.direction === 'signed') {
      call.signer = { spc: r.spc, orgName: r.org_name, signedAt: r.at, x5u: r.x5u, signedHere: true };
      call.attest = r.attest;
    } else {
      call.verifications.push({ orgName: r.org_name, verstat: r.verstat, spc: r.spc, verifiedAt: r.at });
      if (!call.signer.signedHere && r.spc !== null && r.verstat === 'TN-Validation-Passed') {
        // Signed elsewhere: the SPC of a certificate that verified names the carrier.
        call.signer = { spc: r.spc, orgName: spcOwners.get(r.spc)?.orgName ?? null, signedAt: null, x5u: r.x5u, signedHere: false };
      }
    }
  }
  return [...calls.values()].slice(0, MAX_CALLS);
}

export async function traceback(ctx: AppContext, q: TracebackQuery, actor: Actor): Promise<TracebackResult> {
  await flushStir(ctx); // this node's latest calls first
  const rows = await findRows(ctx, q);
  const spcs = [...new Set(rows.filter((r) => r.direction === 'verified' && r.spc !== null).map((r) => r.spc as string))];
  const calls = group(rows, await orgsBySpc(ctx.db, spcs));
  for (const call of calls) {
    const block = holderBlockOf(ctx, `+${call.orig}`);
    call.holder = block ? { holder: block.holder, carrier: block.carrierName, spcs: [...(spcsOfCarrier(ctx, block.carrierOrgId) ?? [])] } : null;
    call.signerIsHolder = signerIsHolder(ctx, block, call.signer.spc) ?? null;
  }
  await inTransaction(ctx, async ({ audit }) => {
    await audit({
      actor: describeActor(actor),
      action: 'stir.traceback',
      subject: q.origid !== undefined ? `origid:${q.origid}` : `orig:${canonicaliseTn(q.orig ?? '')}`,
      // The called number is a subscriber's: the audit log keeps its keyed hash only.
      details: { query: { ...q, ...(q.dest !== undefined ? { dest: `hash:${ctx.hash(`+${canonicaliseTn(q.dest)}`)}` } : {}) }, calls: calls.length, signers: [...new Set(calls.map((c) => c.signer.orgName ?? c.signer.spc))] },
      at: new Date(ctx.now()).toISOString(),
    });
  });
  return { query: q, calls };
}
