// The README's STIR/SHAKEN walkthrough with the real CLI: a test STI-CA, a SHAKEN certificate, a
// carrier's signer configured with `stir signer add` (the key never printed, stored sealed), and a
// server that refuses to start on an unreadable CALLSHIELD_STIR_CA_FILE.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { runCli } from '../helpers/run-cli.js';


const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, { LOG_LEVEL: 'warn', ...env }, { timeout: 60_000 });

describe('callshield stir (CLI)', () => {
  let dir: string;
  let db: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'callshield-stir-cli-'));
    db = join(dir, 'cs.db');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('stir ca, stir cert, keys create, stir signer add / list', async () => {
    assert.equal((await cli(['stir', 'ca', '--out', dir])).code, 0);
    assert.equal((await cli(['stir', 'cert', '--spc', '1234', '--ca', dir, '--out', dir])).code, 0);
    assert.equal((await cli(['keys', 'create', '--org', 'Acme Telecom', '--role', 'carrier', '--db', db])).code, 0);
    const key = readFileSync(join(dir, 'shaken-1234.key'), 'utf8');
    const args = ['--key', join(dir, 'shaken-1234.key'), '--cert', join(dir, 'shaken-1234.pem'), '--x5u', 'https://certs.acme.example/shaken-1234-chain.pem', '--db', db];
    const added = await cli(['stir', 'signer', 'add', '--org', 'Acme Telecom', ...args]);
    assert.equal(added.code, 0, added.stderr);
    const view = JSON.parse(added.stdout) as Record<string, string>;
    assert.deepEqual(Object.keys(view).sort(), ['createdAt', 'notAfter', 'orgName', 'spc', 'updatedAt', 'x5u']);
    assert.equal(view.spc, '1234');
    const body = key.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    for (const out of [added.stdout, added.stderr]) assert.ok(!out.includes(body.slice(48, 88)) && !out.includes('PRIVATE KEY'));

    const listed = await cli(['stir', 'signer', 'list', '--db', db]);
    assert.equal(listed.code, 0);
    assert.equal((JSON.parse(listed.stdout) as unknown[]).length, 1);

    const sqlite = new SQLite(db, { readonly: true });
    try {
      const row = sqlite.prepare('select * from stir_signers').get() as Record<string, string>;
      assert.ok(!JSON.stringify(row).includes(body.slice(48, 88)), 'the key is not stored in the clear');
      assert.match(row.sealed_key!, /^v1\./);
      const audit = sqlite.prepare("select * from audit_log where action = 'stir.signer.add'").all();
      assert.equal(audit.length, 1);
    } finally {
      sqlite.close();
    }

    const unknown = await cli(['stir', 'signer', 'add', '--org', 'Nobody', ...args]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /STIR_INVALID_REQUEST \(org\)/);
    assert.equal((await cli(['keys', 'create', '--org', 'Some App', '--role', 'app', '--db', db])).code, 0);
    const notCarrier = await cli(['stir', 'signer', 'add', '--org', 'Some App', ...args]);
    assert.equal(notCarrier.code, 2);
    const wrongKey = await cli(['stir', 'signer', 'add', '--org', 'Acme Telecom', ...args.map((a) => (a.endsWith('shaken-1234.key') ? join(dir, 'ca.key') : a))]);
    assert.notEqual(wrongKey.code, 0);
    assert.match(wrongKey.stderr, /STIR_INVALID_SIGNER_KEY/);
  });

  it('serve stops before listening when CALLSHIELD_STIR_CA_FILE cannot be read', async () => {
    const r = await cli(['serve', '--db', db, '--port', '0'], { CALLSHIELD_STIR_CA_FILE: join(dir, 'missing.pem') });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /CONFIG_INVALID/);
    assert.doesNotMatch(r.stdout, /listening/);
  });
});
