import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { openDatabase } from '../../store/open-database.js';
import { migrateToLatest } from '../../store/migrate.js';
import { openApp } from '../../app-context.js';
import { latestCheckpoint } from '../../store/audit/log.js';
import { pino } from 'pino';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('bring the database schema up to date (also done at start-up)')
    .option('--db <path>', 'SQLite file (env CALLSHIELD_DB); DATABASE_URL selects PostgreSQL')
    .action(async (opts: { db?: string }) => {
      const config = loadConfig(process.env, opts.db ? { dbPath: opts.db } : {});
      const { db, engine } = openDatabase(config);
      try {
        const applied = await migrateToLatest(db);
        process.stdout.write(`${engine}: ${applied.length ? `applied ${applied.join(', ')}` : 'already up to date'}\n`);
      } finally {
        await db.destroy();
      }
      // The audit log's first checkpoint is signed at migration when the key is there (opening the
      // app does it; on SQLite it also creates the key on first use).
      const ctx = await openApp(config, { skipIndex: true, logger: pino({ level: 'warn' }, pino.destination(2)) });
      try {
        const cp = await latestCheckpoint(ctx.db);
        if (cp) process.stdout.write(`audit log: ${cp.treeSize} entries, latest checkpoint signed ${cp.createdAt}\n`);
        else process.stdout.write('audit log: no checkpoint yet (set CALLSHIELD_AUDIT_KEY_FILE to sign one)\n');
      } finally {
        await ctx.close();
      }
    });
}
