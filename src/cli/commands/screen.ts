import type { Command } from 'commander';
import { CallshieldError } from '../../errors.js';
import { CLI_OPERATOR } from '../../operations/actor.js';
import { screen } from '../../operations/screening/screen.js';
import { findOrgByName } from '../../store/orgs.js';
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
    .option('--org <name>', "screen as this organisation would, with its subscriber policies (default: no subscriber policy)")
    .option('--json', 'print the decision as JSON')
    .action(async (caller: string, opts: { to: string; channel: string; attestation?: string; org?: string; db?: string; region?: string; json?: boolean }) => {
      const ctx = await openFromCli(opts);
      try {
        let asker = CLI_OPERATOR.orgId;
        if (opts.org !== undefined) {
          const org = await findOrgByName(ctx.db, opts.org);
          if (!org) throw new CallshieldError('REQUEST_NOT_FOUND', `no organisation named ${opts.org}`, { field: 'org' });
          asker = org.id;
        }
        const d = screen(ctx, { caller, callee: opts.to, channel: opts.channel, ...(opts.attestation ? { attestation: opts.attestation } : {}) }, asker);
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
