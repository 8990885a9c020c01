import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  readonly registry: Registry;
  readonly requests: Counter<'route' | 'method' | 'status'>;
  readonly latency: Histogram<'route' | 'method'>;
  readonly decisions: Counter<'action' | 'channel'>;
  /** Answers of POST /v1/screen given by the fast path (src/api/screen-fast-path.ts) instead of fastify's pipeline. */
  readonly screenFastPath: Counter;
  /** One answered request: the request counter and the latency histogram. */
  countRequest(route: string, method: string, status: number, seconds: number): void;
  /** One screening decision. */
  countDecision(action: string, channel: string): void;
}

type RequestChildren = { requests: ReturnType<Metrics['requests']['labels']>; latency: ReturnType<Metrics['latency']['labels']> };

/** One registry per server, so tests that start several servers do not share counters. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'callshield_' });
  const requests = new Counter({ name: 'callshield_http_requests_total', help: 'HTTP requests by route and status', labelNames: ['route', 'method', 'status'] as const, registers: [registry] });
  const latency = new Histogram({
    name: 'callshield_http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames: ['route', 'method'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  });
  const decisions = new Counter({ name: 'callshield_screening_decisions_total', help: 'Screening decisions by action', labelNames: ['action', 'channel'] as const, registers: [registry] });
  const screenFastPath = new Counter({ name: 'callshield_screen_fast_path_total', help: 'POST /v1/screen answers given by the fast path (CALLSHIELD_SCREEN_FAST_PATH)', registers: [registry] });
  // Labelled children kept per label set: prom-client would otherwise rebuild the label key from an
  // object on every call. Bounded, so that made-up URLs cannot grow the map without end.
  const requestChildren = new Map<string, RequestChildren>();
  const decisionChildren = new Map<string, ReturnType<typeof decisions.labels>>();
  return {
    registry,
    requests,
    latency,
    decisions,
    screenFastPath,
    countRequest(route, method, status, seconds) {
      const k = `${method} ${status} ${route}`;
      let c = requestChildren.get(k);
      if (c === undefined) {
        c = { requests: requests.labels(route, method, String(status)), latency: latency.labels(route, method) };
        if (requestChildren.size < 10_000) requestChildren.set(k, c);
      }
      c.requests.inc();
      c.latency.observe(seconds);
    },
    countDecision(action, channel) {
      const k = `${action} ${channel}`;
      let c = decisionChildren.get(k);
      if (c === undefined) decisionChildren.set(k, (c = decisions.labels(action, channel)));
      c.inc();
    },
  };
}
