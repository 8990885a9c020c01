import type { Command } from 'commander';
import { registerDnc as addToDnc, scrubFile, withdrawDnc } from '../../operations/governance/dnc.js';
import { CLI_OPERATOR } from '../../operations/actor.js';
import type { Actor } from '../../operations/actor.js';
import { openFromCli } from '../open-app.js';

/** `callshield dnc scrub FILE --purpose P`, and registering or withdrawing a number. */
export function registerDnc(program: Command): void {
  const dnc = program.command('dnc').description('the do-not-call registry');
  dnc
    .command('scrub <file>')
    .description('which numbers of FILE (one per line, or a CSV with a "number" column) may be called for a purpose; streams CSV (number,e164,callable,reasons) to stdout or --out')
    .requiredOption('--purpose <purpose>', 'marketing | research | notifications | customer-service')
    .option('--channel <channel>', 'voice (default) | sms | video: a consent counts only on its own channel')
    .option('--business <name>', 'the business that wants to call (its consents count)')
    .option('--require-consent', 'marketing needs an explicit consent from the business')
    .option('--out <file>', 'write the results to a file')
    .option('--db <path>', 'SQLite file (env CALLSHIELD_DB)')
    .action(async (file: string, opts: { purpose: string; channel?: string; business?: string; requireConsent?: boolean; out?: string; db?: string }) => {
      const ctx = await openFromCli({ ...(opts.db ? { db: opts.db } : {}) }, {}, { skipIndex: true });
      try {
        const started = performance.now();
        const counts = await scrubFile(ctx, file, { purpose: opts.purpose, ...(opts.channel ? { channel: opts.channel } : {}), ...(opts.business ? { business: opts.business } : {}), ...(opts.requireConsent ? { requireConsent: true } : {}) }, CLI_OPERATOR, opts.out ? { out: opts.out } : {});
        const reasons = Object.entries(counts.byReason).map(([k, v]) => `${k} ${v}`).join(', ');
        process.stderr.write(`scrubbed ${counts.total.toLocaleString('en-US')} numbers in ${((performance.now() - started) / 1000).toFixed(1)} s: ${counts.callable.toLocaleString('en-US')} callable, ${counts.notCallable.toLocaleString('en-US')} not${reasons ? ` (${reasons})` : ''}\n`);
      } finally {
        await ctx.close();
      }
    });
  for (const [name, what, run] of [
    ['register', 'put a number on the do-not-call list', addToDnc],
    ['withdraw', "take a number off the do-not-call list (as admin: every organisation's registration)", withdrawDnc],
  ] as const) {
    dnc
      .command(`${name} <number>`)
      .description(what)
      .option('--db <path>', 'SQLite file (env CALLSHIELD_DB)')
      .action(async (number: string, opts: { db?: string }) => {
        const ctx = await openFromCli({ ...(opts.db ? { db: opts.db } : {}) }, {}, { skipIndex: true });
        try {
          const r = await run(ctx, { number }, CLI_OPERATOR as Actor);
          process.stdout.write(`${r.number}: ${r.registered ? 'on the do-not-call list' : 'not on the do-not-call list'}\n`);
        } finally {
          await ctx.close();
        }
      });
  }
}
