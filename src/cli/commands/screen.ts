import type { Command } from 'commander';
import { screen } from '../../operations/screening/screen.js';
import { openFromCli } from '../open-app.js';

export function registerScreen(program: Command): void {
  program
    .command('screen <caller>')
    .description('decide what to do with a call, exactly as POST /v1/screen does')
    .requiredOption('--to <callee>', 'the number or e-mail being called')
    .option('--channel <channel>', 'pstn | video | voip', 'pstn')
    .option('--attestation <level>', 'STIR/SHAKEN attestation A | B | C')
    .option('--db <path>', 'SQLite file (env CALLSHIELD_DB)')
    .option('--region <cc>', 'default region for national numbers (env CALLSHIELD_DEFAULT_REGION)')
    .option('--json', 'print the decision as JSON')
    .action(async (caller: string, opts: { to: string; channel: string; attestation?: string; db?: string; region?: string; json?: boolean }) => {
      const ctx = await openFromCli(opts);
      try {
        const d = screen(ctx, { caller, callee: opts.to, channel: opts.channel, ...(opts.attestation ? { attestation: opts.attestation } : {}) });
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(d, null, 2)}\n`);
          return;
        }
        process.stdout.write(`${d.action.toUpperCase()}  ${d.caller}  score ${d.score}  ${d.label}\n`);
        for (const r of d.reasons) process.stdout.write(`  - ${r.code}: ${r.text}\n`);
        if (d.advice) process.stdout.write(`  advice: ${d.advice}\n`);
      } finally {
        await ctx.close();
      }
    });
}
