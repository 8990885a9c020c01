import type { Command } from 'commander';
import { fileReport } from '../../operations/reputation/reports.js';
import { CLI_OPERATOR } from '../../operations/actor.js';
import { openFromCli } from '../open-app.js';

export function registerReport(program: Command): void {
  program
    .command('report <caller>')
    .description('report a caller, exactly as POST /v1/reports does')
    .requiredOption('--category <category>', 'fraud | impersonation | harassment | robocall | spam-ad | other')
    .requiredOption('--reporter <ref>', 'opaque reference to the subscriber who reports')
    .option('--comment <text>')
    .option('--channel <channel>', 'pstn | video | voip | sms')
    .option('--claimed <organisation>', 'who the caller claimed to be')
    .option('--db <path>', 'SQLite file (env CALLSHIELD_DB)')
    .option('--region <cc>', 'default region for national numbers')
    .action(async (caller: string, opts: { category: string; reporter: string; comment?: string; channel?: string; claimed?: string; db?: string; region?: string }) => {
      const ctx = await openFromCli(opts, {}, { skipIndex: true });
      try {
        const r = await fileReport(
          ctx,
          { caller, reporter: opts.reporter, category: opts.category, ...(opts.comment ? { comment: opts.comment } : {}), ...(opts.channel ? { channel: opts.channel } : {}), ...(opts.claimed ? { claimedOrganization: opts.claimed } : {}) },
          CLI_OPERATOR,
        );
        process.stdout.write(`report ${r.id} on ${r.caller}: now score ${r.reputation.score}, ${r.reputation.label}\n`);
      } finally {
        await ctx.close();
      }
    });
}
