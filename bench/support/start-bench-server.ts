import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface BenchServer {
  url: string;
  key: string;
  appKey: string;
  stop(): void;
}

/** Starts bench/support/bench-server.ts in its own process with `n` reputations loaded. */
export async function startBenchServer(n: number, env: Record<string, string> = {}): Promise<BenchServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./bench-server.ts', import.meta.url)), String(n)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`bench server exited ${code}`)));
  });
  const { url, key, appKey } = JSON.parse(line) as { url: string; key: string; appKey: string };
  return { url, key, appKey, stop: () => child.kill() };
}
