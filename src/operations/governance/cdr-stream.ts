import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { JsMsg } from '@nats-io/jetstream';
import type { AppContext } from '../../app-context.js';
import { CdrAnalyser, forEachLatin1Line } from '../../governance/index.js';
import type { PatternFlag } from '../../governance/index.js';
import { cdrStreamParts, cdrStreamTraces, claimCdrStream, ensureCdrStream, getCdrStream, listCdrStreams, packCdrCheckpoint, releaseCdrStream, saveCdrCheckpoint, upsertStreamPatterns } from '../../store/governance/cdr-streams.js';
import type { CdrCheckpoint } from '../../store/governance/cdr-streams.js';
import type { GovernancePatternsTable } from '../../store/governance/schema.js';
import { analyserOptions } from './cdr.js';
import { loadGovernance } from './state.js';
import { inTransaction } from '../write.js';
import { honeypotMatcher, hitRows, storeHits } from '../campaigns/honeypots.js';
import { groupCampaigns, StreamTraceCollector } from '../../campaigns/index.js';
import type { CampaignGroup } from '../../campaigns/index.js';
import { mergeCampaignGroups } from '../campaigns/campaigns.js';
import { cdrStreamNames, checkSubject, connectNats, ensureStream } from './cdr-nats.js';

// Call records streamed over NATS JetStream (issue 15). `callshield cdr publish FILE` cuts a
// call-record file into messages of whole lines (each with the file's header line, so every message
// reads alone); `callshield serve --cdr-nats URL --cdr-subject SUBJECT` pulls them through a durable
// consumer into the same CdrAnalyser `import cdr` uses. Every CALLSHIELD_CDR_CHECKPOINT_MS the
// consumer commits, in one transaction, the analyser's counters, the stream sequences it analysed
// and the flags that changed (CALL_PATTERN evidence), and only then acknowledges the messages:
// delivery is at least once, counting exactly once (a redelivered sequence is acknowledged and
// skipped). A killed node resumes from its last checkpoint; on PostgreSQL the nodes share the durable
// consumer and a lease in the database, so one node analyses at a time (a caller's hourly window
// needs all of its records, in order) and another takes over when its lease runs out.
//
// Campaigns: the analyser hands every record to a StreamTraceCollector (the traces `import cdr`
// groups, minus the callers that can no longer be in a campaign), whose state goes into the same
// checkpoint transaction. After each checkpoint the consumer groups the traces and merges the
// groups that changed since the last grouping (mergeCampaignGroups, as the import does), so a
// campaign shows in GET /v1/campaigns, and a new number joining one gets the CAMPAIGN reason,
// a checkpoint interval after its eighth call. A node that resumes or takes the lease over
// restores the traces with the counters: the grouping sees every record of the stream, whichever
// node analysed it (one node analyses at a time, see the lease above).

const FETCH_MESSAGES = 64;
/**
 * Whether the node has just caught up with a real backlog: nothing left on the stream for it nor
 * in the client's buffer, after a backlog of at least a fetch's worth of messages since the last
 * checkpoint (a node resuming, a file published at once). Then it commits at once, so the flags of
 * everything it caught up on show without waiting for the quiet timer (250 ms without a message);
 * a live stream at its head, where a few messages come and go, keeps the usual cadence. At most
 * every twice the last checkpoint's cost, as the quiet rule, so checkpoints stay under a third of
 * the time.
 */
export function caughtUp(o: { streamPending: number; buffered: number; peakBacklog: number; sinceCheckpointMs: number; checkpointCostMs: number }): boolean {
  return o.streamPending === 0 && o.buffered === 0 && o.peakBacklog >= FETCH_MESSAGES && o.sinceCheckpointMs >= 2 * o.checkpointCostMs;
}

/** In a backlog, checkpoints are spaced by this many times their cost (at most a tenth of the time). */
const BACKLOG_SPACING = 10;
/**
 * What a checkpoint costs per caller the analyser holds, until one was measured: a base checkpoint
 * of 66,000 callers took 450-600 ms (flags, snapshot, compression, the write; BENCHMARKS.md,
 * "Seventh session"). Without it the first checkpoint of a backlog came after
 * CALLSHIELD_CDR_CHECKPOINT_MS alone and took a fifth of catching up on 2,000,000 records.
 */
