import type { Command } from 'commander';
import { getOrgSettings, setOrgSettings } from '../../operations/org-settings.js';
import { CLI_OPERATOR } from '../../operations/actor.js';
import { openFromCli } from '../open-app.js';

/** `callshield orgs settings`: an organisation's settings (the language of its webhook events). */
export function registerOrgs(program: Command): void {
  const orgs = program.command('orgs').description('settings of the organisations that use this callshield');
  orgs
    .command('settings')
    .description("show an organisation's settings, or change them with --language (the language of its webhook events)")
    .requiredOption('--org <name>', 'organisation name')
    .option('--language <tag>', 'en | zh-CN | zh-TW')
    .option('--json', 'one JSON object')
    .option('--db <path>', 'SQLite file (env CALLSHIELD_DB)')
    .action(async (opts: { org: string; language?: string; json?: boolean; db?: string }) => {
      const ctx = await openFromCli(opts, {}, { skipIndex: true });
      try {
        const s = opts.language !== undefined ? await setOrgSettings(ctx, { org: opts.org, language: opts.language }, CLI_OPERATOR) : await getOrgSettings(ctx, CLI_OPERATOR, opts.org);
        process.stdout.write(opts.json ? `${JSON.stringify(s)}\n` : `organisation "${s.org}"  language ${s.language ?? '(not set: events as written, English)'}\n`);
      } finally {
        await ctx.close();
      }
    });
}
