import { Command } from 'commander';
import { commandsFor } from './commands/index.js';
import { reportCliError } from './cli-errors.js';

const program = new Command()
  .name('callshield')
  .description('callshield: stop scam and harassment calls')
  .showHelpAfterError();

for (const register of await commandsFor(process.argv.slice(2))) register(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  process.exitCode = reportCliError(err);
}
