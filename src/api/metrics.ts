import { Counter, Registry, collectDefaultMetrics } from 'prom-client';
import { LatencyHistogram } from './latency-histogram.js';
import type { LatencySeries } from './latency-histogram.js';

export interface Metrics {
  readonly registry: Registry;
  readonly requests: Counter<'route' | 'method' | 'status'>;
  readonly latency: LatencyHistogram;
  readonly decisions: Counter<'action' | 'channel'>;
  /** Answers of POST /v1/screen given by the fast path (src/api/screen-fast-path.ts) instead of fastify's pipeline. */
  readonly screenFastPath: Counter;
  /** One answered request: the request counter and the latency histogram. */
  countRequest(route: string, method: string, status: number, seconds: number): void;
  /** One screening decision. */
  countDecision(action: string, channel: string): void;
  /**
   * One answer of the screening fast path, counted as countRequest counts it for this fixed label
   * set (and in the fast-path counter): resolved once, so that the fast path's answers skip building
   * and hashing the label key on every request.
   */
  fastAnswerCounter(route: string, method: string, status: number): (seconds: number) => void;
}

/** A labelled counter child with the counts since the last scrape, handed to prom-client when it collects. */
interface Tally {
  readonly child: { inc(n: number): void };
  pending: number;
}

/** Counts in `tallies` go to their counter children when the registry collects (a scrape, or get()). */
function flush(tallies: Iterable<Tally>): void {
  for (const t of tallies) {
    if (t.pending === 0) continue;
    t.child.inc(t.pending);
    t.pending = 0;
  }
}

// Past this many label sets (made-up URLs are counted as "unmatched", but statuses and methods vary)
// a request is counted straight into prom-client instead of a kept tally.
const MAX_TALLIES = 10_000;

/**
 * One registry per server, so tests that start several servers do not share counters. Requests and
 * decisions are tallied in plain numbers per label set and handed to prom-client when it collects:
 * its counters hash and validate the label object on every increment, a labelled child included,
 * which costs the hot path more than the count itself (issue 17). What a scrape shows is the same.
 */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'callshield_' });
  type RequestTally = { requests: Tally; latency: LatencySeries };
  const requestTallies = new Map<string, RequestTally>();
  const decisionTallies = new Map<string, Tally>();
  const requests = new Counter({
    name: 'callshield_http_requests_total',
    help: 'HTTP requests by route and status',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [registry],
    collect: () => flush([...requestTallies.values()].map((t) => t.requests)),
  });
  const buckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];
  const latency = new LatencyHistogram('callshield_http_request_duration_seconds', 'HTTP request latency', ['route', 'method'], buckets, registry);
  const decisions = new Counter({
    name: 'callshield_screening_decisions_total',
    help: 'Screening decisions by action',
    labelNames: ['action', 'channel'] as const,
    registers: [registry],
    collect: () => flush(decisionTallies.values()),
  });
  const screenFastPath: Counter = new Counter({
    name: 'callshield_screen_fast_path_total',
    help: 'POST /v1/screen answers given by the fast path (CALLSHIELD_SCREEN_FAST_PATH)',
    registers: [registry],
    collect: () => flush([fastTally]),
  });
  const fastTally: Tally = { child: screenFastPath, pending: 0 };
  const requestKey = (route: string, method: string, status: number): string => `${method} ${status} ${route}`;
  const countRequest = (route: string, method: string, status: number, seconds: number): void => {
    const k = requestKey(route, method, status);
    let c = requestTallies.get(k);
    if (c === undefined) {
      c = { requests: { child: requests.labels(route, method, String(status)), pending: 0 }, latency: latency.labels(route, method) };
      if (requestTallies.size >= MAX_TALLIES) {
        c.requests.child.inc(1);
        c.latency.observe(seconds);
        return;
      }
      requestTallies.set(k, c);
    }
    c.requests.pending++;
    c.latency.observe(seconds);
  };
  return {
    registry,
    requests,
    latency,
    decisions,
    screenFastPath,
    countRequest,
    fastAnswerCounter(route, method, status) {
      // The first answer is counted as any request (a scrape shows no series before one was counted
      // in it); after that, through the tally countRequest kept for this label set.
      const k = requestKey(route, method, status);
      let c: RequestTally | undefined;
      return (seconds) => {
        fastTally.pending++;
        if (c === undefined) {
          countRequest(route, method, status, seconds);
          c = requestTallies.get(k);
          return;
        }
        c.requests.pending++;
        c.latency.observe(seconds);
      };
    },
    countDecision(action, channel) {
      const k = `${action} ${channel}`;
      let t = decisionTallies.get(k);
      if (t === undefined) decisionTallies.set(k, (t = { child: decisions.labels(action, channel), pending: 0 }));
      t.pending++;
    },
  };
}