const ESTIMATED_CHECKPOINT_MS_PER_CALLER = 0.008;

/**
 * How long after the last checkpoint the next one is due: in a backlog BACKLOG_SPACING times a
 * checkpoint's cost (its last measured cost, or the estimate from the callers held before any was
 * measured), at least the configured interval and at most a third of the ack wait; at the head of
 * the stream the configured interval or four times the cost, whichever is longer.
 */
export function checkpointSpacingMs(o: { backlog: number; checkpointMs: number; ackWaitMs: number; lastCostMs: number; callers: number }): number {
  const cost = o.lastCostMs > 0 ? o.lastCostMs : o.callers * ESTIMATED_CHECKPOINT_MS_PER_CALLER;
  return o.backlog > 0 ? Math.min(o.ackWaitMs / 3, Math.max(o.checkpointMs, BACKLOG_SPACING * cost)) : Math.max(o.checkpointMs, 4 * cost);
}
/** Beyond this many out-of-order sequences the oldest are folded into the watermark (gaps of other subjects). */
const MAX_APPLIED = 50_000;
/** Backoff between NATS sessions the client could not recover by itself: 0.5 s doubling to 30 s. */
const RECONNECT_FIRST_MS = 500;
const RECONNECT_MAX_MS = 30_000;

/** A consumer's link to NATS as this node sees it (GET /v1/cdr/streams, /readyz). */
export interface CdrConnectionState {
  state: 'connecting' | 'connected' | 'reconnecting' | 'stopped';
  lastError: string | null;
  lastErrorAt: string | null;
  /** Connections lost since this node started consuming. */
  disconnects: number;
}

// Per application context (tests and benchmarks run several in one process): durable → state.
const connectionStates = new WeakMap<AppContext, Map<string, CdrConnectionState>>();

/** This node's consumers and their NATS link. */
export function cdrConnectionStates(ctx: AppContext): ReadonlyMap<string, CdrConnectionState> {
  return connectionStates.get(ctx) ?? new Map();
}

export interface CdrStreamView {
  name: string;
  stream: string;
  subject: string;
  owner: string | null;
  leaseUntil: string | null;
  lastSequence: number;
  messages: number;
  rows: number;
  malformed: number;
  callers: number;
  flagged: number;
  /** This node's link to NATS for the stream (null when this node does not consume it). */
  connection: CdrConnectionState | null;
  createdAt: string;
  updatedAt: string;
}

/** GET /v1/cdr/streams: every consumer's progress as of its last checkpoint. */
export async function listStreams(ctx: AppContext): Promise<CdrStreamView[]> {
  const rows = await listCdrStreams(ctx.db);
  return rows.map((r) => ({
    name: r.name,
    stream: r.stream,
    subject: r.subject,
    owner: r.owner,
    leaseUntil: r.leaseUntil,
    lastSequence: r.applied.length ? Math.max(r.watermark, ...r.applied) : r.watermark,
    messages: r.messages,
    rows: r.rows,
    malformed: r.malformed,
    callers: r.callers,
    flagged: r.flagged,
    connection: cdrConnectionStates(ctx).get(r.name) ?? null,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  }));
}

export interface CdrStreamConsumer {
  readonly name: string;
  /** Resolves once the consumer is bound (stream, durable consumer and database row exist). */
  readonly ready: Promise<void>;
  stop(): Promise<void>;
}

export interface CdrConsumerOptions {
  url: string;
  subject: string;
  utcOffsetMinutes?: number;
  /** This node's name in the lease (default host:pid:random). */
  node?: string;
  /** Group campaigns in the stream (default true; the benchmark turns it off to compare with an import without grouping). */
  campaigns?: boolean;
}

