// The HTTP latency histogram, kept per label set in plain arrays and shown to prom-client's registry
// as a histogram metric at scrape time (issue 17). prom-client's own Histogram hashes and validates
// the label object on every observation, a labelled child included: about 1 µs per request, more
// than an observation needs (find the bucket, add). The exposition is the same as prom-client's.
import type { Registry } from 'prom-client';

/** One label set's observations: counts per bucket (not cumulative), their sum and count. */
export interface LatencySeries {
  observe(seconds: number): void;
}

/** What prom-client's registry renders (its typings say `type` is an enum; at run time it is this string). */
interface Exposition {
  name: string;
  help: string;
  type: 'histogram';
  aggregator: 'sum';
  values: { metricName: string; labels: Record<string, string | number>; value: number }[];
}

interface Series extends LatencySeries {
  readonly labels: Readonly<Record<string, string>>;
  readonly counts: Float64Array;
  sum: number;
  count: number;
}

export class LatencyHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly series = new Map<string, Series>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labelNames: readonly string[],
    private readonly upperBounds: readonly number[],
    registry: Registry,
  ) {
    // The registry only reads name, help, type, aggregator and calls get() and reset().
    registry.registerMetric(this as unknown as Parameters<Registry['registerMetric']>[0]);
  }

  /** The series of these label values (in labelNames' order), created on first use. */
  labels(...values: string[]): LatencySeries {
    const key = values.join('\u0000');
    let s = this.series.get(key);
    if (s === undefined) {
      const labels = Object.fromEntries(this.labelNames.map((n, i) => [n, values[i] ?? '']));
      const bounds = this.upperBounds;
      const counts = new Float64Array(bounds.length + 1);
      const series: Series = {
        labels,
        counts,
        sum: 0,
        count: 0,
        observe(seconds) {
          let i = 0;
          while (i < bounds.length && seconds > bounds[i]!) i++;
          counts[i]!++;
          series.sum += seconds;
          series.count++;
        },
      };
      this.series.set(key, (s = series));
    }
    return s;
  }

  /** prom-client's shape of a histogram: cumulative `_bucket` values with `le` first, then `_sum` and `_count`. */
  async get(): Promise<Exposition> {
    const values: Exposition['values'] = [];
    for (const s of this.series.values()) {
      let acc = 0;
      this.upperBounds.forEach((le, i) => {
        acc += s.counts[i]!;
        values.push({ metricName: `${this.name}_bucket`, labels: { le, ...s.labels }, value: acc });
      });
      values.push({ metricName: `${this.name}_bucket`, labels: { le: '+Inf', ...s.labels }, value: s.count });
      values.push({ metricName: `${this.name}_sum`, labels: { ...s.labels }, value: s.sum });
      values.push({ metricName: `${this.name}_count`, labels: { ...s.labels }, value: s.count });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  /** Zeroes every series (handed-out series stay valid). */
  reset(): void {
    for (const s of this.series.values()) {
      s.counts.fill(0);
      s.sum = 0;
      s.count = 0;
    }
  }
}
