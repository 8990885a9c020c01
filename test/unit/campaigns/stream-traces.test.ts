// The campaign collector of a call-record stream (src/campaigns/stream-traces.ts): it groups like
// `import cdr`'s CampaignCollector, forgets the callers that cannot be in a campaign (so a stream of
// many callers over many days keeps a bounded number of traces), and a checkpoint's snapshot taken
// mid-stream, restored beside the analyser's, continues exactly.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CdrAnalyser, generateCdr } from '../../../src/governance/index.js';
import { BRIEF_SPAN_MS, CampaignCollector, LATE_MS, StreamTraceCollector, groupCampaigns } from '../../../src/campaigns/index.js';

function lines(calls: number, seed: number): string[] {
  const out: string[] = [];
  for (const chunk of generateCdr({ calls, seed })) for (const l of chunk.split('\n')) if (l) out.push(l);
  return out;
}

/** An analyser feeding a stream collector, as the consumer wires them. */
function streamed(traces: { c: StreamTraceCollector }, from?: { analyser: Uint8Array; traces: Uint8Array }): CdrAnalyser {
  let a: CdrAnalyser;
  const opts = { onRecord: (caller: number, callee: number, at: number) => traces.c.record(caller, callee, at, a.callers) };
  a = from ? CdrAnalyser.restore(from.analyser, opts) : new CdrAnalyser(opts);
  if (from) traces.c = StreamTraceCollector.restore(from.traces, a.callers);
  return a;
}

const key = (gs: ReturnType<typeof groupCampaigns>) => JSON.stringify(gs.map((g) => [g.members, g.evidence]));

describe('stream campaign traces', () => {
  it('groups exactly like the import collector, sweeping at every 20,000 records', () => {
    const all = lines(300_000, 4);
    const col = new CampaignCollector();
    const ia = new CdrAnalyser({ onRecord: (c, e, t) => col.record(c, e, t) });
    all.forEach((l, i) => ia.addLine(l, i + 1));
    const t = { c: new StreamTraceCollector() };
    const sa = streamed(t);
    all.forEach((l, i) => {
      sa.addLine(l, i + 1);
      if (i % 20_000 === 0) t.c.sweep();
    });
    t.c.sweep();
    const expected = groupCampaigns(col.traces());
    assert.ok(expected.length >= 2);
    assert.equal(key(groupCampaigns(t.c.traces())), key(expected));
    // The stream kept a fraction of the callers the import collector did.
    assert.ok(t.c.size < sa.callers / 4, `${t.c.size} of ${sa.callers} callers kept`);
  });

  it('a snapshot taken mid-stream and restored with the analyser continues exactly', () => {
    const all = lines(150_000, 9);
    const whole = { c: new StreamTraceCollector() };
    const wa = streamed(whole);
    all.forEach((l, i) => wa.addLine(l, i + 1));
    const first = { c: new StreamTraceCollector() };
    const fa = streamed(first);
    const cut = Math.floor(all.length / 2);
    all.slice(0, cut).forEach((l, i) => fa.addLine(l, i + 1));
    first.c.sweep();
    const resumed = { c: StreamTraceCollector.startingAt(0) };
    const ra = streamed(resumed, { analyser: fa.snapshot(), traces: first.c.snapshot() });
    all.slice(cut).forEach((l, i) => ra.addLine(l, cut + i + 1));
    assert.equal(key(groupCampaigns(resumed.c.traces())), key(groupCampaigns(whole.c.traces())));
    // Traces from another checkpoint than the analyser's are refused, not mixed.
    assert.throws(() => StreamTraceCollector.restore(first.c.snapshot(), ra.callers), /different checkpoints/);
  });

  it('keeps a bounded number of traces over days of many callers, and forgets a caller for good', () => {
    const t = { c: new StreamTraceCollector() };
    const a = streamed(t);
    const start = Date.UTC(2026, 9, 1);
    let peak = 0;
    let n = 0;
    // 10 days; every minute 50 new callers make one call each (720,000 callers), and one busy caller calls all along.
    for (let minute = 0; minute < 10 * 1440; minute++) {
      const at = start + minute * 60_000;
      for (let k = 0; k < 50; k++) a.record(8613900000000 + n++, 8613800000000 + k, at, 30, true, false);
      a.record(8613700000000, 8613800000000 + minute, at, 30, true, false);
      if (minute % 10 === 0) peak = Math.max(peak, (t.c.sweep(), t.c.size));
    }
    // At most the callers of the last 2.5 hours of stream time (and their one call each).
    const bound = ((BRIEF_SPAN_MS + LATE_MS) / 60_000 + 10) * 51;
    assert.ok(peak <= bound, `peak ${peak} traces, bound ${bound}`);
    assert.ok(a.callers > 700_000);
    // A forgotten caller that comes back with a burst of calls is not collected (import cdr would find it too long-lived).
    const back = start + 10 * 86_400_000;
    for (let k = 0; k < 12; k++) a.record(8613900000000, 8613600000000 + k, back + k * 1000, 5, false, false);
    assert.ok(!t.c.traces().some((x) => x.caller === 8613900000000));
  });
});
