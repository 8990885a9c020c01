import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  readonly registry: Registry;
  readonly requests: Counter<'route' | 'method' | 'status'>;
  readonly latency: Histogram<'route' | 'method'>;
  readonly decisions: Counter<'action' | 'channel'>;
}

/** One registry per server, so tests that start several servers do not share counters. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'callshield_' });
  return {
    registry,
    requests: new Counter({ name: 'callshield_http_requests_total', help: 'HTTP requests by route and status', labelNames: ['route', 'method', 'status'], registers: [registry] }),
    latency: new Histogram({
      name: 'callshield_http_request_duration_seconds',
      help: 'HTTP request latency',
      labelNames: ['route', 'method'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    decisions: new Counter({ name: 'callshield_screening_decisions_total', help: 'Screening decisions by action', labelNames: ['action', 'channel'], registers: [registry] }),
  };
}
