// Round-trip trace for the PostgreSQL benchmarks (BENCH_PG_TRACE=1): wraps pg's Client.query, counts
// each statement by its text (parameters stripped by pg already), times it from the call to its
// answer, and prints the table to stderr when asked (printPgTrace). Not used outside bench/.
import pg from 'pg';

interface Seen {
  count: number;
  ms: number;
}

const seen = new Map<string, Seen>();
let started = false;

/** Wraps pg's Client.query once; every statement of every pool client is counted from now on. */
export function tracePg(): void {
  if (started) return;
  started = true;
  const original = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  pg.Client.prototype.query = function traced(this: pg.Client, ...args: unknown[]): unknown {
    const first = args[0];
    const text = typeof first === 'string' ? first : typeof first === 'object' && first && 'text' in first ? String((first as { text: unknown }).text) : '?';
    const t0 = performance.now();
    const done = (): void => {
      const key = text.replace(/\s+/g, ' ').slice(0, 160);
      const s = seen.get(key) ?? { count: 0, ms: 0 };
      s.count++;
      s.ms += performance.now() - t0;
      seen.set(key, s);
    };
    // pg-pool's pool.query passes a callback; kysely awaits the promise.
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === 'function') {
      args[last] = (...a: unknown[]): unknown => {
        done();
        return (callback as (...x: unknown[]) => unknown)(...a);
      };
    }
    const out = original.apply(this, args);
    if (typeof callback !== 'function' && out && typeof (out as Promise<unknown>).then === 'function') (out as Promise<unknown>).then(done, done);
    return out;
  } as typeof pg.Client.prototype.query;
}

/** Drops what was counted so far (after a warm-up). */
export function resetPgTrace(): void {
  seen.clear();
}

/** The statements seen, most frequent first, with the mean time of each (ms, call to answer). */
export function printPgTrace(requests: number): void {
  const rows = [...seen.entries()].sort((a, b) => b[1].count - a[1].count);
  const total = rows.reduce((n, [, s]) => n + s.count, 0);
  process.stderr.write(`pg statements: ${total} for ${requests} requests (${(total / Math.max(1, requests)).toFixed(2)} a request)\n`);
  for (const [text, s] of rows) process.stderr.write(`${String(s.count).padStart(8)} ${(s.ms / s.count).toFixed(2).padStart(7)} ms  ${text}\n`);
}
