import { BRIEF_MAX_CALLS, BRIEF_MIN_CALLS, BRIEF_SPAN_MS } from './group.js';
import type { CallerTrace } from './group.js';

// The campaign collector of a call-record stream (issue 15). It keeps the same traces as
// CampaignCollector (so grouping sees what `import cdr` would), but a stream of millions of
// callers never ends, so it forgets every caller that can no longer be in a campaign:
// - a caller past BRIEF_MAX_CALLS calls or active for more than BRIEF_SPAN_MS: at once;
// - a caller with fewer than BRIEF_MIN_CALLS calls once the stream's clock is past its first call
//   + BRIEF_SPAN_MS + LATE_MS (any later call would make it too long-lived);
// - a briefly used caller (a possible campaign number) RETAIN_MS of stream time after its last
//   call, or when more than MAX_RETAINED of them are kept (the oldest first).
// What is kept: the callers first seen in the last 2.5 hours of stream time with at most 64
// callees each, and the retained brief callers (at most MAX_RETAINED). A forgotten caller costs
// nothing: the analyser's caller count says whether a record's caller is new, and a caller that
// is not new and not kept was forgotten (its later calls are not collected; in `import cdr` they
// would make its trace too long-lived or too busy anyway).

/** Records up to this late (by the stream's clock) still count in a caller's first two hours. */
export const LATE_MS = 30 * 60_000;
/** How long (stream time) a briefly used number stays available for grouping after its last call. */
export const RETAIN_MS = 7 * 86_400_000;
export const MAX_RETAINED = 100_000;
const VERSION = 1;

interface Entry {
  calls: number;
  firstAt: number;
  lastAt: number;
  neighbour: number;
  callees: number[];
}

export class StreamTraceCollector {
  private readonly by = new Map<number, Entry>();
  /** The latest record time seen (the stream's clock). */
  private clock = -Infinity;
  /** The analyser's caller count after the last record: a record that raises it brings a new caller. */
  private known = 0;
  /** Something grouping reads changed since the last takeChanged(). */
  private changed = false;

  /** One call; `callersSeen`: the analyser's number of distinct callers including this call's. */
  record(caller: number, callee: number, at: number, callersSeen: number): void {
    let e = this.by.get(caller);
    if (!e) {
      if (callersSeen === this.known) return; // seen before and forgotten
      this.by.set(caller, (e = { calls: 0, firstAt: at, lastAt: at, neighbour: 0, callees: [] }));
    }
    this.known = callersSeen;
    if (at > this.clock) this.clock = at;
    e.calls++;
    if (at < e.firstAt) e.firstAt = at;
    if (at > e.lastAt) e.lastAt = at;
    if (Math.floor(caller / 10_000) === Math.floor(callee / 10_000)) e.neighbour++;
    if (e.calls > BRIEF_MAX_CALLS || e.lastAt - e.firstAt > BRIEF_SPAN_MS) {
      if (e.calls - 1 >= BRIEF_MIN_CALLS) this.changed = true;
      this.by.delete(caller);
      return;
    }
    e.callees.push(callee);
    if (e.calls >= BRIEF_MIN_CALLS) this.changed = true;
  }

  /** Forgets the callers that can no longer be in a campaign (see above); returns how many. */
  sweep(): number {
    const closed = this.clock - BRIEF_SPAN_MS - LATE_MS;
    const stale = this.clock - RETAIN_MS;
    let dropped = 0;
    const brief: [number, number][] = [];
    for (const [caller, e] of this.by) {
      if (e.firstAt >= closed) continue;
      if (e.calls < BRIEF_MIN_CALLS || e.lastAt < stale) {
        if (e.calls >= BRIEF_MIN_CALLS) this.changed = true;
        this.by.delete(caller);
        dropped++;
      } else brief.push([caller, e.lastAt]);
    }
    if (brief.length > MAX_RETAINED) {
      brief.sort((a, b) => a[1] - b[1]);
      for (const [caller] of brief.slice(0, brief.length - MAX_RETAINED)) this.by.delete(caller);
      dropped += brief.length - MAX_RETAINED;
      this.changed = true;
    }
    return dropped;
  }

  /** Callers kept (for the memory bound). */
  get size(): number {
    return this.by.size;
  }

  /** Whether grouping's input changed since the last call. */
  takeChanged(): boolean {
    const c = this.changed;
    this.changed = false;
    return c;
  }

  /** Grouping's input counts as changed (a grouping that could not be stored is tried again). */
  markChanged(): void {
    this.changed = true;
  }

  /** The briefly used callers (the same rule as CampaignCollector.traces). */
  traces(): CallerTrace[] {
    const out: CallerTrace[] = [];
    for (const [caller, e] of this.by) {
      if (e.calls < BRIEF_MIN_CALLS) continue;
      out.push({ caller, calls: e.calls, firstAt: e.firstAt, lastAt: e.lastAt, callees: e.callees, neighbourCalls: e.neighbour });
    }
    return out;
  }

  /** Everything as bytes, for the stream's checkpoint. */
  snapshot(): Uint8Array {
    let size = 4;
    for (const e of this.by.values()) size += 6 + e.callees.length;
    const f = new Float64Array(size);
    f[0] = VERSION;
    f[1] = this.clock;
    f[2] = this.known;
    f[3] = this.by.size;
    let o = 4;
    for (const [caller, e] of this.by) {
      f[o++] = caller;
      f[o++] = e.calls;
      f[o++] = e.firstAt;
      f[o++] = e.lastAt;
      f[o++] = e.neighbour;
      f[o++] = e.callees.length;
      for (const c of e.callees) f[o++] = c;
    }
    return new Uint8Array(f.buffer);
  }

  /** A collector holding what snapshot() wrote; `callers`: the restored analyser's caller count (the check that both come from one checkpoint). */
  static restore(bytes: Uint8Array, callers: number): StreamTraceCollector {
    const f = new Float64Array(Uint8Array.prototype.slice.call(bytes).buffer);
    if (f[0] !== VERSION) throw new Error(`unknown campaign trace snapshot version ${f[0]}`);
    const c = new StreamTraceCollector();
    c.clock = f[1]!;
    c.known = f[2]!;
    if (c.known !== callers) throw new Error(`the campaign traces (${c.known} callers) and the analyser (${callers}) come from different checkpoints`);
    let o = 4;
    for (let i = 0; i < f[3]!; i++) {
      const caller = f[o++]!;
      const e: Entry = { calls: f[o++]!, firstAt: f[o++]!, lastAt: f[o++]!, neighbour: f[o++]!, callees: [] };
      const n = f[o++]!;
      for (let k = 0; k < n; k++) e.callees.push(f[o++]!);
      c.by.set(caller, e);
    }
    c.changed = true;
    return c;
  }

  /**
   * A collector for a stream whose checkpoints hold no traces (written before campaign grouping in
   * the stream): the callers the analyser already knows are treated as forgotten.
   */
  static startingAt(callers: number): StreamTraceCollector {
    const c = new StreamTraceCollector();
    c.known = callers;
    return c;
  }
}
