// PostgreSQL restarted under load: screening keeps answering from memory, writes get 503
// problem+json with Retry-After while the database is away, and every acknowledged write survives.
// Needs the PostgreSQL run (CALLSHIELD_TEST_ENGINE=postgres) as root on a machine whose cluster
// pg_ctlcluster controls (this machine kind and CI).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { startTestServer } from '../helpers/server.js';

const canRestart = process.env.CALLSHIELD_TEST_ENGINE === 'postgres' && process.getuid?.() === 0 && existsSync('/usr/bin/pg_ctlcluster') && existsSync('/etc/postgresql');

function pgctl(action: 'stop' | 'start'): void {
  const version = readdirSync('/etc/postgresql')[0]!;
  execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', action, ...(action === 'stop' ? ['-m', 'fast'] : [])], { stdio: 'ignore' });
}

function pgReady(): boolean {
  try {
    execFileSync('pg_isready', ['-h', '127.0.0.1', '-p', '5432', '-q']);
    return true;
  } catch {
    return false;
  }
}

describe('PostgreSQL restart under load', { skip: canRestart ? false : 'needs the PostgreSQL run as root with pg_ctlcluster' }, () => {
  it('keeps screening, refuses writes with 503, loses no acknowledged write', async () => {
    const t = await startTestServer();
    const acknowledged: string[] = [];
    let screened = 0;
    let screenFailures = 0;
    let loading = true;
    const load = (async () => {
      while (loading) {
        const r = await t.call('POST', '/v1/screen', { role: 'carrier', body: { caller: '+8613700001111', callee: '+8613800138000', channel: 'pstn' } });
        if (r.status === 200) screened++;
        else screenFailures++;
      }
    })();
    try {
      for (let i = 0; i < 2; i++) {
        const r = await t.call('POST', '/v1/reports', { role: 'app', body: { caller: '+8613700001111', reporter: `s${i}`, category: 'fraud' } });
        assert.equal(r.status, 201);
        acknowledged.push(r.body.id);
      }
      pgctl('stop');
      const during = await t.call('POST', '/v1/reports', { role: 'app', body: { caller: '+8613700002222', reporter: 'x', category: 'fraud' } });
      assert.equal(during.status, 503, during.text);
      assert.equal(during.body.code, 'STORE_UNAVAILABLE');
      assert.match(during.headers.get('content-type') ?? '', /application\/problem\+json/);
      assert.ok(Number(during.headers.get('retry-after')) > 0);
      const screenedWhileDown = screened;
      await new Promise((r) => setTimeout(r, 300));
      assert.ok(screened > screenedWhileDown, 'screening answered while the database was down');
    } finally {
      pgctl('start');
      for (let i = 0; i < 60 && !pgReady(); i++) await new Promise((r) => setTimeout(r, 500));
    }
    // Writes work again once the pool reconnects.
    let ok = false;
    for (let i = 0; i < 40 && !ok; i++) {
      const r = await t.call('POST', '/v1/reports', { role: 'app', body: { caller: '+8613700001111', reporter: `after-${i}`, category: 'fraud' } });
      if (r.status === 201) {
        ok = true;
        acknowledged.push(r.body.id);
      } else {
        assert.equal(r.status, 503, r.text);
        await new Promise((res) => setTimeout(res, 250));
      }
    }
    loading = false;
    await load;
    assert.ok(ok, 'writes recovered after the restart');
    assert.equal(screenFailures, 0, 'no screening request failed');
    const rows = await t.ctx.db.selectFrom('reports').select('id').where('id', 'in', acknowledged).execute();
    assert.equal(rows.length, acknowledged.length, 'every acknowledged report is still there');
    await t.close();
  });
});
