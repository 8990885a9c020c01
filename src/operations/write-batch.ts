// Group commit for the hot writes (a transfer check, a report). A bank's payment path sends many
// checks at once, and a number in a scam campaign gets many reports at once; with one transaction
// each, SQLite's single writer (and PostgreSQL's commit flush) serialises them and the queue, not
// the work, sets the rate and the p99. Here the writes that arrive while a transaction is committing
// wait and go together in the next one. If a batch fails, each of its writes is retried alone, so
// one bad write cannot take the others down and nothing is half-written: each write is still all
// or nothing from its client's view.
import { areaState } from '../app-context.js';
import type { AppContext } from '../app-context.js';
import type { WriteScope } from './write.js';
import { inTransaction } from './write.js';

const MAX_BATCH = 256;

/**
 * Writes of one kind that are cheaper together than one by one (on PostgreSQL, one round trip for
 * many rows instead of one each): consecutive queued writes of the same group are handed over at once.
 */
export interface WriteGroup<I, O> {
  /** Writes the inputs in order in `scope`'s transaction; one output per input. */
  runMany(ctx: AppContext, scope: WriteScope, inputs: I[]): Promise<O[]>;
  /**
   * Optional, PostgreSQL: writes what it can of the inputs in one statement that is its own
   * transaction (with its change-log entries), skipping BEGIN and COMMIT, each a round trip. It
   * may run beside a transaction of other writes, so write here only what needs no order with them.
   * One output per input, undefined for an input it did not write (those go through runMany in a
   * transaction as usual). On an error nothing was written.
   */
  writeAlone?(ctx: AppContext, inputs: I[]): Promise<(O | undefined)[]>;
}

