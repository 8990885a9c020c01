// Keeps this node's in-memory indexes in step with writes made by other nodes (or by the CLI on
// the same SQLite file): applies the change log on every PostgreSQL NOTIFY, and polls as a
// fallback (and as the only way on SQLite). See store/migrations/0006-changes.ts.
import pg from 'pg';
import type { AppContext } from './app-context.js';
import { CHANGE_CHANNEL, pruneChanges } from './store/changes.js';

export interface ChangeFeed {
  stop(): Promise<void>;
}

/** The application_name of every node's listening connection: how a node sees whether others listen. */
export const FEED_APPLICATION_NAME = 'callshield-feed';

/** How often a node looks whether another node's feed is connected (AppContext.changeListeners). */
const PEER_CHECK_MS = 1000;

/** The notice a feed sends when it starts listening (see listen below). */
const HELLO = 'hello';

// Any node's feed connection to this database but the asking one's. application_name is shown to
// every role in pg_stat_activity, so nodes need no extra privilege to see each other.
const OTHER_FEEDS_SQL = `select exists (select 1 from pg_stat_activity where datname = current_database() and application_name = '${FEED_APPLICATION_NAME}' and pid <> pg_backend_pid()) as others`;

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
  // Notices heard from other nodes: a look that began before one arrived must not undo what it said.
  let heard = 0;
  // Whether another node listens, asked on the feed's own connection; unknown counts as yes.
  const lookForPeers = async (c: pg.Client): Promise<void> => {
    const before = heard;
    const others = (await c.query<{ others: boolean }>(OTHER_FEEDS_SQL)).rows[0]?.others !== false;
    if (client === c) ctx.changeListeners.others = others || heard !== before;
  };
  // Only with a feed (PostgreSQL); while it has no connection, 'end' and the catch below said "yes".
  const peers = ctx.config.databaseUrl
    ? setInterval(() => void (client && lookForPeers(client).catch(() => (ctx.changeListeners.others = true))), PEER_CHECK_MS)
    : undefined;
  peers?.unref();
  const listen = async (delay = 500): Promise<void> => {
    if (stopped || !ctx.config.databaseUrl) return;
    const c = new pg.Client({ connectionString: ctx.config.databaseUrl, application_name: FEED_APPLICATION_NAME });
    c.on('error', () => {}); // reported through 'end'
    c.on('end', () => {
      if (stopped) return;
      client = undefined;
      ctx.changeListeners.others = true;
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
      c.on('notification', (n) => {
        if (n.payload === ctx.ownChangesNotice) return;
        // Another node wrote, or joined (its hello below): it listens, so this node's writes notify again.
        if (n.payload !== '') {
          ctx.changeListeners.others = true;
          heard++;
        }
        if (n.payload !== HELLO) apply();
      });
      await c.query(`LISTEN ${CHANGE_CHANNEL}`);
      // Tells the nodes already running that one more listens, so they notify again at once
      // rather than at their next look; what they wrote before is read by the pass below.
      await c.query(`select pg_notify('${CHANGE_CHANNEL}', '${HELLO}')`);
      client = c;
      await lookForPeers(c);
      apply();
    } catch {
      if (client === c) client = undefined;
      ctx.changeListeners.others = true;
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
      if (peers) clearInterval(peers);
      if (retry) clearTimeout(retry);
      await client?.end().catch(() => {});
    },
  };
}
