// The HTTP latency histogram (src/api/latency-histogram.ts) scrapes exactly as prom-client's own
// Histogram does with the same observations.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Histogram, Registry } from 'prom-client';
import fc from 'fast-check';
import { LatencyHistogram } from '../../../src/api/latency-histogram.js';

const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

describe('LatencyHistogram', () => {
  it('renders the same Prometheus text as prom-client for any observations, and resets to zero', { timeout: 60_000 }, async () => {
    const seriesArb = fc.array(fc.tuple(fc.constantFrom('/v1/screen', '/v1/reports', 'unmatched'), fc.constantFrom('GET', 'POST'), fc.double({ min: 0, max: 3, noNaN: true })), { maxLength: 50 });
    await fc.assert(
      fc.asyncProperty(seriesArb, async (observations) => {
        const theirs = new Registry();
        const ours = new Registry();
        const reference = new Histogram({ name: 'x_seconds', help: 'latency', labelNames: ['route', 'method'], buckets: BUCKETS, registers: [theirs] });
        const histogram = new LatencyHistogram('x_seconds', 'latency', ['route', 'method'], BUCKETS, ours);
        for (const [route, method, seconds] of observations) {
          reference.labels(route, method).observe(seconds);
          histogram.labels(route, method).observe(seconds);
        }
        assert.equal(await ours.metrics(), await theirs.metrics());
        const kept = histogram.labels('/v1/screen', 'POST');
        ours.resetMetrics();
        theirs.resetMetrics();
        reference.labels('/v1/screen', 'POST').observe(0.002);
        kept.observe(0.002);
        assert.match(await ours.metrics(), /x_seconds_count\{route="\/v1\/screen",method="POST"\} 1\n/);
      }),
      { numRuns: 100 },
    );
  });
});
