// Profiling aid for report ingestion (not part of `npm run bench`): starts reports-bench-server.ts
// with BENCH_PROFILE, loads POST /v1/reports on the hot caller with autocannon, and leaves a CPU
// profile of the serving (not the set-up) in the file named.
//   node --import tsx bench/support/profile-reports.ts 100000 /tmp/reports.cpuprofile
// (DATABASE_URL=... for PostgreSQL; BENCH_PG_TRACE=1 also prints every statement the serving
// sent, with its count and mean time, bench/support/trace-pg.ts.)
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const existing = process.argv[2] ?? '0';
const out = process.argv[3] ?? '/tmp/callshield-reports.cpuprofile';
const POOL = 150_000;
const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./reports-bench-server.ts', import.meta.url)), existing, String(POOL)], {
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, BENCH_PROFILE: out },
});
const { url, appKey } = JSON.parse(await new Promise<string>((r) => createInterface({ input: child.stdout! }).once('line', r))) as { url: string; appKey: string };
let next = 0;
const run = (seconds: number) =>
  autocannon({
    url: `${url}/v1/reports`,
    method: 'POST',
    connections: 10,
    duration: seconds,
    headers: { authorization: `Bearer ${appKey}`, 'content-type': 'application/json' },
    requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify({ caller: '+8613700001234', reporter: `s${next++ % POOL}`, category: 'fraud', channel: 'pstn' }) }) }],
  });
await run(Number(process.env.BENCH_WARMUP ?? 3));
child.kill('SIGUSR2'); // the profile starts after the warm-up (and the tally's first build)
const r = await run(Number(process.env.BENCH_SECONDS ?? 5));
console.log(JSON.stringify({ rps: r.requests.average, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors }));
child.kill('SIGTERM');
await new Promise((res) => child.once('exit', res));
console.log(`profile in ${out}`);
