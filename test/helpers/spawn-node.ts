// Runs `callshield serve` as a separate process (a "node" of a cluster) and returns its URL.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ServiceNode {
  url: string;
  proc: ChildProcess;
  /** Every line the node wrote to stdout (its pino log lines are JSON there). */
  lines: string[];
  stop(): Promise<void>;
}

export async function spawnServiceNode(env: Record<string, string>, args: readonly string[] = []): Promise<ServiceNode> {
  const proc = spawn(process.execPath, ['bin/callshield.js', 'serve', '--port', '0', ...args], {
    cwd: new URL('../..', import.meta.url).pathname,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: proc.stdout! });
    rl.on('line', (line) => {
      lines.push(line);
      const m = /listening on (http:\/\/\S+)/.exec(line);
      if (m) resolve(m[1]!);
    });
    proc.once('exit', (code) => reject(new Error(`callshield serve exited with ${code}`)));
  });
  return {
    url,
    proc,
    lines,
    stop: () =>
      new Promise((resolve) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}
