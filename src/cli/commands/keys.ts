import type { Command } from 'commander';
import { createApiKey } from '../../operations/keys.js';
import { CLI_OPERATOR } from '../../operations/actor.js';
import { openFromCli } from '../open-app.js';

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('API keys of the organisations that use this callshield');
  keys
    .command('create')
    .description('create a key (and the organisation on first use); the key is the last line of output')
    .requiredOption('--org <name>', 'organisation name')
    .requiredOption('--role <role>', 'carrier | platform | bank | police | regulator | app | business | admin')
    .option('--person <id>', 'who holds the key: a staff or badge number (required for police, bank and regulator keys), or a system name for machine keys')
    .option('--label <text>', 'what the key is for')
    .option('--db <path>', 'SQLite file (env CALLSHIELD_DB)')
    .action(async (opts: { org: string; role: string; label?: string; person?: string; db?: string }) => {
      const ctx = await openFromCli(opts, {}, { skipIndex: true });
      try {
        const k = await createApiKey(ctx, opts, CLI_OPERATOR);
        process.stdout.write(`${k.orgCreated ? 'created' : 'existing'} organisation "${k.org.name}" (${k.org.role}); person ${k.person}; key id ${k.keyId}\n`);
        process.stdout.write('store this key now: it is not shown again\n');
        process.stdout.write(`${k.key}\n`);
      } finally {
        await ctx.close();
      }
    });
}
