import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { openApp } from '../../app-context.js';
import { buildServer } from '../../api/server.js';
import { extraRoutes } from '../../api/extra-routes.js';
import { startChangeFeed } from '../../change-feed.js';
import { startOutboxDispatcher } from '../../operations/payments/dispatcher.js';
import { missingAuditKey } from '../../operations/audit/key.js';
import { startCheckpointer } from '../../operations/audit/log.js';
import { CallshieldError } from '../../errors.js';
import { findOrgByName } from '../../store/orgs.js';
import { startSipServer } from '../../sip/server.js';
import type { SipServer } from '../../sip/server.js';
import type { Actor } from '../../operations/actor.js';
import { startCdrStreamConsumer } from '../../operations/governance/cdr-stream.js';
import type { CdrStreamConsumer } from '../../operations/governance/cdr-stream.js';
import { wholeNumberFlag } from '../flags.js';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the HTTP API (and the console) on the embedded SQLite store, or PostgreSQL with DATABASE_URL')
    .option('--db <path>', 'SQLite file (env CALLSHIELD_DB)')
    .option('--port <port>', 'TCP port (env PORT, default 8080)')
    .option('--host <host>', 'interface to listen on (env HOST, default 127.0.0.1)')
    .option('--sip-port <port>', 'also answer SIP INVITEs (UDP and TCP) on this port as a screening redirect server (docs/sip.md)')
    .option('--sip-host <host>', 'interface for SIP (default 127.0.0.1)')
    .option('--sip-org <name>', 'organisation whose policies apply to SIP calls (default: a system org "sip" with none)')
    .option('--sip-redress-url <url>', 'where blocked callers ask for redress, sent in 603 responses (default: <HTTP address>/v1/appeals)')
    .option('--cdr-nats <url>', 'also analyse call records streamed on NATS JetStream (e.g. nats://127.0.0.1:4222), published with `callshield cdr publish`')
    .option('--cdr-subject <subject>', 'the subject of the call-record stream (with --cdr-nats)')
    .option('--cdr-utc-offset <minutes>', 'local time for the night share of streamed records, minutes east of UTC', '480')
    .action(async (opts: { db?: string; port?: string; host?: string; sipPort?: string; sipHost?: string; sipOrg?: string; sipRedressUrl?: string; cdrNats?: string; cdrSubject?: string; cdrUtcOffset: string }) => {
      if ((opts.cdrNats === undefined) !== (opts.cdrSubject === undefined)) {
        throw new CallshieldError('CONFIG_INVALID', '--cdr-nats and --cdr-subject go together', { field: opts.cdrNats === undefined ? 'cdr-nats' : 'cdr-subject' });
      }
      const cdrOffset = wholeNumberFlag(opts.cdrUtcOffset, '--cdr-utc-offset', { min: -14 * 60, max: 14 * 60, code: 'CONFIG_INVALID', noun: 'minutes east of UTC,' });
      let sipPort: number | undefined;
      if (opts.sipPort !== undefined) {
        sipPort = wholeNumberFlag(opts.sipPort, '--sip-port', { min: 0, max: 65535, code: 'CONFIG_INVALID', noun: 'a port number' });
      }
      const config = loadConfig(process.env, {
        ...(opts.db ? { dbPath: opts.db } : {}),
        ...(opts.port !== undefined ? { port: Number(opts.port) } : {}),
        ...(opts.host ? { host: opts.host } : {}),
      });
      const ctx = await openApp(config, { indexSnapshot: true });
      // Every node signs checkpoints with the one shared key; a node without it must not start
      // (on SQLite the key was created beside the database file if it was missing).
      if (!ctx.auditKey) {
        await ctx.close();
        throw missingAuditKey(config);
      }
      // The organisation SIP calls are screened for: checked before anything listens.
      let sipActor: Actor = { orgId: 'sip', orgName: 'SIP interface', role: 'carrier', person: 'sip' };
      if (opts.sipOrg !== undefined) {
        const org = await findOrgByName(ctx.db, opts.sipOrg);
        if (!org) {
          await ctx.close();
          throw new CallshieldError('CONFIG_INVALID', `--sip-org: no organisation named "${opts.sipOrg}"`, { field: 'sip-org' });
        }
        sipActor = { orgId: org.id, orgName: org.name, role: org.role, person: 'sip' };
      }
      const { app } = await buildServer(ctx, extraRoutes);
      // Evidence decays (docs/scoring.md): every CALLSHIELD_RESCORE_MINUTES re-score every
      // identifier with evidence in the store (not only those this node has in its index), so the
      // hot index follows the clock, and catches anything a lost change-log entry left behind.
      // After each full re-score the index is written to its snapshot (CALLSHIELD_INDEX_SNAPSHOT),
      // which the next start reads instead of re-scoring everything before it can serve.
      let rescoring = false;
      const saveSnapshot = (why: string): Promise<void> =>
        ctx
          .writeIndexSnapshot()
          .then((s) => s && ctx.logger.info({ ...s, why }, 'index snapshot written'))
          .catch((err) => ctx.logger.error({ err, why }, 'index snapshot not written'));
      const rescoreEverything = (why: string): void => {
        if (rescoring) return;
        rescoring = true;
        ctx
          .rescoreAll()
          .then(async (n) => {
            ctx.logger.debug({ identifiers: n, why }, 'full re-score done');
            await saveSnapshot(why);
          })
          .catch((err) => ctx.logger.error({ err, why }, 'full re-score failed'))
          .finally(() => (rescoring = false));
      };
      const timer = setInterval(() => rescoreEverything('periodic re-score'), config.rescoreMinutes * 60_000);
      timer.unref();

      const feed = startChangeFeed(ctx);
      // Webhooks (banks, police, guardians) leave through the outbox; the same loop sweeps expired
      // holds, freezes and risky-call alerts.
      const dispatcher = startOutboxDispatcher(ctx);
      // A signed checkpoint every CALLSHIELD_AUDIT_CHECKPOINT_SECONDS when the log grew; it goes
      // out through the same outbox to the organisations that witness the log.
      const checkpointer = startCheckpointer(ctx);
      let sip: SipServer | undefined;
      let cdrStream: CdrStreamConsumer | undefined;
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
        await sip?.close();
        await cdrStream?.stop();
        await feed.stop();
        await checkpointer.stop();
        await dispatcher.stop();
        await app.close();
        // The next start reads this instead of re-scoring every identifier (cut short by the deadline, the previous snapshot stays).
        await saveSnapshot('shutdown');
        await ctx.close();
        clearTimeout(deadline);
        ctx.logger.info('shut down');
        process.exit(0);
      };
      process.once('SIGINT', () => void shutdown('SIGINT'));
      process.once('SIGTERM', () => void shutdown('SIGTERM'));
      // From a snapshot: what other processes wrote since it (the change log) is applied before the
      // first request, so no answer comes from the snapshot's older state.
      if (ctx.indexSnapshot()) await ctx.applyChanges();
      const address = await app.listen({ port: config.port, host: config.host });
      ctx.logger.info({ address, db: config.databaseUrl ? 'postgres' : config.dbPath }, 'callshield listening');
      process.stdout.write(`callshield listening on ${address} (docs: ${address}/docs)\n`);
      if (opts.cdrNats !== undefined && opts.cdrSubject !== undefined) {
        cdrStream = startCdrStreamConsumer(ctx, { url: opts.cdrNats, subject: opts.cdrSubject, utcOffsetMinutes: cdrOffset });
        try {
          await cdrStream.ready;
        } catch (err) {
          await app.close();
          await ctx.close();
          throw err;
        }
        ctx.logger.info({ nats: opts.cdrNats, subject: opts.cdrSubject, consumer: cdrStream.name }, 'callshield consuming call records');
        process.stdout.write(`callshield consuming call records from ${opts.cdrSubject} (durable consumer ${cdrStream.name})\n`);
      }
      // Served from a snapshot: decay since it was written, and evidence written without a change-log
      // entry (a restored backup, a hand edit), are caught up by one full re-score in the background.
      if (ctx.indexSnapshot()) rescoreEverything('started from the snapshot');
      else void saveSnapshot('index loaded');
      if (sipPort !== undefined) {
        try {
          sip = await startSipServer(ctx, { host: opts.sipHost ?? '127.0.0.1', port: sipPort, actor: sipActor, redressUrl: opts.sipRedressUrl ?? `${address}/v1/appeals` });
        } catch (err) {
          await app.close();
          await ctx.close();
          throw err;
        }
        ctx.logger.info({ host: sip.host, port: sip.port }, 'callshield SIP listening');
        process.stdout.write(`callshield SIP listening on ${sip.host}:${sip.port} (UDP and TCP)\n`);
      }
    });
}
