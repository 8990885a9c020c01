// The audit log as a transparency log (docs/audit.md):
// 1. appends per second, each in its own transaction as every write does, beside today's baseline
//    in the same run: the plain hash chain (select the head, insert the row) on the same schema;
// 2. inclusion and consistency proofs per second from the stored tree;
// 3. `audit verify` of a 10,000,000-entry log (BENCH_AUDIT_ENTRIES) written straight into a
//    SQLite file, in a process of its own: wall and CPU seconds, peak RSS beside a 1,000,000-entry
//    log's (flat memory: the same peak at ten times the entries).
import { spawnSync } from 'node:child_process';

import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import { pino } from 'pino';
import { createHash } from 'node:crypto';
import { GENESIS_HASH, consistencyRanges, inclusionRanges } from '../src/audit/index.js';
import { openApp } from '../src/app-context.js';
import { loadConfig } from '../src/config.js';
import { appendAudit, auditTreeSize, rangeHashes } from '../src/store/audit/log.js';
import type { AuditInput } from '../src/store/audit/log.js';
import type { Database } from '../src/store/schema.js';
import { seededRandom } from '../src/seeded-random.js';
import { generateAuditLogFile } from './support/audit-log-file.js';

const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');
const APPENDS = Number(process.env.BENCH_AUDIT_APPENDS ?? 20_000);
const BIG = Number(process.env.BENCH_AUDIT_ENTRIES ?? 10_000_000);
const dir = mkdtempSync(join(tmpdir(), 'callshield-audit-bench-'));

/** Today's append before the tree: the chain alone (the code this change replaced). */
async function appendChainOnly(db: Kysely<Database>, input: AuditInput): Promise<void> {
  const last = await db.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const base = {
    seq: (last ? Number(last.seq) : 0) + 1,
    at: input.at ?? new Date().toISOString(),
    actor: input.actor,
    action: input.action,
    subject: input.subject,
    details: JSON.stringify(input.details ?? {}),
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  const hash = createHash('sha256').update(JSON.stringify([base.seq, base.at, base.actor, base.action, base.subject, base.details, base.prevHash])).digest('hex');
  await db
    .insertInto('audit_log')
    .values({ seq: base.seq, at: base.at, actor: base.actor, action: base.action, subject: base.subject, details: base.details, prev_hash: base.prevHash, hash, leaf_hash: null as unknown as Buffer })
    .execute();
}

const input = (i: number): AuditInput => ({ actor: 'City Police 7 (police)', action: 'freeze.file', subject: `freeze:${i}`, details: { amount: i, accounts: [{ account: `6222${i}`, bank: 'First Bank' }] } });

// --- 1. appends, interleaved in rounds so that both see the same machine load ---
const treeCtx = await openApp(loadConfig({}, { dbPath: join(dir, 'tree.db'), logLevel: 'silent' }), { logger: pino({ level: 'silent' }), skipIndex: true });
const chainCtx = await openApp(loadConfig({}, { dbPath: join(dir, 'chain.db'), logLevel: 'silent' }), { logger: pino({ level: 'silent' }), skipIndex: true });
const ROUNDS = 8;
let treeMs = 0;
let chainMs = 0;
let n = 0;
for (let round = 0; round < ROUNDS; round++) {
  const per = APPENDS / ROUNDS;
  let t = performance.now();
  for (let i = 0; i < per; i++) await chainCtx.db.transaction().execute((trx) => appendChainOnly(trx, input(n + i)));
  chainMs += performance.now() - t;
  t = performance.now();
  for (let i = 0; i < per; i++) await treeCtx.db.transaction().execute((trx) => appendAudit(trx, input(n + i)));
  treeMs += performance.now() - t;
  n += per;
}
const treeRate = APPENDS / (treeMs / 1000);
const chainRate = APPENDS / (chainMs / 1000);
const treeNodes = (await treeCtx.db.selectFrom('audit_nodes').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst())?.n;
await chainCtx.close();
await treeCtx.close();

// --- 3. the big log (generated first: the proofs below run on it) ---
const bigPath = join(dir, 'big.db');
const genStart = performance.now();
await generateAuditLogFile(bigPath, BIG);
const genSeconds = (performance.now() - genStart) / 1000;
const bigBytes = statSync(bigPath).size;
const smallPath = join(dir, 'small.db');
await generateAuditLogFile(smallPath, Math.min(1_000_000, BIG));

function verifyRun(path: string): { seconds: number; cpuSeconds: number; peakRssMB: number; ok: boolean; entries: number } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./support/audit-verify-run.ts', import.meta.url)), path], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`verify run failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!);
}
const small = verifyRun(smallPath);
const big = verifyRun(bigPath);

