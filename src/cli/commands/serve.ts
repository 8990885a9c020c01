import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { openApp } from '../../app-context.js';
import { buildServer } from '../../api/server.js';
import { extraRoutes } from '../../api/extra-routes.js';
import { startChangeFeed } from '../../change-feed.js';
import { startOutboxDispatcher } from '../../operations/payments/dispatcher.js';

const REFRESH_MS = 60 * 60_000;

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the HTTP API (and the console) on the embedded SQLite store, or PostgreSQL with DATABASE_URL')
    .option('--db <path>', 'SQLite file (env CALLSHIELD_DB)')
    .option('--port <port>', 'TCP port (env PORT, default 8080)')
    .option('--host <host>', 'interface to listen on (env HOST, default 127.0.0.1)')
    .action(async (opts: { db?: string; port?: string; host?: string }) => {
      const config = loadConfig(process.env, {
        ...(opts.db ? { dbPath: opts.db } : {}),
        ...(opts.port !== undefined ? { port: Number(opts.port) } : {}),
        ...(opts.host ? { host: opts.host } : {}),
      });
      const ctx = await openApp(config);
      const { app } = await buildServer(ctx, extraRoutes);
      // Evidence decays (docs/scoring.md): re-score everything in the background once an hour so
      // the hot index follows the clock, not only new writes.
      const timer = setInterval(() => {
        void (async () => {
          await ctx.refreshReputation([...ctx.index.keys()], { publish: false });
        })().catch((err) => ctx.logger.error({ err }, 'periodic re-score failed'));
      }, REFRESH_MS);
      timer.unref();
      const feed = startChangeFeed(ctx);
      // Webhooks (banks, police, guardians) leave through the outbox; the same loop sweeps expired
      // holds, freezes and risky-call alerts.
      const dispatcher = startOutboxDispatcher(ctx);
      // Graceful shutdown with a deadline (CALLSHIELD_SHUTDOWN_TIMEOUT_MS): stop taking requests,
      // end the open event streams (a `shutdown` event), let requests in flight finish; whatever is
      // still open at the deadline is cut and the process exits 1.
      const shutdown = async (signal: string): Promise<void> => {
        ctx.logger.info({ signal, deadlineMs: config.shutdownTimeoutMs }, 'shutting down');
        const deadline = setTimeout(() => {
          ctx.logger.warn({ deadlineMs: config.shutdownTimeoutMs }, 'shutdown deadline passed: closing the remaining connections');
          app.server.closeAllConnections();
          setTimeout(() => process.exit(1), 1000).unref();
        }, config.shutdownTimeoutMs);
        deadline.unref();
        clearInterval(timer);
        await feed.stop();
        await dispatcher.stop();
        await app.close();
        await ctx.close();
        clearTimeout(deadline);
        ctx.logger.info('shut down');
        process.exit(0);
      };
      process.once('SIGINT', () => void shutdown('SIGINT'));
      process.once('SIGTERM', () => void shutdown('SIGTERM'));
      const address = await app.listen({ port: config.port, host: config.host });
      ctx.logger.info({ address, db: config.databaseUrl ? 'postgres' : config.dbPath }, 'callshield listening');
      process.stdout.write(`callshield listening on ${address} (docs: ${address}/docs)\n`);
    });
}
