// The `callshield` command as users run it: the compiled build (bin/callshield.js) in a child
// process, with none of the test process's own database, server, Redis or test-runner settings
// leaking in unless the test passes them.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = join(ROOT, 'bin', 'callshield.js');

/** Settings a test must pass itself to have them: from the test process they would point elsewhere. */
const NOT_INHERITED = [
  'CALLSHIELD_DB',
  'DATABASE_URL',
  'PORT',
  'HOST',
  'CALLSHIELD_REDIS_URL',
  'CALLSHIELD_SQLITE_SYNC',
  'CALLSHIELD_DEFAULT_REGION',
  'CALLSHIELD_STIR_CA_FILE',
  'CALLSHIELD_AUDIT_KEY_FILE',
  'NODE_OPTIONS',
  'NODE_TEST_CONTEXT',
];

/** The test process's environment with `extra` on top and NOT_INHERITED taken out (unless in `extra`). */
export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const k of NOT_INHERITED) if (!(k in extra)) delete env[k];
  return env;
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `callshield ARGS` to its end; `code` is its exit status (-1 when it did not exit by itself). */
export function runCli(args: string[], env: Record<string, string> = {}, opts: { timeout?: number; maxBuffer?: number } = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, env: cliEnv(env), timeout: opts.timeout ?? 120_000, ...(opts.maxBuffer ? { maxBuffer: opts.maxBuffer } : {}) }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
