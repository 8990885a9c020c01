import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type autocannon from 'autocannon';

const script = fileURLToPath(new URL('./load-generator.ts', import.meta.url));

export interface ApartResult {
  result: autocannon.Result;
  /** CPU seconds the server (`pid`) used during the measured run, user and system apart. */
  cpu?: { user: number; system: number };
}

/**
 * Runs autocannon with these options in a fresh process of its own (load-generator.ts): a warm-up
 * of `warmSeconds` on the same target, then the measured run; with `pid`, that server's CPU time
 * during the measured run.
 */
export function loadApart(options: autocannon.Options, opts: { warmSeconds?: number; pid?: number } = {}): Promise<ApartResult> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', script, JSON.stringify({ options, ...opts })], { maxBuffer: 16 << 20 }, (err, stdout) => {
      if (err) return reject(err);
      resolve(JSON.parse(stdout) as ApartResult);
    });
  });
}
