// The tallies of the callers being reported now (hot callers), bounded in memory. A caller's tally
// is built once from its full evidence; reports that commit while it is being built are queued and
// added after it (adding a report the build already read changes nothing: a reporter's report of
// the same day and time is counted once). Any other change to a caller's evidence
// (a list, an appeal, a burst decision, another node's write, the hourly re-score) invalidates it.
import { TallyUnsupported } from './tally.js';
import type { CallerTally } from './tally.js';
import type { Evidence } from './types.js';

export interface TallyBuild {
  /** Reports and feedback committed while the build reads (added after it). */
  readonly pending: Evidence[];
  /** Set when the caller's evidence changed otherwise during the build: the result is not kept. */
  stale: boolean;
  readonly done: Promise<void>;
}

export class TallyCache {
  private readonly tallies = new Map<string, CallerTally>();
  private readonly builds = new Map<string, TallyBuild>();
  private held = 0;

  /** At most this many reporters and other pieces of evidence in all the tallies together. */
  constructor(private readonly maxSize = 300_000) {}

  get(id: string): CallerTally | undefined {
    const t = this.tallies.get(id);
    if (t) {
      // Least recently used goes first: re-insert at the end.
      this.tallies.delete(id);
      this.tallies.set(id, t);
    }
    return t;
  }

  building(id: string): TallyBuild | undefined {
    return this.builds.get(id);
  }

  /**
   * Builds a caller's tally with `run` (which reads its evidence); reports queued meanwhile are
   * added in one synchronous step with keeping it, so none falls between.
   */
  startBuild(id: string, run: () => Promise<CallerTally>, now: () => number): TallyBuild {
    const build: TallyBuild = {
      pending: [],
      stale: false,
      done: Promise.resolve().then(async () => {
        try {
          const tally = await run();
          if (build.stale) return;
          for (const e of build.pending) tally.add(e, now());
          this.set(id, tally);
        } catch (err) {
          if (!(err instanceof TallyUnsupported)) throw err;
        } finally {
          this.builds.delete(id);
        }
      }),
    };
    this.builds.set(id, build);
    return build;
  }

  private set(id: string, t: CallerTally): void {
    this.drop(id);
    this.tallies.set(id, t);
    this.held += t.size;
    for (const [old, ot] of this.tallies) {
      if (this.held <= this.maxSize || old === id) break;
      this.tallies.delete(old);
      this.held -= ot.size;
    }
  }

  /** Sizes change as reports are added; the bound is re-checked at the next build. */
  grew(by: number): void {
    this.held += by;
  }

  private drop(id: string): void {
    const t = this.tallies.get(id);
    if (t) {
      this.tallies.delete(id);
      this.held -= t.size;
    }
  }

  invalidate(id: string): void {
    this.drop(id);
    const b = this.builds.get(id);
    if (b) b.stale = true;
  }

  /** Drops every tally (and marks builds under way stale): a change that reaches many callers at once. */
  clear(): void {
    this.tallies.clear();
    this.held = 0;
    for (const b of this.builds.values()) b.stale = true;
  }

  entries(): IterableIterator<[string, CallerTally]> {
    return this.tallies.entries();
  }
}
