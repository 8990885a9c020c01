import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { areaState } from '../../app-context.js';
import type { AppContext } from '../../app-context.js';
import { CallshieldError } from '../../errors.js';
import { canonicaliseTn, createCertificateResolver, createHttpFetcher, updateAttestationHistory } from '../../stir/index.js';
import type { AttestationHistory, Signer, TraceRecord, VerificationResult, VerifyDependencies } from '../../stir/index.js';
import { allHistories, upsertHistories } from '../../store/stir/history.js';
import { insertTraces } from '../../store/stir/traces.js';
import type { StirAttestationHistoryTable, StirTracesTable } from '../../store/stir/schema.js';
import { outboundFetch } from '../outbound-fetch.js';
import { watchTrustAnchorFile } from './trust-anchor-watch.js';
import { inTransaction } from '../write.js';
import { listenForReplays } from './replay.js';
import { loadCarrierSpcs } from './carrier-spcs.js';

/**
 * What a running server holds for STIR/SHAKEN, once per AppContext: the verifier's dependencies
 * (x5u fetcher, certificate cache and the trust anchors read from CALLSHIELD_STIR_CA_FILE at
 * start-up), the attestation history per calling number, the carriers' signers (decrypted on first
 * use), and the traceback records and history changes waiting to be written.
 *
 * Writes are behind the answer on purpose (DESIGN.md: verifying a PASSporT never waits on the
 * database): records are queued and written together, in one transaction, a few milliseconds
 * later; a traceback query writes the queue first, so it always sees this node's latest calls.
 */
export interface StirRuntime {
  /** Undefined when CALLSHIELD_STIR_CA_FILE is not set: verification answers STIR_VERIFIER_NOT_CONFIGURED. */
  readonly verifier: VerifyDependencies | undefined;
  /** By calling number, +E.164. */
  readonly history: Map<string, AttestationHistory>;
  /** Decrypted signers by org id, each kept for SIGNER_TTL_MS so a re-configured key is picked up. */
  readonly signers: Map<string, { signer: Signer; until: number }>;
  readonly pendingTraces: StirTracesTable[];
  readonly dirtyHistory: Set<string>;
  timer: NodeJS.Timeout | undefined;
  flushing: Promise<void> | undefined;
  /** Failed writes in a row, for the retry back-off. */
  failures: number;
  /** Stops reloading CALLSHIELD_STIR_CA_FILE on change (see trust-anchor-watch.ts). */
  stopTrustAnchorWatch?: () => void;
}

export const SIGNER_TTL_MS = 60_000;
const FLUSH_DELAY_MS = 50;
// A store that stays away must not grow the queue without bound; beyond this the oldest records go.
const MAX_PENDING = 100_000;

/** The STIR area on one context: its runtime once loaded, and the load once begun. */
const STIR = areaState<{ runtime: StirRuntime | undefined; loading: Promise<StirRuntime> | undefined }>('stir', () => ({ runtime: undefined, loading: undefined }));

async function readTrustAnchors(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    throw new CallshieldError('CONFIG_INVALID', `CALLSHIELD_STIR_CA_FILE ${path} cannot be read`, { field: 'CALLSHIELD_STIR_CA_FILE', cause });
  }
}

