// Honeypot lines and campaigns from the command line (issue 15): the real `callshield` binary, as a
// child process, on the database a running server uses (its SQLite file, or its PostgreSQL database
// with CALLSHIELD_TEST_ENGINE=postgres). A carrier's person registers a line and files transcripts of
// one script from three numbers; the campaign they make shows in `campaigns list/show` exactly as in
// GET /v1/campaigns; roles and owners are held as over HTTP, and a refused command writes nothing.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { createApiKey } from '../../src/operations/keys.js';
import { CLI_OPERATOR } from '../../src/operations/actor.js';
import { runCli } from '../helpers/run-cli.js';
import { chained } from '../helpers/script-texts.js';

const LINE = '+8613700700555';
const CARRIER = ['--org', 'Test carrier', '--person', 'carrier-officer-1'];

let t: TestServer;
let env: Record<string, string>;
let dir: string;

const cli = (...args: string[]) => runCli([...args, '--db', t.dbPath], { LOG_LEVEL: 'warn', ...env }, { timeout: 60_000 });
const jsonLines = (s: string): any[] => s.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l));
const count = async (table: 'honeypots' | 'honeypot_transcripts'): Promise<number> =>
  Number((await t.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

const CALLERS = ['+8617088000001', '+8617088000002', '+8617088000003'];

before(async () => {
  t = await startTestServer();
  const c = t.ctx.config;
  env = c.databaseUrl ? { DATABASE_URL: c.databaseUrl, CALLSHIELD_SECRET_FILE: c.secretFile!, CALLSHIELD_AUDIT_KEY_FILE: c.auditKeyFile! } : {};
  await createApiKey(t.ctx, { org: 'Other carrier', role: 'carrier', person: 'noc-7' }, CLI_OPERATOR);
  dir = mkdtempSync(join(tmpdir(), 'callshield-campaigns-cli-'));
});
after(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('callshield honeypots / campaigns (CLI)', () => {
  it('a write names its person; a role without honeypots.write is refused; nothing is written either way', async () => {
    const noPerson = await cli('honeypots', 'add', LINE, '--org', 'Test carrier');
    assert.notEqual(noPerson.code, 0);
    assert.match(noPerson.stderr, /AUTH_PERSON_REQUIRED|--person/);
    const police = await cli('honeypots', 'add', LINE, '--org', 'Test police', '--person', 'police-officer-1');
    assert.notEqual(police.code, 0);
    assert.match(police.stderr, /AUTH_FORBIDDEN/);
    const bad = await cli('honeypots', 'add', 'not-a-number', ...CARRIER);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /numbers\.0/);
    assert.equal(await count('honeypots'), 0);
  });

  it("a carrier's person registers a line; the carrier sees it over HTTP, another carrier cannot remove it", async () => {
    const r = await cli('honeypots', 'add', LINE, ...CARRIER, '--json');
    assert.equal(r.code, 0, r.stderr);
    const [line] = jsonLines(r.stdout);
    assert.equal(line.number, LINE);
    const http = await t.call('GET', '/v1/honeypots', { role: 'carrier' });
    assert.deepEqual(http.body.items.map((h: { number: string }) => h.number), [LINE]);
    const listed = await cli('honeypots', 'list', '--org', 'Test carrier', '--json');
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual(jsonLines(listed.stdout), http.body.items);
    assert.equal(jsonLines((await cli('honeypots', 'list', '--org', 'Other carrier', '--json')).stdout).length, 0, "another carrier's list is its own");
    const steal = await cli('honeypots', 'remove', LINE, '--org', 'Other carrier', '--person', 'noc-7');
    assert.notEqual(steal.code, 0);
    assert.match(steal.stderr, /HONEYPOT_NOT_FOUND/);
    assert.equal(await count('honeypots'), 1);
  });

  it('transcripts of one script from three numbers make a campaign: campaigns list/show print what GET /v1/campaigns gives', async () => {
    const missing = await cli('honeypots', 'transcript', LINE, '--caller', CALLERS[0]!, ...CARRIER);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /--text/);
    const unreadable = await cli('honeypots', 'transcript', LINE, '--caller', CALLERS[0]!, '--text-file', join(dir, 'no-such-file.txt'), ...CARRIER);
    assert.equal(unreadable.code, 2, unreadable.stderr);
    assert.match(unreadable.stderr, /^callshield: REQUEST_INVALID_BODY \(text\): cannot read .*no-such-file\.txt: ENOENT\n$/);
    for (const [i, caller] of CALLERS.entries()) {
      const file = join(dir, `t${i}.txt`);
      writeFileSync(file, chained(i));
      const r = await cli('honeypots', 'transcript', LINE, '--caller', caller, '--text-file', file, ...CARRIER, '--json');
      assert.equal(r.code, 0, r.stderr);
      assert.equal(jsonLines(r.stdout)[0].caller, caller);
    }
    assert.equal(await count('honeypot_transcripts'), 3);
    const http = (await t.call('GET', '/v1/campaigns', { role: 'police' })).body.items as { id: string; memberCount: number }[];
    assert.equal(http.length, 1, JSON.stringify(http));
    const list = await cli('campaigns', 'list', '--org', 'Test police', '--json');
    assert.equal(list.code, 0, list.stderr);
    assert.deepEqual(jsonLines(list.stdout), http);
    assert.match((await cli('campaigns', 'list')).stdout, new RegExp(`${http[0]!.id}  3 members .*script`));
    const show = await cli('campaigns', 'show', http[0]!.id, '--json');
    assert.equal(show.code, 0, show.stderr);
    assert.deepEqual(JSON.parse(show.stdout), (await t.call('GET', `/v1/campaigns/${http[0]!.id}`, { role: 'regulator' })).body);
    const text = (await cli('campaigns', 'show', http[0]!.id)).stdout;
    for (const c of CALLERS) assert.match(text, new RegExp(`^  \\${c}  script`, 'm'));
    const lines = jsonLines((await cli('honeypots', 'list', '--org', 'Test carrier', '--json')).stdout);
    assert.equal(lines[0].hits, 3, 'the line caught the three callers');
  });

  it('reading is held to the role too, and bad flags say what is wrong', async () => {
    const app = await cli('campaigns', 'list', '--org', 'Test app');
    assert.notEqual(app.code, 0);
    assert.match(app.stderr, /AUTH_FORBIDDEN/);
    const limit = await cli('campaigns', 'list', '--limit', '0');
    assert.notEqual(limit.code, 0);
    assert.match(limit.stderr, /--limit must be a whole number from 1 to 1000/);
    const none = await cli('campaigns', 'show', 'no-such-campaign');
    assert.notEqual(none.code, 0);
    assert.match(none.stderr, /CAMPAIGN_NOT_FOUND/);
  });

  it("the owner's person removes the line; its callers no longer count it", async () => {
    const r = await cli('honeypots', 'remove', LINE, ...CARRIER);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /removed/);
    assert.equal(await count('honeypots'), 0);
    assert.equal((await t.call('GET', '/v1/honeypots', { role: 'carrier' })).body.items.length, 0);
  });
});
