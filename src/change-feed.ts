// Keeps this node's in-memory indexes in step with writes made by other nodes (or by the CLI on
// the same SQLite file): applies the change log on every PostgreSQL NOTIFY, and polls as a
// fallback (and as the only way on SQLite). See store/migrations/0006-changes.ts.
import pg from 'pg';
import type { AppContext } from './app-context.js';
import { CHANGE_CHANNEL, pruneChanges } from './store/changes.js';

export interface ChangeFeed {
  stop(): Promise<void>;
}

export function startChangeFeed(ctx: AppContext, options: { pollMs?: number } = {}): ChangeFeed {
  const pollMs = options.pollMs ?? ctx.config.changePollMs;
  let stopped = false;
  const apply = (): void => {
    ctx.applyChanges().catch((err) => ctx.logger.warn({ err: String(err) }, 'change feed: store unavailable, will catch up'));
  };
  const poll = setInterval(apply, pollMs);
  poll.unref();
  // Entries older than CALLSHIELD_CHANGE_LOG_RETENTION_SECONDS go; a node that had not applied
  // them reloads in full (AppContext.applyChanges). Checked hourly, or twice per retention if shorter.
  const retentionMs = ctx.config.changeLogRetentionSeconds * 1000;
  const prune = setInterval(() => {
    pruneChanges(ctx.db, new Date(Date.now() - retentionMs).toISOString())
      .then((n) => n > 0 && ctx.logger.debug({ pruned: n }, 'change log pruned'))
      .catch((err) => ctx.logger.warn({ err: String(err) }, 'could not prune the change log'));
  }, Math.min(3_600_000, Math.max(500, retentionMs / 2)));
  prune.unref();

  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  const listen = async (delay = 500): Promise<void> => {
    if (stopped || !ctx.config.databaseUrl) return;
    const c = new pg.Client({ connectionString: ctx.config.databaseUrl });
    c.on('error', () => {}); // reported through 'end'
    c.on('end', () => {
      if (stopped) return;
      client = undefined;
      // Reconnect with backoff; the poll keeps the index fresh meanwhile and the first pass after
      // reconnecting catches up on everything missed.
      retry = setTimeout(() => void listen(Math.min(delay * 2, 10_000)), delay);
      retry.unref();
    });
    try {
      await c.connect();
      // A write this node made and already applied (its reports: AppContext.ownReputationChange)
      // would only wake a pass that reads the entries back to skip them: two queries per batch of
      // reports. Those are read with the next pass another node's write or the poll brings.
      c.on('notification', (n) => n.payload !== ctx.ownChangesNotice && apply());
      await c.query(`LISTEN ${CHANGE_CHANNEL}`);
      client = c;
      apply();
    } catch {
      c.removeAllListeners('end');
      await c.end().catch(() => {});
      if (stopped) return;
      retry = setTimeout(() => void listen(Math.min(delay * 2, 10_000)), delay);
      retry.unref();
    }
  };
  void listen();

  return {
    async stop() {
      stopped = true;
      clearInterval(poll);
      clearInterval(prune);
      if (retry) clearTimeout(retry);
      await client?.end().catch(() => {});
    },
  };
}
