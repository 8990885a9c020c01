// When the call-record stream's consumer commits because it has caught up (src/operations/governance/
// cdr-stream.ts caughtUp): only at the true end of a real backlog, and never more often than the
// quiet rule allows.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { caughtUp, checkpointSpacingMs } from '../../../src/operations/governance/cdr-stream.js';

const base = { streamPending: 0, buffered: 0, peakBacklog: 500, sinceCheckpointMs: 1000, checkpointCostMs: 100 };

describe('caughtUp', () => {
  it('commits at the last message of a backlog: nothing on the stream, nothing buffered', () => {
    assert.equal(caughtUp(base), true);
  });

  it('not while messages wait on the stream or in the client\'s buffer', () => {
    assert.equal(caughtUp({ ...base, streamPending: 1 }), false);
    // JetStream says 0 once the last message left the server; the client may still hold 63 of them.
    assert.equal(caughtUp({ ...base, buffered: 63 }), false);
  });

  it('not for a live stream at its head: a backlog under a fetch\'s worth of messages keeps the usual cadence', () => {
    assert.equal(caughtUp({ ...base, peakBacklog: 3 }), false);
    assert.equal(caughtUp({ ...base, peakBacklog: 64 }), true);
  });

  it('not sooner than twice the last checkpoint\'s cost after it', () => {
    assert.equal(caughtUp({ ...base, sinceCheckpointMs: 199 }), false);
    assert.equal(caughtUp({ ...base, sinceCheckpointMs: 200 }), true);
  });
});

describe('checkpointSpacingMs', () => {
  const o = { backlog: 300, checkpointMs: 2000, ackWaitMs: 30_000, lastCostMs: 0, callers: 66_000 };

  it('in a backlog, before any checkpoint was measured, spaces the first by the estimate from the callers held', () => {
    // 66,000 callers: a checkpoint of about half a second, so the first comes after about 5 s, not 2 s.
    assert.ok(checkpointSpacingMs(o) >= 5000, String(checkpointSpacingMs(o)));
    assert.ok(checkpointSpacingMs(o) <= 10_000, 'at most a third of the ack wait');
    // A few callers: the configured interval, as before.
    assert.equal(checkpointSpacingMs({ ...o, callers: 1000 }), 2000);
  });

  it('once a checkpoint was measured, uses its cost', () => {
    assert.equal(checkpointSpacingMs({ ...o, lastCostMs: 300 }), 3000);
    assert.equal(checkpointSpacingMs({ ...o, lastCostMs: 50 }), 2000);
    assert.equal(checkpointSpacingMs({ ...o, lastCostMs: 5000 }), 10_000);
  });

  it('at the head of the stream, the configured interval or four times the cost', () => {
    assert.equal(checkpointSpacingMs({ ...o, backlog: 0, lastCostMs: 300 }), 2000);
    assert.equal(checkpointSpacingMs({ ...o, backlog: 0, lastCostMs: 900 }), 3600);
  });
});
