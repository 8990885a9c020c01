// Writes a valid audit log of N entries straight into a SQLite file (migrated schema, chain
// hashes, leaf hashes, every subtree in audit_nodes, and a signed checkpoint), much faster than
// appending through the application, so that verification can be measured on 10,000,000 entries.
// Usage (from bench/audit.bench.ts): generateAuditLogFile(path, n).
import { createHash } from 'node:crypto';
import SQLite from 'better-sqlite3';
import { pino } from 'pino';
import { GENESIS_HASH, TreeBuilder, entryBytes, hashLeaf } from '../../src/audit/index.js';
import { openApp } from '../../src/app-context.js';
import { loadConfig } from '../../src/config.js';
import { signNewCheckpoint } from '../../src/operations/audit/log.js';
import { STORED_LEVEL } from '../../src/store/audit/log.js';

const ACTIONS = ['freeze.file', 'freeze.approve', 'hold.create', 'hold.release', 'list.upload', 'appeal.upheld', 'payee.flag', 'key.create'];

export async function generateAuditLogFile(path: string, n: number, onProgress?: (done: number) => void): Promise<void> {
  const config = loadConfig({}, { dbPath: path, logLevel: 'silent' });
  const setup = await openApp(config, { logger: pino({ level: 'silent' }), skipIndex: true }); // migrates, makes the key
  await setup.close();

  const db = new SQLite(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.exec('delete from audit_checkpoints'); // the empty log's first checkpoint; a new one is signed below
  const insertEntry = db.prepare('insert into audit_log (seq, at, actor, action, subject, details, prev_hash, hash, leaf_hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const insertNode = db.prepare('insert into audit_nodes (level, idx, hash) values (?, ?, ?)');
  const nodes: [number, number, Buffer][] = [];
  const tree = new TreeBuilder((level, idx, hash) => {
    if (level >= STORED_LEVEL) nodes.push([level, idx, hash]);
  });
  const start = Date.UTC(2026, 0, 1);
  let prev = GENESIS_HASH;
  const BATCH = 50_000;
  for (let from = 1; from <= n; from += BATCH) {
    const to = Math.min(n, from + BATCH - 1);
    db.transaction(() => {
      for (let seq = from; seq <= to; seq++) {
        const e = {
          seq,
          at: new Date(start + seq * 1000).toISOString(),
          actor: `Org ${seq % 997} (${seq % 3 ? 'bank' : 'police'})`,
          action: ACTIONS[seq % ACTIONS.length]!,
          subject: `freeze:${(seq * 2654435761) % 4294967296}`,
          details: JSON.stringify({ amount: seq % 100_000, accounts: [{ account: `6222${seq}`, bank: `Org ${seq % 997}` }] }),
          prevHash: prev,
        };
        const bytes = entryBytes(e);
        const hash = createHash('sha256').update(bytes).digest('hex');
        const leaf = hashLeaf(bytes);
        insertEntry.run(seq, e.at, e.actor, e.action, e.subject, e.details, prev, hash, leaf);
        tree.push(leaf);
        prev = hash;
      }
      for (const [level, idx, hash] of nodes) insertNode.run(level, idx, hash);
      nodes.length = 0;
    })();
    onProgress?.(to);
  }
  db.close();

  const ctx = await openApp(config, { logger: pino({ level: 'silent' }), skipIndex: true });
  try {
    await signNewCheckpoint(ctx);
  } finally {
    await ctx.close();
  }
}