// --- 2. proofs on the big log ---
const bigCtx = await openApp(loadConfig({}, { dbPath: bigPath, logLevel: 'silent' }), { logger: pino({ level: 'silent' }), skipIndex: true, createAuditKey: false });
const size = await auditTreeSize(bigCtx.db);
const rand = seededRandom(12);
const PROOFS = 2_000;
let t = performance.now();
let pathLen = 0;
for (let i = 0; i < PROOFS; i++) pathLen += (await rangeHashes(bigCtx.db, inclusionRanges(Math.floor(rand() * size), size))).length;
const inclusionRate = PROOFS / ((performance.now() - t) / 1000);
t = performance.now();
let consLen = 0;
for (let i = 0; i < PROOFS; i++) {
  const from = 1 + Math.floor(rand() * (size - 1));
  consLen += (await rangeHashes(bigCtx.db, consistencyRanges(from, size))).length;
}
const consistencyRate = PROOFS / ((performance.now() - t) / 1000);
await bigCtx.close();
rmSync(dir, { recursive: true, force: true });

const ratio = treeRate / chainRate;
console.log(`## Audit log

Machine load average at the end: ${loadavg().map((x) => x.toFixed(1)).join(', ')} (2 cores shared with other work: wall seconds grow with the load, CPU seconds much less).
Command: \`npm run bench -- audit\` (BENCH_AUDIT_ENTRIES=${BIG}, BENCH_AUDIT_APPENDS=${APPENDS}).

### Appends (SQLite, one transaction each, as every write appends its entry)

| measure | Merkle tree (chain + leaf hash + subtrees) | baseline: the hash chain alone | ratio | target |
|---|---:|---:|---:|---:|
| appends per second | ${fmt(treeRate)} | ${fmt(chainRate)} | ${ratio.toFixed(2)}× | ≥ 0.8× |

${fmt(APPENDS)} appends each, interleaved in ${ROUNDS} rounds; the tree stored ${treeNodes} subtrees (those of 16 leaves and up; smaller ones are folded from the leaf hashes when a proof needs them).

### Proofs from the stored tree (${fmt(size)} entries)

| proof | per second | hashes per proof |
|---|---:|---:|
| inclusion, random leaf, tree size ${fmt(size)} | ${fmt(inclusionRate)} | ${(pathLen / PROOFS).toFixed(1)} |
| consistency, random older size → ${fmt(size)} | ${fmt(consistencyRate)} | ${(consLen / PROOFS).toFixed(1)} |

### \`audit verify\` of the whole log

| entries | wall seconds | CPU seconds | peak RSS | verdict |
|---:|---:|---:|---:|---|
| ${fmt(small.entries)} | ${small.seconds.toFixed(1)} | ${small.cpuSeconds.toFixed(1)} | ${small.peakRssMB} MB | ${small.ok ? 'ok' : 'NOT ok'} |
| ${fmt(big.entries)} | ${big.seconds.toFixed(1)} | ${big.cpuSeconds.toFixed(1)} | ${big.peakRssMB} MB | ${big.ok ? 'ok' : 'NOT ok'} |

The ${fmt(BIG)}-entry file (${(bigBytes / 1e9).toFixed(2)} GB: entries, leaf hashes, every subtree, a signed checkpoint) was written directly with better-sqlite3 in ${genSeconds.toFixed(0)} s. Verification reads it in pages of 10,000, recomputes every leaf and node hash, compares the stored subtrees of 256 leaves and up, checks the signed checkpoint and the consistency proof to it; memory stays flat (the peak is the same at ten times the entries).
`);
