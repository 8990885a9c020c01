// Runs `audit verify` (the same function as the CLI) on a SQLite file in a process of its own, so
// that its peak RSS is the verification's alone. Prints one JSON line: seconds, CPU seconds, peak
// RSS, the RSS sampled every second, and the verdict.
import { pino } from 'pino';
import { openApp } from '../../src/app-context.js';
import { loadConfig } from '../../src/config.js';
import { verifyAuditLogOf } from '../../src/operations/audit/verify.js';

const path = process.argv[2]!;
const ctx = await openApp(loadConfig({}, { dbPath: path, logLevel: 'silent' }), { logger: pino({ level: 'silent' }), skipIndex: true, createAuditKey: false });
const samples: number[] = [];
const timer = setInterval(() => samples.push(Math.round(process.memoryUsage().rss / 1048576)), 1000);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const r = await verifyAuditLogOf(ctx);
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
clearInterval(timer);
await ctx.close();
console.log(
  JSON.stringify({
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    rssSamplesMB: samples,
    ok: r.ok,
    entries: r.entries,
    checkpoint: r.checkpoint?.treeSize,
    problem: r.problem,
  }),
);
