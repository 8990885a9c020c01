// `callshield payments sign|verify|holds` through the real binary.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/callshield.js', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'silent' } });

describe('callshield payments', () => {
  it('signs a body and verifies the header; a wrong secret exits 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cs-pay-cli-'));
    try {
      const body = join(dir, 'body.json');
      writeFileSync(body, '{"id":"e1","type":"hold.created","data":{}}');
      const signed = run('payments', 'sign', '--secret', 'a-secret-of-16-chars', '--body-file', body);
      assert.equal(signed.status, 0, signed.stderr);
      const header = signed.stdout.trim();
      assert.match(header, /^t=\d+,v1=[0-9a-f]{64}$/);
      assert.equal(run('payments', 'verify', '--secret', 'a-secret-of-16-chars', '--header', header, '--body-file', body).status, 0);
      const bad = run('payments', 'verify', '--secret', 'another-secret-here', '--header', header, '--body-file', body);
      assert.equal(bad.status, 1);
      assert.match(bad.stdout, /mismatch/);
      const holds = run('payments', 'holds', '--db', join(dir, 'cs.db'));
      assert.equal(holds.status, 0, holds.stderr);
      assert.equal(holds.stdout, '');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
