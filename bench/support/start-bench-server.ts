import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface BenchServer {
  url: string;
  key: string;
  appKey: string;
  /** The server process id. */
  pid: number;
  /** CPU seconds (user + system) the server process has used so far, from /proc (Linux). */
  cpuSeconds(): number;
  /** The same, user and system (kernel) time apart. */
  cpuTimes(): { user: number; system: number };
  stop(): void;
}

/** CPU seconds a process has used in user and in kernel (system) mode (utime, stime of /proc/PID/stat). */
export function cpuTimesOf(pid: number): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]) / 100, system: Number(fields[12]) / 100 }; // clock ticks: 100 a second on Linux
}

/** CPU seconds a process has used (utime + stime of /proc/PID/stat). */
export function cpuSecondsOf(pid: number): number {
  const t = cpuTimesOf(pid);
  return t.user + t.system;
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
  return { url, key, appKey: appKey ?? key, pid: child.pid!, cpuSeconds: () => cpuSecondsOf(child.pid!), cpuTimes: () => cpuTimesOf(child.pid!), stop: () => child.kill() };
}
