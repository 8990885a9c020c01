import type { Command } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { importComplaints } from '../../operations/governance/import-complaints.js';
import { CLI_OPERATOR } from '../../operations/actor.js';
import { openFromCli } from '../open-app.js';
import { registerImportCdr } from './cdr.js';

export function registerImport(program: Command): void {
  const imp = program.command('import').description('bulk imports');
  registerImportCdr(imp);
  imp
    .command('complaints <file>')
    .description('load an FTC Do-Not-Call complaint CSV as reports (examples/ftc-dnc-complaints-2021-07-08.csv)')
    .option('--db <path>', 'SQLite file (env CALLSHIELD_DB)')
    .option('--region <cc>', 'region of the numbers in the file', 'US')
    .option('--keep-dates', 'keep the complaint dates as filed (old complaints then count for little)')
    .action(async (file: string, opts: { db?: string; region: string; keepDates?: boolean }) => {
      const ctx = await openFromCli({ ...(opts.db ? { db: opts.db } : {}) }, {}, { skipIndex: true });
      const bar = new SingleBar({ format: 'importing [{bar}] {percentage}% | {rows} complaints', hideCursor: true, stream: process.stderr, noTTYOutput: true, notTTYSchedule: 1000 }, Presets.shades_classic);
      bar.start(100, 0, { rows: 0 });
      try {
        const r = await importComplaints(ctx, file, CLI_OPERATOR, {
          region: opts.region,
          ...(opts.keepDates ? { keepDates: true } : {}),
          onProgress: (p) => bar.update(Math.round((100 * p.bytes) / Math.max(1, p.totalBytes)), { rows: p.rows }),
        });
        bar.stop();
        process.stdout.write(`imported ${r.imported} complaints about ${r.identifiers} numbers; skipped ${r.skipped.length}\n`);
        if (r.shiftedByDays) process.stdout.write(`dates moved forward by ${r.shiftedByDays} days so the newest complaint is today (use --keep-dates to keep them)\n`);
        for (const s of r.skipped.slice(0, 5)) process.stdout.write(`  line ${s.line}: ${s.reason}\n`);
        if (r.skipped.length > 5) process.stdout.write(`  ... and ${r.skipped.length - 5} more\n`);
      } finally {
        bar.stop();
        await ctx.close();
      }
    });
}