async function buildVerifier(ctx: AppContext): Promise<{ verifier: VerifyDependencies; stopWatch: () => void } | undefined> {
  const { stirCaFile, stirAllowHttpX5u, stirCrl, stirVerify } = ctx.config;
  if (stirCaFile === undefined) return undefined;
  const trustAnchorsPem = await readTrustAnchors(stirCaFile);
  // x5u and CRL URLs come from whoever signed the call: fetched through the guard, never to a
  // private, loopback or metadata address (unless CALLSHIELD_ALLOW_PRIVATE_FETCH).
  const fetcher = createHttpFetcher({ allowHttp: stirAllowHttpX5u, fetch: outboundFetch(ctx.config) });
  try {
    const certificates = createCertificateResolver({
      fetcher,
      trustAnchorsPem,
      // ATIS-1000080 §6.3.3: a revoked certificate is refused (437). A CRL that cannot be fetched
      // or verified is tolerated in soft mode (so an STI-PA outage does not fail every call) but
      // logged; hard mode refuses the call with 437 (CALLSHIELD_STIR_CRL).
      crl: {
        fetcher,
        allowUnavailable: stirCrl === 'soft',
        onUnavailable: ({ url, reason, accepted }) => ctx.logger.warn({ url, reason, mode: stirCrl }, accepted ? 'stir CRL unavailable; calls accepted (soft)' : 'stir CRL unavailable; calls refused with 437 (hard)'),
      },
    });
    return { verifier: { offThread: stirVerify === 'pool', defaultRegion: ctx.config.defaultRegion, certificates }, stopWatch: watchTrustAnchorFile(ctx, stirCaFile, certificates) };
  } catch (cause) {
    throw new CallshieldError('CONFIG_INVALID', `CALLSHIELD_STIR_CA_FILE ${stirCaFile} holds no readable certificate`, { field: 'CALLSHIELD_STIR_CA_FILE', cause });
  }
}

function historyOfRow(r: StirAttestationHistoryTable): AttestationHistory {
  return {
    A: Number(r.a),
    B: Number(r.b),
    C: Number(r.c),
    failed: Number(r.failed),
    unsigned: Number(r.unsigned),
    notHolder: Number(r.not_holder ?? 0),
    lastSeen: r.last_seen ? Date.parse(r.last_seen) : undefined,
    lastSignedA: r.last_signed_a ? Date.parse(r.last_signed_a) : undefined,
  };
}

function rowOfHistory(number: string, h: AttestationHistory): StirAttestationHistoryTable {
  return {
    number,
    a: h.A,
    b: h.B,
    c: h.C,
    failed: h.failed,
    unsigned: h.unsigned,
    not_holder: h.notHolder ?? 0,
    last_seen: h.lastSeen === undefined ? null : new Date(h.lastSeen).toISOString(),
    last_signed_a: h.lastSignedA === undefined ? null : new Date(h.lastSignedA).toISOString(),
  };
}

/**
 * Reads the trust anchors and the stored attestation histories; the HTTP server calls it when the
 * STIR routes register, so a CALLSHIELD_STIR_CA_FILE that cannot be read fails before listening.
 */
export async function loadStirRuntime(ctx: AppContext): Promise<StirRuntime> {
  const area = ctx.area(STIR);
  if (area.runtime) return area.runtime;
  let p = area.loading;
  if (!p) {
    p = (async () => {
      const built = await buildVerifier(ctx);
      const verifier = built?.verifier;
      const history = new Map<string, AttestationHistory>();
      for await (const page of allHistories(ctx.db)) for (const r of page) history.set(r.number, historyOfRow(r));
      const rt: StirRuntime = { verifier, history, signers: new Map(), pendingTraces: [], dirtyHistory: new Set(), timer: undefined, flushing: undefined, failures: 0 };
      if (built !== undefined) rt.stopTrustAnchorWatch = built.stopWatch;
      area.runtime = rt;
      // Tokens other nodes accepted, so a replay on this node is caught too (replay.ts).
      listenForReplays(ctx);
      await loadCarrierSpcs(ctx);
      ctx.logger.info({ trustAnchors: verifier !== undefined, histories: history.size }, 'stir runtime loaded');
      return rt;
    })();
    const loading = p;
    loading.catch(() => {
      if (area.loading === loading) area.loading = undefined;
    });
    area.loading = loading;
  }
  return p;
}

/** The runtime only if it was loaded: the screening hot path never loads it. */
export function loadedStir(ctx: AppContext): StirRuntime | undefined {
  return ctx.area(STIR).runtime;
}

export function verifierOf(rt: StirRuntime): VerifyDependencies {
  if (rt.verifier === undefined) {
    throw new CallshieldError('STIR_VERIFIER_NOT_CONFIGURED', 'no STI-CA trust anchors are configured: set CALLSHIELD_STIR_CA_FILE to a PEM bundle and restart');
  }
  return rt.verifier;
}

/** A calling number as the history key (+E.164), or undefined when it is not a telephone number. */
export function historyKey(tn: string): string | undefined {
  const digits = canonicaliseTn(tn);
  return /^[0-9]{5,15}$/.test(digits) ? `+${digits}` : undefined;
}

