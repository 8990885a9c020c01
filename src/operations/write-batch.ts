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
   * Optional, for a batch of this group alone: writes what it can of the inputs in one statement
   * that is its own transaction (with its change-log entries), skipping BEGIN and COMMIT, each a
   * round trip on PostgreSQL. One output per input, undefined for an input it did not write (those
   * go through runMany in a transaction as usual). On an error nothing was written.
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
  jobs: Job[];
  flushing: boolean;
  scheduled: boolean;
}

/** The group-commit queue of one context (every area's batched writes share it). */
const QUEUE = areaState<Queue>('write.batch', () => ({ jobs: [], flushing: false, scheduled: false }));

/** A batch all of one group with writeAlone: the jobs it wrote are settled, the others returned. */
async function writeAlone(ctx: AppContext, batch: Job[]): Promise<Job[]> {
  const group = batch[0]!.group;
  if (!group?.writeAlone || batch.some((j) => j.group !== group)) return batch;
  let results: unknown[];
  try {
    results = await group.writeAlone(ctx, batch.map((j) => j.input));
  } catch (err) {
    // Nothing was written: the transaction below writes them or finds the one at fault.
    ctx.logger.warn({ err: String(err) }, 'write batch: the one-statement write failed, writing in a transaction');
    return batch;
  }
  const rest: Job[] = [];
  batch.forEach((j, i) => (results[i] === undefined ? rest.push(j) : j.resolve(results[i])));
  return rest;
}

async function flush(ctx: AppContext, q: Queue): Promise<void> {
  q.flushing = true;
  try {
    while (q.jobs.length) {
      const batch = await writeAlone(ctx, q.jobs.splice(0, MAX_BATCH));
      if (batch.length === 0) continue;
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
    queue.jobs.push({ ...job, resolve: resolve as (v: unknown) => void, reject });
    if (queue.flushing || queue.scheduled) return;
    // better-sqlite3 runs a whole transaction without yielding to the event loop, so the requests
    // read in the same I/O poll would each get their own transaction. setImmediate runs right after
    // the poll phase: everything that arrived in it goes in one transaction, at no added wait.
    queue.scheduled = true;
    setImmediate(() => {
      queue.scheduled = false;
      if (!queue.flushing) void flush(ctx, queue);
    });
  });
}
