import type { Command } from 'commander';
import { describeConfig, loadConfig } from '../../config.js';

/** `callshield config`: the effective configuration (environment and defaults), validated, secrets masked. */
export function registerConfig(program: Command): void {
  program
    .command('config')
    .description('print the effective configuration (from the environment and defaults), secrets masked; fails on an invalid setting')
    .option('--json', 'one JSON object instead of a table')
    .action((opts: { json?: boolean }) => {
      const rows = describeConfig(loadConfig(process.env));
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(Object.fromEntries(rows.map((r) => [r.name, r.value])), null, 2)}\n`);
        return;
      }
      const width = Math.max(...rows.map((r) => r.env.length));
      for (const r of rows) process.stdout.write(`${r.env.padEnd(width)}  ${r.value === null ? '(unset)' : String(r.value)}\n`);
    });
}
