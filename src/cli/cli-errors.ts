import { isCallshieldError } from '../errors.js';

// The CLI maps the same catalogue codes as the HTTP API to an exit status and one line on stderr:
// 2 for the user's input, 1 for our own faults.
export function reportCliError(err: unknown): number {
  if (isCallshieldError(err)) {
    const where = err.field ? ` (${err.field})` : '';
    process.stderr.write(`callshield: ${err.code}${where}: ${err.message}\n`);
    return err.ours ? 1 : 2;
  }
  process.stderr.write(`callshield: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  return 1;
}
