// The one place that knows where the large labelled data sets may sit. They are not in the
// repository (their licences forbid redistributing them; only the FTC complaint file ships, in
// examples/), so a test that measures on them asks sharedDataPath() and skips, saying why, when it
// returns undefined. test/unit/repository-paths.test.ts allows a path outside the repository
// here and nowhere else.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** CALLSHIELD_DATA_DIR when set, else shared/data beside the checkout (where CI puts it). */
export function sharedDataDir(): string {
  const fromEnv = process.env.CALLSHIELD_DATA_DIR;
  return fromEnv ? resolve(fromEnv) : join(REPO, '..', 'shared', 'data');
}

/** The path of one labelled data file, or undefined when it is not there. */
export function sharedDataPath(name: string): string | undefined {
  const path = join(sharedDataDir(), name);
  return existsSync(path) ? path : undefined;
}

/** What a skipped test says: which file it wanted, where it looked, and how to point it elsewhere. */
export function missingDataMessage(name: string): string {
  return `${name} not found in ${sharedDataDir()} (the labelled data sets are not part of the repository; set CALLSHIELD_DATA_DIR to measure on them)`;
}
