// Profiling aid for the screening hot loop (not part of `npm run bench`):
// `node --cpu-prof --import tsx bench/support/profile-screen.ts` prints decisions per second.
import { ReputationIndex, scoreEvidence } from '../../src/reputation/index.js';
import { hashIdentifier } from '../../src/identity/index.js';
import { screen } from '../../src/operations/screening/screen.js';
import { createAreaStates } from '../../src/app-context.js';
import { PolicyBook } from '../../src/screening/index.js';
import type { AppContext } from '../../src/app-context.js';
import { loadConfig } from '../../src/config.js';

const N = 1_000_000;
const keyOf = (i: number) => `+86139${String(i).padStart(8, '0')}`;
const index = new ReputationIndex();
const now = Date.now();
const reps = [1, 2, 6, 12].map((k) => scoreEvidence(Array.from({ length: k }, (_, i) => ({ source: 'crowd' as const, category: 'fraud' as const, at: now - 1000, reporter: `r${i}` })), now));
for (let i = 0; i < N; i++) index.set(keyOf(i), reps[i & 3]!);
const ctx = { config: loadConfig({}, { dbPath: ':memory:' }), index, policies: new PolicyBook(), hash: (c: string) => hashIdentifier('b', c), now: () => now, area: createAreaStates() } as unknown as AppContext;
const callees = Array.from({ length: 1000 }, (_, i) => `+86138${String(i).padStart(8, '0')}`);
const callers = Array.from({ length: 100_000 }, (_, i) => (i % 10 === 9 ? `+86137${String(i).padStart(8, '0')}` : keyOf((i * 7919) % N)));
for (const c of callees) screen(ctx, { caller: callers[0]!, callee: c, channel: 'pstn' }, 'bench-carrier');
for (const c of callers) screen(ctx, { caller: c, callee: callees[0]!, channel: 'pstn' }, 'bench-carrier');
const t = performance.now();
for (let i = 0; i < 3_000_000; i++) screen(ctx, { caller: callers[i % callers.length]!, callee: callees[i % callees.length]!, channel: 'pstn' }, 'bench-carrier');
console.log((3_000_000 / ((performance.now() - t) / 1000)) | 0);