/** The sequences already analysed: all up to `watermark`, and `applied` beyond it. */
class AppliedSet {
  private readonly beyond: Set<number>;
  constructor(
    public watermark: number,
    applied: readonly number[],
  ) {
    this.beyond = new Set(applied);
  }
  has(seq: number): boolean {
    return seq <= this.watermark || this.beyond.has(seq);
  }
  add(seq: number): void {
    this.beyond.add(seq);
    while (this.beyond.has(this.watermark + 1)) this.beyond.delete(++this.watermark);
    if (this.beyond.size > MAX_APPLIED) {
      const sorted = [...this.beyond].sort((a, b) => a - b);
      for (const s of sorted.slice(0, sorted.length - MAX_APPLIED / 2)) this.beyond.delete(s);
      this.watermark = sorted[sorted.length - MAX_APPLIED / 2 - 1]!;
    }
  }
  list(): number[] {
    return [...this.beyond].sort((a, b) => a - b);
  }
}

/** `serve --cdr-nats URL --cdr-subject SUBJECT`: runs until stop(). */
export function startCdrStreamConsumer(ctx: AppContext, opts: CdrConsumerOptions): CdrStreamConsumer {
  checkSubject(opts.subject, 'cdr-subject');
  const { stream: streamName, durable } = cdrStreamNames(opts.subject);
  const importId = `stream:${durable}`;
  const node = opts.node ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const leaseMs = ctx.config.cdrLeaseSeconds * 1000;
  const checkpointMs = ctx.config.cdrCheckpointMs;
  const grouping = opts.campaigns !== false;
  const log = ctx.logger.child({ cdrStream: durable, node });
  let running = true;
  let nc: NatsConnection | undefined;
  let bound = false;
  const conn: CdrConnectionState = { state: 'connecting', lastError: null, lastErrorAt: null, disconnects: 0 };
  let states = connectionStates.get(ctx);
  if (!states) connectionStates.set(ctx, (states = new Map()));
  states.set(durable, conn);
  const noteError = (err: unknown): void => {
    conn.lastError = err instanceof Error ? err.message : String(err);
    conn.lastErrorAt = new Date(ctx.now()).toISOString();
  };
  const watchConnection = (c: NatsConnection): void => {
    void (async () => {
      for await (const st of c.status()) {
        if (c !== nc) break;
        if (st.type === 'disconnect') {
          conn.state = 'reconnecting';
          conn.disconnects++;
          noteError(`disconnected from ${st.server}`);
          log.warn({ server: st.server }, 'call-record stream: NATS connection lost, reconnecting');
        } else if (st.type === 'reconnect') {
          conn.state = 'connected';
          log.info({ server: st.server }, 'call-record stream: NATS connection back');
        } else if (st.type === 'error') noteError(st.error);
      }
    })().catch(() => undefined);
  };
  // An ack or nak on a connection that is gone throws; the message then comes again after the ack
  // wait, and a counted one is skipped.
  const settle = (ms: readonly JsMsg[], how: 'ack' | 'nak'): void => {
    for (const m of ms) {
      try {
        if (how === 'ack') m.ack();
        else m.nak();
      } catch {
        // see above
      }
    }
  };
  let readyResolve!: () => void;
  let readyReject!: (err: unknown) => void;
  const ready = new Promise<void>((res, rej) => {
    readyResolve = res;
    readyReject = rej;
  });
  ready.catch(() => undefined);
  let wake: (() => void) | null = null;
  let current: { stop(): void } | null = null;
  const sleep = (ms: number): Promise<void> =>
    new Promise((r) => {
      const t = setTimeout(() => {
        wake = null;
        r();
      }, ms);
      wake = () => {
        clearTimeout(t);
        wake = null;
        r();
      };
    });

  // The state this node holds while it has the lease.
  // `flags`: the flagged callers as of the last checkpoint (caller → pattern|origin). `base`: the
  // size of the stream's base snapshot (0: none yet); `deltaBytes` and `seq`: the deltas written since.
  // `traces`: the campaign collector; `merged`: the signatures of the groups stored by the last grouping.
  let leader: { a: CdrAnalyser; traces: StreamTraceCollector; merged: Set<string>; applied: AppliedSet; messages: number; flags: Map<string, string>; pending: JsMsg[]; lastCheckpoint: number; base: number; deltaBytes: number; seq: number } | null = null;
  let options: ConstructorParameters<typeof CdrAnalyser>[0];

  const leaseUntil = (): string => new Date(ctx.now() + leaseMs).toISOString();

  const takeLead = async (): Promise<boolean> => {
    const now = new Date(ctx.now()).toISOString();
    if (!(await claimCdrStream(ctx.db, durable, node, now, leaseUntil()))) return false;
    const row = await getCdrStream(ctx.db, durable);
    if (!row) return false;
    // The base snapshot (or, from before migration 0026, the row's own), then the deltas in order.
    const parts = await cdrStreamParts(ctx.db, durable);
    const base = parts[0]?.part === 0 ? parts.shift()!.data : row.snapshot;
    // The collector learns from the analyser's caller count whether a record's caller is new.
    let traces: StreamTraceCollector | undefined;
    const withTraces = !grouping ? options : { ...options, onRecord: (caller: number, callee: number, at: number) => traces!.record(caller, callee, at, a.callers) };
    const a = base ? CdrAnalyser.restore(base, withTraces) : new CdrAnalyser(withTraces);
    let deltaBytes = 0;
    for (const d of parts) {
      a.applyDelta(d.data);
      deltaBytes += d.data.byteLength;
    }
    a.trackChanges();
    const savedTraces = await cdrStreamTraces(ctx.db, durable);
    try {
      traces = savedTraces ? StreamTraceCollector.restore(savedTraces, a.callers) : StreamTraceCollector.startingAt(a.callers);
    } catch (err) {
      // Never expected (both are written in one transaction); grouping then starts from the callers to come.
      log.error({ err }, 'call-record stream: campaign traces unreadable, collecting anew');
      traces = StreamTraceCollector.startingAt(a.callers);
    }
    const flags = new Map(a.flags().map((f) => [f.caller, `${f.pattern}|${f.origin}`]));
    // A legacy base (in the row) counts as none: the first checkpoint writes part 0.
    const baseBytes = base && base !== row.snapshot ? base.byteLength : 0;
    leader = { a, traces, merged: new Set(), applied: new AppliedSet(row.watermark, row.applied), messages: row.messages, flags, pending: [], lastCheckpoint: Date.now(), base: baseBytes, deltaBytes, seq: parts.length ? parts.at(-1)!.part + 1 : 1 };
    log.info({ watermark: row.watermark, rows: row.rows }, 'call-record stream: this node analyses it');
    return true;
  };

  const apply = (l: NonNullable<typeof leader>, m: JsMsg): void => {
    l.pending.push(m);
    if (l.applied.has(m.seq)) return; // redelivered after a checkpoint: already counted
    let lineNo = Number(m.headers?.get('Cdr-Line') ?? '1') || 1;
    l.a.expectHeader();
    let firstLine = true;
    const visit = (line: string): void => {
      if (firstLine) {
        firstLine = false;
        // The message's copy of the file header is line 1 of the file; the records follow at Cdr-Line.
        if (/(^|,)\s*caller\s*(,|$)/i.test(line)) {
          try {
            l.a.addLine(line, 1);
          } catch {
            // A header without the required columns: its lines are reported one by one below.
            l.a.expectHeader();
          }
          return;
        }
      }
      l.a.addLine(line, lineNo++);
    };
    forEachLatin1Line(m.data, visit);
    l.applied.add(m.seq);
    l.messages++;
  };

  // Another node holds the lease now: what this one analysed since its checkpoint is not counted
  // (it goes back to the stream for the new holder).
  const loseLead = (l: NonNullable<typeof leader>): void => {
    settle(l.pending, 'nak');
    leader = null;
    log.warn('call-record stream: lease lost, standing by');
    current?.stop();
  };

  // One checkpoint or lease renewal at a time; the message loop waits for it before the next message.
  let busy: Promise<void> | null = null;
  const exclusive = (work: () => Promise<void>): Promise<void> => {
    const p = work()
      .catch((err) => log.error({ err }, 'call-record stream: checkpoint failed'))
      .finally(() => {
        if (busy === p) busy = null;
      });
    busy = p;
    return p;
  };

  // A checkpoint writes the callers changed since the last one (a delta), or a new base snapshot of
  // every caller once the deltas together outgrow the last base (so a resume reads at most about
  // twice the counters). It is still not free on a busy stream, where most callers change between
  // two checkpoints: the next one comes after CALLSHIELD_CDR_CHECKPOINT_MS or four times the last
  // one's cost, whichever is longer (at most a fifth of the time goes to checkpoints).
  //
  // In a backlog (a node catching up, or a carrier's export faster than the analysis: JetStream
  // says how many messages wait behind each one) the records are already old, and what counts is
  // getting through them: checkpoints then come after BACKLOG_SPACING times their cost, up to a
  // third of the ack wait (so no message is redelivered meanwhile). At the head of the stream the
  // usual cadence holds, and flags and campaigns show a checkpoint interval after their records.
  let checkpointCost = 0;
  let backlog = 0;
  /** The largest backlog since the last checkpoint (caughtUp). */
  let peakBacklog = 0;
  const ackWaitMs = Math.max(30_000, 2 * checkpointMs + 10_000);
  const checkpointDue = (l: NonNullable<typeof leader>): boolean => {
    return Date.now() - l.lastCheckpoint >= checkpointSpacingMs({ backlog, checkpointMs, ackWaitMs, lastCostMs: checkpointCost, callers: l.a.callers });
  };
  const checkpoint = async (l: NonNullable<typeof leader>): Promise<void> => {
    const t0 = performance.now();
    peakBacklog = backlog;
    const slots = l.a.changedSlots();
    try {
      await checkpointOnce(l, slots);
      if (leader === l) await groupTraces(l);
    } catch (err) {
      l.a.markChanged(slots); // not written: the next checkpoint writes them
      throw err;
    } finally {
      checkpointCost = performance.now() - t0;
    }
  };

  // Campaign grouping after a checkpoint, when a trace it reads changed: in memory over the kept
  // brief callers (hundreds to thousands, milliseconds), then only the groups that changed are
  // merged into the store. Tied to the checkpoints because they are what a resumed node starts
  // from, and a rotating number lives tens of minutes: a checkpoint interval (2 s) is soon enough.
  const signature = (g: CampaignGroup): string => `${g.members.join(',')}|${g.firstSeen}|${g.lastSeen}|${g.evidence.map((e) => `${e.kind}:${e.count}`).join(',')}`;
  const groupTraces = async (l: NonNullable<typeof leader>): Promise<void> => {
    if (!grouping || !l.traces.takeChanged()) return;
    const groups = groupCampaigns(l.traces.traces());
    const sigs = new Set(groups.map(signature));
    const changed = groups.filter((g) => !l.merged.has(signature(g)));
    try {
      if (changed.length) await mergeCampaignGroups(ctx, changed, `cdr-stream:${opts.subject}`);
      l.merged = sigs;
    } catch (err) {
      l.traces.markChanged(); // grouped again after the next checkpoint
      log.error({ err }, 'call-record stream: storing campaigns failed');
    }
  };
  const checkpointOnce = async (l: NonNullable<typeof leader>, slots: readonly number[]): Promise<void> => {
    const at = new Date(ctx.now()).toISOString();
    const changed: GovernancePatternsTable[] = [];
    // Only a changed caller's flag can have changed.
    const next = new Map(l.flags);
    for (const s of slots) {
      const f = l.a.flagOf(s);
      if (!f) {
        // A caller's shares can move back under a threshold: it no longer counts as flagged (its
        // pattern row stays, as before incremental checkpoints).
        next.delete(l.a.callerAt(s));
        continue;
      }
      const key = `${f.pattern}|${f.origin}`;
      if (next.get(f.caller) === key) continue;
      next.set(f.caller, key);
      changed.push({
        id: `${importId}:${f.caller}`,
        identifier: f.caller,
        category: f.category,
        pattern: f.pattern,
        origin: f.origin,
        features: JSON.stringify(f.features),
        import_id: importId,
        at: new Date(Math.min(f.features.lastAt, ctx.now())).toISOString(),
        created_at: at,
      });
    }
    // When most callers changed (a busy stream of few callers), a base costs less than a delta of
    // nearly everything and keeps the resume short.
    const delta = l.base && slots.length <= l.a.callers / 2 ? l.a.delta(slots) : null;
    const state: CdrCheckpoint['state'] = delta && l.deltaBytes + delta.byteLength <= l.base ? { delta, seq: l.seq } : { base: l.a.snapshot() };
    const hits = hitRows(ctx, l.a.drainHoneypotHits(), 'cdr');
    if (grouping) l.traces.sweep();
    const traces = grouping ? l.traces.snapshot() : undefined;
    let hitCallers: string[] = [];
    // Packed before the transaction (off the event loop, and not while holding SQLite's writer).
    const checkpointRow = await packCdrCheckpoint({
      leaseUntil: leaseUntil(),
      watermark: l.applied.watermark,
      applied: l.applied.list(),
      messages: l.messages,
      rows: l.a.rows,
      malformed: l.a.malformed,
      callers: l.a.callers,
      flagged: next.size,
      state,
      ...(traces ? { traces } : {}),
      at,
    });
    const ok = await inTransaction(ctx, async ({ db, audit, publish }) => {
      const saved = await saveCdrCheckpoint(db, durable, node, checkpointRow);
      if (!saved) return false;
      hitCallers = await storeHits(db, hits);
      publish('reputation', hitCallers);
      if (changed.length) {
        await upsertStreamPatterns(db, changed);
        await audit({ actor: `cdr-stream:${node}`, action: 'cdr.stream.flags', subject: `cdr-stream:${durable}`, details: { subject: opts.subject, rows: l.a.rows, flagged: next.size, changed: changed.map((c) => c.identifier).slice(0, 100) }, at });
        publish('reputation', changed.map((c) => c.identifier));
      }
      return true;
    });
    if (!ok) {
      loseLead(l);
      return;
    }
    settle(l.pending, 'ack');
    l.pending = [];
    l.flags = next;
    if ('base' in state) {
      l.base = state.base.byteLength;
      l.deltaBytes = 0;
    } else {
      l.deltaBytes += state.delta.byteLength;
      l.seq++;
    }
    l.lastCheckpoint = Date.now();
    // The acks leave with the client's next write; a lost one only means a redelivery, which is skipped.
    const touched = [...new Set([...changed.map((c) => c.identifier), ...hitCallers])];
    if (touched.length) await ctx.refreshReputation(touched, { publish: false });
  };

  // One session: a connection (which reconnects by itself, without limit), the stream and the
  // durable consumer bound, then messages until stop() or an error the client cannot recover from.
  const session = async (): Promise<void> => {
    nc = await connectNats(opts.url, 'cdr-nats', `callshield serve ${node}`, { reconnect: true });
    watchConnection(nc);
    const jsm = await jetstreamManager(nc);
    await ensureStream(jsm, opts.subject);
    try {
      await jsm.consumers.info(streamName, durable);
    } catch {
      try {
        await jsm.consumers.add(streamName, {
          durable_name: durable,
          ack_policy: AckPolicy.Explicit,
          deliver_policy: DeliverPolicy.All,
          filter_subject: opts.subject,
          ack_wait: ackWaitMs * 1_000_000,
          max_ack_pending: 20_000,
        });
      } catch (err) {
        await jsm.consumers.info(streamName, durable).catch(() => {
          throw err;
        });
      }
    }
    if (!bound) {
      await ensureCdrStream(ctx.db, durable, streamName, opts.subject, new Date(ctx.now()).toISOString());
      options = analyserOptions(ctx, await loadGovernance(ctx), opts.utcOffsetMinutes === undefined ? {} : { utcOffsetMinutes: opts.utcOffsetMinutes }, await honeypotMatcher(ctx, true));
    }
    const consumer = await jetstream(nc).consumers.get(streamName, durable);
    conn.state = 'connected';
    if (!bound) {
      bound = true;
      readyResolve();
    }
    let lastRenew = 0;
    let lastMessageAt = 0;
    while (running) {
      if (!leader) {
        if (!(await takeLead().catch((err) => (log.error({ err }, 'call-record stream: lease check failed'), false)))) {
          await sleep(Math.max(200, leaseMs / 4));
          continue;
        }
        lastRenew = Date.now();
      }
      // A continuous pull while this node holds the lease (a standby pulls nothing, so every
      // message goes to the node that analyses). While NATS is away the client reconnects and
      // pulls again; checkpoints and the lease go on meanwhile (they need only the database).
      const msgs = await consumer.consume({ max_messages: FETCH_MESSAGES });
      current = msgs;
      const timer = setInterval(() => {
        const l = leader;
        if (!l || busy) return;
        // The stream went quiet (250 ms without a message): commit now, so that at the end of a
        // burst its flags show at once. No record waits for this checkpoint unless the stream
        // resumes meanwhile, and then for one checkpoint at most; twice its cost since the last one
        // keeps checkpoints to a third of the time however the stream stops and starts.
        const idle = Date.now() - lastMessageAt >= 250 && Date.now() - l.lastCheckpoint >= 2 * checkpointCost;
        if (l.pending.length && (idle || checkpointDue(l))) {
          void exclusive(async () => {
            await checkpoint(l);
            lastRenew = Date.now();
          });
        } else if (Date.now() - lastRenew >= leaseMs / 3) {
          void exclusive(async () => {
            lastRenew = Date.now();
            if (!(await claimCdrStream(ctx.db, durable, node, new Date(ctx.now()).toISOString(), leaseUntil()))) loseLead(l);
          });
        }
      }, 50);
      try {
        for await (const m of msgs) {
          if (busy) await busy;
          const l = leader;
          if (!l || !running) {
            settle([m], 'nak');
            continue;
          }
          apply(l, m);
          backlog = m.info.pending;
          peakBacklog = Math.max(peakBacklog, backlog);
          lastMessageAt = Date.now();
          const atHead = caughtUp({ streamPending: backlog, buffered: msgs.getPending(), peakBacklog, sinceCheckpointMs: Date.now() - l.lastCheckpoint, checkpointCostMs: checkpointCost });
          if (atHead || checkpointDue(l)) {
            await exclusive(async () => {
              await checkpoint(l);
              lastRenew = Date.now();
            });
          }
          if (!leader) msgs.stop();
        }
      } finally {
        clearInterval(timer);
        current = null;
      }
      if (busy) await busy;
    }
  };

  const run = async (): Promise<void> => {
    let failures = 0;
    while (running) {
      try {
        await session();
      } catch (err) {
        if (!bound) {
          // The first bind failed (NATS unreachable, a bad subject): serve reports it and exits.
          conn.state = 'stopped';
          readyReject(err);
          throw err;
        }
        if (!running) break;
        // Anything the client did not recover from by itself: a new connection after a backoff,
        // resuming from the durable consumer. What this node analysed stays in memory (its lease
        // permitting) and goes into the next checkpoint; the acks of the old connection are lost,
        // so those messages come again after the ack wait and are skipped as already counted.
        failures++;
        const wait = Math.min(RECONNECT_MAX_MS, RECONNECT_FIRST_MS * 2 ** Math.min(failures - 1, 10));
        conn.state = 'reconnecting';
        noteError(err);
        log.warn({ err, retryInMs: wait }, 'call-record stream: NATS session failed, reconnecting');
        const old = nc;
        nc = undefined;
        await old?.close().catch(() => undefined);
        if (busy) await busy;
        await sleep(wait);
        continue;
      }
      failures = 0;
    }
    if (leader) {
      const l: NonNullable<typeof leader> = leader;
      if (l.pending.length) await checkpoint(l).catch((err) => log.error({ err }, 'call-record stream: last checkpoint failed'));
      if (leader) await releaseCdrStream(ctx.db, durable, node).catch(() => undefined);
    }
    conn.state = 'stopped';
  };
  const done = run();
  done.catch(() => undefined);
  return {
    name: durable,
    ready,
    async stop() {
      running = false;
      (wake as (() => void) | null)?.();
      (current as { stop(): void } | null)?.stop();
      await done.catch(() => undefined);
      await nc?.drain().catch(() => undefined);
    },
  };
}