interface Job {
  run?: (scope: WriteScope) => Promise<unknown>;
  group?: WriteGroup<unknown, unknown>;
  input?: unknown;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

/** The jobs' writes in order, runs of one group handed over together. */
async function runJobs(ctx: AppContext, scope: WriteScope, jobs: Job[]): Promise<unknown[]> {
  const out: unknown[] = [];
  for (let i = 0; i < jobs.length; ) {
    const group = jobs[i]!.group;
    if (!group) {
      out.push(await jobs[i++]!.run!(scope));
      continue;
    }
    let end = i + 1;
    while (end < jobs.length && jobs[end]!.group === group) end++;
    out.push(...(await group.runMany(ctx, scope, jobs.slice(i, end).map((j) => j.input))));
    i = end;
  }
  return out;
}

interface Queue {
  /** Writes for the next transaction: one transaction at a time. */
  jobs: Job[];
  flushing: boolean;
  scheduled: boolean;
  /** Writes of a group with writeAlone (PostgreSQL) waiting for a statement of their own. */
  alone: Job[];
  aloneInFlight: number;
  aloneScheduled: boolean;
}

/** The group-commit queue of one context (every area's batched writes share it). */
const QUEUE = areaState<Queue>('write.batch', () => ({ jobs: [], flushing: false, scheduled: false, alone: [], aloneInFlight: 0, aloneScheduled: false }));

/**
 * One-statement writes in flight at once. Two and three were measured against one, also after the
 * change log's lock moved behind the inserts (BENCHMARKS.md, "Sixth session"): no gain, as each
 * statement pays a fixed cost of its own and smaller batches pay it more often. One keeps the
 * statements' batches as large as the load makes them.
 */
const MAX_ALONE_IN_FLIGHT = 1;

/** Consecutive waiting writes of one group, at most MAX_BATCH. */
function takeAlone(q: Queue): Job[] {
  const group = q.alone[0]!.group;
  let n = 1;
  while (n < q.alone.length && n < MAX_BATCH && q.alone[n]!.group === group) n++;
  return q.alone.splice(0, n);
}

/** Starts one-statement writes while fewer than MAX_ALONE_IN_FLIGHT run. */
function startAlone(ctx: AppContext, q: Queue): void {
  while (q.aloneInFlight < MAX_ALONE_IN_FLIGHT && q.alone.length) {
    const batch = takeAlone(q);
    q.aloneInFlight++;
    void writeAlone(ctx, q, batch).finally(() => {
      q.aloneInFlight--;
      startAlone(ctx, q);
    });
  }
}

/** A group's writeAlone over `batch`: the jobs it wrote are settled, the others go to a transaction. */
async function writeAlone(ctx: AppContext, q: Queue, batch: Job[]): Promise<void> {
  let rest: Job[] = batch;
  try {
    const results = await batch[0]!.group!.writeAlone!(ctx, batch.map((j) => j.input));
    rest = [];
    batch.forEach((j, i) => (results[i] === undefined ? rest.push(j) : j.resolve(results[i])));
  } catch (err) {
    // Nothing was written: the transaction writes them or finds the one at fault.
    ctx.logger.warn({ err: String(err) }, 'write batch: the one-statement write failed, writing in a transaction');
  }
  if (rest.length === 0) return;
  q.jobs.push(...rest);
  scheduleFlush(ctx, q);
}

async function flush(ctx: AppContext, q: Queue): Promise<void> {
  q.flushing = true;
  try {
    while (q.jobs.length) {
      const batch = q.jobs.splice(0, MAX_BATCH);
      try {
        const results = await inTransaction(ctx, (scope) => runJobs(ctx, scope, batch));
        batch.forEach((j, i) => j.resolve(results[i]));
      } catch (err) {
        if (batch.length === 1) {
          batch[0]!.reject(err);
          continue;
        }
        for (const j of batch) {
          try {
            j.resolve((await inTransaction(ctx, (scope) => runJobs(ctx, scope, [j])))[0]);
          } catch (e) {
            j.reject(e);
          }
        }
      }
    }
  } finally {
    q.flushing = false;
  }
}

/** Runs `run` in a transaction shared with the other writes queued at the same moment. */
export function writeBatched<T>(ctx: AppContext, run: (scope: WriteScope) => Promise<T>): Promise<T> {
  return enqueue<T>(ctx, { run });
}

/** Writes `input` with its group, in a transaction shared with the other writes queued at the same moment. */
export function writeGrouped<I, O>(ctx: AppContext, group: WriteGroup<I, O>, input: I): Promise<O> {
  return enqueue<O>(ctx, { group: group as WriteGroup<unknown, unknown>, input });
}

function enqueue<T>(ctx: AppContext, job: Pick<Job, 'run' | 'group' | 'input'>): Promise<T> {
  const queue = ctx.area(QUEUE);
  return new Promise<T>((resolve, reject) => {
    const queued: Job = { ...job, resolve: resolve as (v: unknown) => void, reject };
    // A statement of its own saves BEGIN and COMMIT, two round trips on PostgreSQL; on SQLite a
    // transaction costs no round trip and its one writer could not overlap them anyway.
    if (job.group?.writeAlone && ctx.engine === 'postgres') {
      queue.alone.push(queued);
      if (queue.aloneScheduled) return;
      queue.aloneScheduled = true;
      setImmediate(() => {
        queue.aloneScheduled = false;
        startAlone(ctx, queue);
      });
      return;
    }
    queue.jobs.push(queued);
    scheduleFlush(ctx, queue);
  });
}

function scheduleFlush(ctx: AppContext, queue: Queue): void {
  if (queue.flushing || queue.scheduled) return;
  // better-sqlite3 runs a whole transaction without yielding to the event loop, so the requests
  // read in the same I/O poll would each get their own transaction. setImmediate runs right after
  // the poll phase: everything that arrived in it goes in one transaction, at no added wait.
  queue.scheduled = true;
  setImmediate(() => {
    queue.scheduled = false;
    if (!queue.flushing) void flush(ctx, queue);
  });
}
