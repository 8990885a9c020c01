// A restarting node reads its hot index from the snapshot it wrote (CALLSHIELD_INDEX_SNAPSHOT)
// instead of re-scoring every identifier; what changed while it was down comes from the change log;
// a snapshot changed on disk, or written by another deployment, is refused and everything re-scored.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnServiceNode } from '../helpers/spawn-node.js';
import type { ServiceNode } from '../helpers/spawn-node.js';

const onPostgres = process.env.CALLSHIELD_TEST_ENGINE === 'postgres';
const LISTED = ['+12025550101', '+12025550102', '+12025550103'];
const LATER = '+12025550199';

function cli(args: string[], env: Record<string, string>): string {
  return execFileSync(process.execPath, ['bin/callshield.js', ...args], { env: { ...process.env, LOG_LEVEL: 'warn', ...env }, encoding: 'utf8' });
}

async function call(node: ServiceNode, key: string, path: string, body: unknown): Promise<any> {
  const r = await fetch(`${node.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.ok(r.status < 300, `${path}: ${r.status} ${await r.clone().text()}`);
  return r.json();
}

const screen = (node: ServiceNode, key: string, caller: string): Promise<{ action: string; score: number }> =>
  call(node, key, '/v1/screen', { caller, callee: '+12025550000', channel: 'pstn' });

/** The "hot index loaded" log line of a node (JSON on stdout). */
function indexLine(node: ServiceNode): { msg: string; identifiers: number } {
  const line = node.lines.find((l) => l.includes('hot index loaded'));
  assert.ok(line, 'the node logged its index load');
  return JSON.parse(line) as { msg: string; identifiers: number };
}

describe('the hot-index snapshot', { skip: onPostgres ? 'the snapshot is per node; the SQLite run covers it' : false }, () => {
  let dir: string;
  let env: Record<string, string>;
  let appKey: string;
  let policeKey: string;
  const snapshot = (): string => env.CALLSHIELD_INDEX_SNAPSHOT!;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'callshield-snapshot-'));
    env = { CALLSHIELD_DB: join(dir, 'cs.db'), CALLSHIELD_SECRET_FILE: join(dir, 'secret'), CALLSHIELD_INDEX_SNAPSHOT: join(dir, 'node.snapshot') };
    appKey = cli(['keys', 'create', '--org', 'App', '--role', 'app'], env).trim().split('\n').at(-1)!;
    policeKey = cli(['keys', 'create', '--org', 'Police', '--role', 'police', '--person', 'officer-1'], env).trim().split('\n').at(-1)!;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  let blocked: Array<{ action: string; score: number }>;

  it('a node writes its snapshot when it stops, and the next start reads it and still decides the same', async () => {
    const first = await spawnServiceNode({ ...env, LOG_LEVEL: 'info' });
    await call(first, policeKey, '/v1/lists', { name: 'Police fraud list', category: 'fraud', entries: LISTED.map((identifier) => ({ identifier, reason: 'case 2026-117' })) });
    blocked = await Promise.all(LISTED.map((c) => screen(first, appKey, c)));
    for (const d of blocked) assert.equal(d.action, 'block');
    await first.stop();
    assert.ok(existsSync(snapshot()), 'a graceful stop leaves a snapshot');
    const text = readFileSync(snapshot(), 'utf8');
    for (const c of LISTED) assert.match(text, new RegExp(`^\\${c}\\t\\d+$`, 'm'));

    // While the node is down, a report arrives through another process (the CLI writes the change log).
    for (let i = 0; i < 6; i++) cli(['report', LATER, '--category', 'fraud', '--reporter', `subscriber-${i}`], env);

    const second = await spawnServiceNode({ ...env, LOG_LEVEL: 'info' });
    try {
      assert.equal(indexLine(second).msg, 'hot index loaded from its snapshot');
      assert.deepEqual(await Promise.all(LISTED.map((c) => screen(second, appKey, c))), blocked);
      // The later reports count: from the change log after the snapshot's position (and the full
      // re-score a node starts in the background after reading a snapshot).
      const started = Date.now();
      let later = await screen(second, appKey, LATER);
      while (later.score === 0 && Date.now() - started < 5000) {
        await new Promise((r) => setTimeout(r, 100));
        later = await screen(second, appKey, LATER);
      }
      assert.ok(later.score > 0, 'reports written while the node was down count after its restart');
    } finally {
      await second.stop();
    }
  });

  it('a snapshot changed on disk is refused and every identifier re-scored from the store', async () => {
    // Someone with the data folder but not the secret file unblocks a listed number by editing it.
    const text = readFileSync(snapshot(), 'utf8');
    const edited = text.replace(new RegExp(`^(\\${LISTED[0]})\\t\\d+$`, 'm'), '$1\t0');
    assert.notEqual(edited, text);
    writeFileSync(snapshot(), edited);
    const node = await spawnServiceNode({ ...env, LOG_LEVEL: 'info' });
    try {
      assert.equal(indexLine(node).msg, 'hot index loaded', 'the edited snapshot was not used');
      assert.ok(node.lines.some((l) => l.includes('index snapshot not used') && l.includes('MAC does not match')));
      assert.deepEqual(await screen(node, appKey, LISTED[0]!), blocked[0]);
    } finally {
      await node.stop();
    }
  });

  it("another deployment's snapshot (another secret) is refused", async () => {
    const other = mkdtempSync(join(tmpdir(), 'callshield-snapshot-other-'));
    try {
      const otherEnv = { CALLSHIELD_DB: join(other, 'cs.db'), CALLSHIELD_SECRET_FILE: join(other, 'secret'), CALLSHIELD_INDEX_SNAPSHOT: join(other, 'node.snapshot') };
      cli(['keys', 'create', '--org', 'Other', '--role', 'app'], otherEnv);
      copyFileSync(snapshot(), otherEnv.CALLSHIELD_INDEX_SNAPSHOT);
      const node = await spawnServiceNode({ ...otherEnv, LOG_LEVEL: 'info' });
      try {
        assert.equal(indexLine(node).msg, 'hot index loaded');
        assert.equal(indexLine(node).identifiers, 0, 'nothing of the other deployment was loaded');
        assert.ok(node.lines.some((l) => l.includes('index snapshot not used')));
      } finally {
        await node.stop();
      }
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('CALLSHIELD_INDEX_SNAPSHOT=off neither reads nor writes one', async () => {
    rmSync(snapshot(), { force: true });
    const node = await spawnServiceNode({ ...env, CALLSHIELD_INDEX_SNAPSHOT: 'off' });
    await node.stop();
    assert.equal(existsSync(snapshot()), false);
    assert.equal(existsSync(join(dir, 'index.snapshot')), false);
  });
});
