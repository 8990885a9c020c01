import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { CLI_OPERATOR } from '../../operations/actor.js';
import { listHolds } from '../../operations/payments/holds.js';
import { listFreezes } from '../../operations/payments/freezes.js';
import { listDeliveries } from '../../operations/payments/webhooks.js';
import { dispatchDue, sweepPayments } from '../../operations/payments/dispatcher.js';
import { signatureHeader, verifySignature } from '../../payments/index.js';
import { openFromCli } from '../open-app.js';
import type { DbOption } from '../open-app.js';

// `callshield payments …`: the operator's view of holds, freezes and webhook deliveries (the same
// operations as the API, as the local operator), one outbox pass, and the webhook signature for
// people writing a receiver.
export function registerPayments(program: Command): void {
  const payments = program.command('payments').description('holds, freezes, webhook deliveries and signatures');

  const list = (name: string, what: string, run: (ctx: Awaited<ReturnType<typeof openFromCli>>, status?: string) => Promise<unknown[]>) =>
    payments
      .command(name)
      .description(what)
      .option('--status <status>')
      .option('--db <path>', 'SQLite file (env CALLSHIELD_DB)')
      .action(async (opts: DbOption & { status?: string }) => {
        const ctx = await openFromCli(opts, {}, { skipIndex: true });
        try {
          for (const row of await run(ctx, opts.status)) process.stdout.write(`${JSON.stringify(row)}\n`);
        } finally {
          await ctx.close();
        }
      });
  list('holds', 'held transfers, one JSON line each (as GET /v1/holds for an admin)', (ctx, status) => listHolds(ctx, CLI_OPERATOR, status ? { status } : {}));
  list('freezes', 'emergency freezes, one JSON line each', (ctx, status) => listFreezes(ctx, CLI_OPERATOR, status ? { status } : {}));
  list('deliveries', 'the webhook delivery log, one JSON line each', (ctx, status) => listDeliveries(ctx, CLI_OPERATOR, status ? { status } : {}));

  payments
    .command('dispatch')
    .description('one pass of the outbox dispatcher: hold and task deadlines (an overdue task escalates to the regulator), guardian alerts, due webhook deliveries')
    .option('--db <path>', 'SQLite file (env CALLSHIELD_DB)')
    .action(async (opts: DbOption) => {
      const ctx = await openFromCli(opts, {}, { skipIndex: true });
      try {
        await sweepPayments(ctx);
        process.stdout.write(`attempted ${await dispatchDue(ctx)} deliveries\n`);
      } finally {
        await ctx.close();
      }
    });

  payments
    .command('sign')
    .description('print the X-Callshield-Signature header for a body (to test a receiver)')
    .requiredOption('--secret <secret>')
    .requiredOption('--body-file <file>')
    .option('--timestamp <unix>', 'defaults to now')
    .action((opts: { secret: string; bodyFile: string; timestamp?: string }) => {
      const t = opts.timestamp ? Number(opts.timestamp) : Math.floor(Date.now() / 1000);
      process.stdout.write(`${signatureHeader(opts.secret, t, readFileSync(opts.bodyFile, 'utf8'))}\n`);
    });

  payments
    .command('verify')
    .description('check a received X-Callshield-Signature header against the raw body; exit 1 if it does not verify')
    .requiredOption('--secret <secret>')
    .requiredOption('--header <value>')
    .requiredOption('--body-file <file>')
    .option('--tolerance <seconds>', 'largest accepted age', '300')
    .action((opts: { secret: string; header: string; bodyFile: string; tolerance: string }) => {
      const r = verifySignature(opts.header, readFileSync(opts.bodyFile, 'utf8'), opts.secret, Math.floor(Date.now() / 1000), Number(opts.tolerance));
      process.stdout.write(r.ok ? `ok (signed at ${new Date(r.timestamp * 1000).toISOString()})\n` : `not valid: ${r.reason}\n`);
      if (!r.ok) process.exitCode = 1;
    });
}
