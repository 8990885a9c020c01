// Delivers the outbox. All state is in the table (status, attempts, next attempt), so a restart
// loses nothing: the next dispatcher picks up every pending row. A row is claimed by moving its
// next attempt to a lease end with a conditional update, so two nodes never send one row at once.
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../app-context.js';
import { retryDelayMs, signatureHeader } from '../../payments/index.js';
import { describeOutboundFailure, outboundFetch } from '../outbound-fetch.js';
import { claimOutbox, dueOutbox, recordAttempt, secretOf } from '../../store/payments/outbox.js';
import type { OutboxTable } from '../../store/payments/schema.js';
import { alertGuardiansOfRiskyCalls } from './family.js';
import { expireFreezes } from './freezes.js';
import { returnOverdueHolds } from './holds.js';
import { configurePayments, paymentsSettings } from './state.js';
import { escalateOverdueTasks } from '../response/tasks.js';
import type { PaymentsSettings } from './state.js';

const BATCH = 50;

async function deliver(ctx: AppContext, row: OutboxTable): Promise<void> {
  const s = paymentsSettings(ctx);
  const attempt = Number(row.attempts) + 1;
  const started = performance.now();
  let statusCode: number | null = null;
  let error: string | null = null;
  const secret = await secretOf(ctx.db, row.secret_ref);
  if (secret === undefined) {
    error = 'the signing secret is gone (endpoint or guardians removed)';
  } else {
    const t = Math.floor(ctx.now() / 1000);
    try {
      // Through the guard: no private, loopback or metadata address, checked after DNS and on
      // every redirect (a POST follows only 307/308, which keep its body and signature).
      const res = await outboundFetch(ctx.config)(row.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'callshield-webhooks/1',
          'x-callshield-signature': signatureHeader(secret, t, row.payload),
          'x-callshield-event': row.event_type,
          'x-callshield-delivery': row.id,
        },
        body: row.payload,
        signal: AbortSignal.timeout(s.webhookTimeoutMs),
      });
      statusCode = res.status;
      await res.body?.cancel().catch(() => {});
      if (res.status < 200 || res.status >= 300) error = `HTTP ${res.status}`;
    } catch (err) {
      // The delivery log says what happened in plain words ("connection refused", "timed out",
      // "refused: private address"), never a raw network error code.
      error = describeOutboundFailure(err);
    }
  }
  const now = ctx.now();
  const at = new Date(now).toISOString();
  const ok = error === null;
  const dead = !ok && attempt >= s.webhookMaxAttempts;
  await recordAttempt(
    ctx.db,
    { id: randomUUID(), outbox_id: row.id, attempt, at, status_code: statusCode, error, duration_ms: Math.round(performance.now() - started) },
    {
      attempts: attempt,
      status: ok ? 'delivered' : dead ? 'dead' : 'pending',
      last_status: statusCode,
      last_error: error,
      delivered_at: ok ? at : null,
      next_attempt_at: ok || dead ? row.next_attempt_at : new Date(now + retryDelayMs(attempt, s.webhookBaseDelayMs, s.webhookMaxDelayMs)).toISOString(),
    },
  );
  if (!ok) ctx.logger.debug({ delivery: row.id, attempt, error }, 'webhook delivery failed; will retry');
}

/** One pass: deliver what is due (in parallel, a batch at a time). Returns how many were attempted. */
export async function dispatchDue(ctx: AppContext): Promise<number> {
  const s = paymentsSettings(ctx);
  const now = ctx.now();
  const rows = await dueOutbox(ctx.db, new Date(now).toISOString(), BATCH);
  const lease = new Date(now + s.webhookTimeoutMs * 2).toISOString();
  const mine: OutboxTable[] = [];
  for (const r of rows) if (await claimOutbox(ctx.db, r.id, r.next_attempt_at, lease)) mine.push(r);
  await Promise.all(mine.map((r) => deliver(ctx, r).catch((err) => ctx.logger.error({ err, delivery: r.id }, 'webhook delivery bookkeeping failed'))));
  return mine.length;
}

/** The housekeeping the dispatcher also runs: risky-call marks past their window, overdue holds, expired freezes, guardians of risky calls, overdue tasks. */
export async function sweepPayments(ctx: AppContext): Promise<void> {
  await ctx.pruneRiskyCalls();
  await returnOverdueHolds(ctx);
  await expireFreezes(ctx);
  await alertGuardiansOfRiskyCalls(ctx);
  await escalateOverdueTasks(ctx);
}

export interface OutboxDispatcher {
  /** Stops the loop and waits for the pass in flight. */
  stop(): Promise<void>;
  /** Runs a pass now (tests, and after a burst of events). */
  kick(): Promise<void>;
}

/**
 * Starts the loop that delivers webhooks and sweeps deadlines; `serve` starts it, tests too.
 * Options override the area settings for this context (e.g. a small retry base in tests).
 */
export function startOutboxDispatcher(ctx: AppContext, options: Partial<PaymentsSettings> = {}): OutboxDispatcher {
  if (Object.keys(options).length) configurePayments(ctx, options);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const pass = async (): Promise<void> => {
    try {
      await sweepPayments(ctx);
      // Drain while there is work due, so a backlog does not wait a full interval per batch.
      while (!stopped && (await dispatchDue(ctx)) === BATCH);
    } catch (err) {
      ctx.logger.error({ err }, 'outbox dispatcher pass failed');
    }
  };
  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = pass().finally(schedule);
    }, paymentsSettings(ctx).dispatchIntervalMs);
    timer.unref();
  };
  running = pass().finally(schedule);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
    async kick() {
      await running;
      running = pass();
      await running;
    },
  };
}
