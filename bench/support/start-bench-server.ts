import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface BenchServer {
  url: string;
  key: string;
  appKey: string;
  /** CPU seconds (user + system) the server process has used so far, from /proc (Linux). */
  cpuSeconds(): number;
  stop(): void;
}

/** CPU seconds a process has used (utime + stime of /proc/PID/stat). */
export function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // clock ticks: 100 a second on Linux
}

/** Starts bench/support/bench-server.ts in its own process with `n` reputations loaded. */
export async function startBenchServer(n: number, env: Record<string, string> = {}, script = './bench-server.ts'): Promise<BenchServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL(script, import.meta.url)), String(n)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`bench server exited ${code}`)));
  });
  const { url, key, appKey } = JSON.parse(line) as { url: string; key: string; appKey: string };
  return { url, key, appKey: appKey ?? key, cpuSeconds: () => cpuSecondsOf(child.pid!), stop: () => child.kill() };
}
