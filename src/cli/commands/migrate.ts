import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { openDatabase } from '../../store/open-database.js';
import { migrateToLatest } from '../../store/migrate.js';

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
    });
}
