import type { Command } from 'commander';
import { verifyAuditLog } from '../../store/audit/log.js';
import { openFromCli } from '../open-app.js';

export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('the hash-chained audit log');
  audit
    .command('verify')
    .description('check every link of the chain; exits 1 and names the first broken link if any')
    .option('--db <path>', 'SQLite file (env CALLSHIELD_DB)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { db?: string; json?: boolean }) => {
      const ctx = await openFromCli(opts, {}, { skipIndex: true });
      try {
        const r = await verifyAuditLog(ctx.db);
        if (opts.json) process.stdout.write(`${JSON.stringify(r)}\n`);
        else if (r.ok) process.stdout.write(`audit chain ok: ${r.entries} entries, head ${r.head}\n`);
        else process.stdout.write(`audit chain BROKEN at entry ${r.brokenAt!.seq}: ${r.brokenAt!.problem}\n`);
        if (!r.ok) process.exitCode = 1;
      } finally {
        await ctx.close();
      }
    });
}
