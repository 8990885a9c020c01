// Loads 20,000,000 identifiers (more than one V8 Map's 2^24) into the hot index once and checks
// every one comes back, then prints heap bytes per identifier and look-ups per second. Not part of
// `npm run bench` (a minute and ~1.5 GB); issue 17's proof that the sharded index holds > 2^24:
//   node --expose-gc --max-old-space-size=6000 --import tsx bench/support/index-20m.ts [count]
import { loadavg } from 'node:os';
import { ReputationIndex, scoreEvidence } from '../../src/reputation/index.js';
import { seedNumber } from './startup-numbers.js';

const N = Number(process.argv[2] ?? 20_000_000);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const now = Date.now();
const reps = [1, 2, 6, 12].map((k) =>
  scoreEvidence(Array.from({ length: k }, (_, i) => ({ source: 'crowd' as const, category: 'fraud' as const, at: now - 1000, reporter: `r${i}` })), now),
);
// A few e-mail callers too: they live in the string shards (Maps), the numbers in NumberTables.
const EMAILS = 100_000;

gc();
const before = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
let t = performance.now();
const index = new ReputationIndex();
for (let i = 0; i < N; i++) index.set(seedNumber(i), reps[i & 3]!);
for (let i = 0; i < EMAILS; i++) index.set(`caller${i}@example.com`, reps[i & 3]!);
const loadSeconds = (performance.now() - t) / 1000;
gc();
const after = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;

if (index.size !== N + EMAILS) throw new Error(`index holds ${index.size}, expected ${N + EMAILS}`);
t = performance.now();
let found = 0;
for (let i = 0; i < N; i++) if (index.get(seedNumber(i))?.score === reps[i & 3]!.score) found++;
for (let i = 0; i < EMAILS; i++) if (index.get(`caller${i}@example.com`)?.score === reps[i & 3]!.score) found++;
const getSeconds = (performance.now() - t) / 1000;
if (found !== N + EMAILS) throw new Error(`${N + EMAILS - found} identifiers did not come back`);

console.log(
  `${index.size.toLocaleString('en-US')} identifiers (${N.toLocaleString('en-US')} numbers, ${EMAILS.toLocaleString('en-US')} e-mail) > 2^24 = 16,777,216: ` +
    `all found; loaded in ${loadSeconds.toFixed(1)} s, ${((after - before) / index.size).toFixed(1)} bytes per identifier (heap + typed arrays), ` +
    `${Math.round(index.size / getSeconds).toLocaleString('en-US')} look-ups/s (key built per look-up); load average ${loadavg().map((x) => x.toFixed(1)).join(', ')}`,
);