function scheduleFlush(ctx: AppContext, rt: StirRuntime): void {
  if (rt.timer !== undefined) return;
  // While the store is away, retries back off to one every 5 s.
  const delay = Math.min(FLUSH_DELAY_MS * 2 ** rt.failures, 5000);
  rt.timer = setTimeout(() => {
    rt.timer = undefined;
    void flushStir(ctx).catch((err) => ctx.logger.warn({ err, traces: rt.pendingTraces.length }, 'stir records not written yet; will retry'));
  }, delay);
  rt.timer.unref();
}

/** Counts one verification outcome (undefined: no Identity header) for a calling number. */
export function recordOutcome(ctx: AppContext, rt: StirRuntime, number: string, result: VerificationResult | undefined, at: number): void {
  rt.history.set(number, updateAttestationHistory(rt.history.get(number), result, at));
  rt.dirtyHistory.add(number);
  scheduleFlush(ctx, rt);
}

/** Queues one traceback record; `orgId` is the signing carrier (signed) or the asking one (verified). */
export function recordTrace(ctx: AppContext, rt: StirRuntime, trace: TraceRecord, orgId: string): void {
  const at = trace.direction === 'signed' ? trace.signedAt : trace.verifiedAt;
  rt.pendingTraces.push({
    id: randomUUID(),
    origid: trace.origid,
    direction: trace.direction,
    spc: trace.spc ?? null,
    org_id: orgId,
    orig: trace.orig,
    // The called numbers are subscribers: only their keyed hashes are kept (DESIGN.md, personal data).
    dest_hashes: JSON.stringify(trace.dest.map((d) => ctx.hash(/^[0-9]+$/.test(d) ? `+${d}` : d))),
    attest: trace.attest ?? null,
    iat: String(trace.iat),
    verstat: trace.verstat ?? null,
    x5u: trace.x5u ?? null,
    at: new Date(at ?? ctx.now()).toISOString(),
  });
  if (rt.pendingTraces.length > MAX_PENDING) {
    rt.pendingTraces.splice(0, rt.pendingTraces.length - MAX_PENDING);
    ctx.logger.warn({ kept: MAX_PENDING }, 'stir traceback queue full; oldest records dropped');
  }
  scheduleFlush(ctx, rt);
}

/** Writes the queued records and history changes in one transaction (one pass at a time). */
export async function flushStir(ctx: AppContext): Promise<void> {
  const rt = ctx.area(STIR).runtime;
  if (!rt) return;
  while (rt.flushing) await rt.flushing.catch(() => undefined); // its own caller hears of its failure
  if (rt.pendingTraces.length === 0 && rt.dirtyHistory.size === 0) return;
  const traces = rt.pendingTraces.splice(0);
  const numbers = [...rt.dirtyHistory];
  rt.dirtyHistory.clear();
  const histories = numbers.flatMap((n) => {
    const h = rt.history.get(n);
    return h ? [rowOfHistory(n, h)] : [];
  });
  rt.flushing = (async () => {
    try {
      await inTransaction(ctx, async ({ db }) => {
        await insertTraces(db, traces);
        await upsertHistories(db, histories);
      });
      rt.failures = 0;
    } catch (err) {
      rt.failures = Math.min(rt.failures + 1, 10);
      // Put them back in front so nothing is lost while the store is away.
      rt.pendingTraces.unshift(...traces);
      for (const n of numbers) rt.dirtyHistory.add(n);
      scheduleFlush(ctx, rt);
      throw err;
    } finally {
      rt.flushing = undefined;
    }
  })();
  return rt.flushing;
}

/** Stops the flush timer and writes what is queued (the server calls it on close). */
export async function closeStirRuntime(ctx: AppContext): Promise<void> {
  const rt = ctx.area(STIR).runtime;
  if (!rt) return;
  rt.stopTrustAnchorWatch?.();
  if (rt.timer) clearTimeout(rt.timer);
  rt.timer = undefined;
  await flushStir(ctx).catch((err) => ctx.logger.error({ err, traces: rt.pendingTraces.length }, 'stir records could not be written on close'));
}
