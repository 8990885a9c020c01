// Joint response from the command line (issue 22): the real `callshield` binary, as a child process,
// on the same database a real server uses (its SQLite file, or its PostgreSQL database with
// CALLSHIELD_TEST_ENGINE=postgres). Platforms claim namespaces, the bank, platform and carrier work
// their own queues by a named person (audited and sent as webhooks exactly as over HTTP), the case
// timeline prints who did what when, an overdue task shows and escalates to the regulator, and
// another bank's person trying to take the bank's task is refused with nothing written.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { createApiKey } from '../../src/operations/keys.js';
import { CLI_OPERATOR } from '../../src/operations/actor.js';
import { runCli } from '../helpers/run-cli.js';

const MINUTE = 60_000;
const EMAIL_CALLER = 'loan-service@icloud.com';
const PHONE_CALLER = '+8613800001234';
const ZHANG = '+8613800138000';
const SAFE_ACCOUNT = '6011 1111 1111 1117';

let t: TestServer;
let shift = 0;
let env: Record<string, string>;

const cli = (...args: string[]) => runCli([...args, '--db', t.dbPath], { LOG_LEVEL: 'warn', ...env }, { timeout: 60_000 });

const jsonLines = (s: string): any[] => s.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l));

async function auditCount(action: string): Promise<number> {
  const r = await t.ctx.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', action).executeTakeFirstOrThrow();
  return Number(r.n);
}

async function fileCase(): Promise<string> {
  const r = await t.call('POST', '/v1/cases', {
    role: 'app',
    body: { subscriber: ZHANG, callers: [EMAIL_CALLER, PHONE_CALLER], payeeAccounts: [{ account: SAFE_ACCOUNT, bank: 'Test bank' }], amount: 1_630_000, currency: 'CNY', occurredAt: new Date(Date.now() + shift - 10 * MINUTE).toISOString() },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
}

before(async () => {
  t = await startTestServer({}, () => Date.now() + shift);
  const c = t.ctx.config;
  // The CLI opens the server's own database (PostgreSQL: with the same secret and audit key files).
  env = c.databaseUrl ? { DATABASE_URL: c.databaseUrl, CALLSHIELD_SECRET_FILE: c.secretFile!, CALLSHIELD_AUDIT_KEY_FILE: c.auditKeyFile! } : {};
  for (const [org, role, person] of [['Other bank', 'bank', 'fraud-desk-9'], ['Other platform', 'platform', 'ops-9']] as const) await createApiKey(t.ctx, { org, role, person }, CLI_OPERATOR);
  const h = await t.call('POST', '/v1/holders', { role: 'carrier', body: [{ holder: 'Pudong Trading Co', identityLevel: 'documented', use: 'customer-service', from: '+8613800001000', to: '+8613800001999' }] });
  assert.equal(h.status, 201, JSON.stringify(h.body));
  const w = await t.call('PUT', '/v1/webhooks', { role: 'bank', body: { url: 'http://127.0.0.1:9/bank' } });
  assert.equal(w.status, 200, JSON.stringify(w.body));
});
after(async () => {
  await t?.close();
});

describe('callshield namespaces / tasks / cases (CLI)', () => {
  let caseId: string;
  const task: Record<string, any> = {};

  it('platforms claim namespaces; a contested claim waits for the operator, who rejects it; a bank may not claim', async () => {
    const a = await cli('namespaces', 'claim', '--org', 'Test platform', '--person', 'platform-officer-1', '--email-domains', 'icloud.com', '--accounts', 'Zoom', '--json');
    assert.equal(a.code, 0, a.stderr);
    assert.deepEqual(jsonLines(a.stdout).map((c) => [c.kind, c.value, c.status, c.claimedBy]), [['account', 'zoom', 'approved', 'platform-officer-1'], ['email-domain', 'icloud.com', 'approved', 'platform-officer-1']]);
    const o = await cli('namespaces', 'claim', '--org', 'Other platform', '--person', 'ops-9', '--email-domains', 'icloud.com');
    assert.equal(o.code, 0, o.stderr);
    assert.match(o.stdout, /^\S+ {2}pending {2}email-domain {2}icloud\.com {2}platform "Other platform"/);
    const pending = o.stdout.split(/\s+/)[0]!;
    // Each platform lists its own claims; the operator sees all.
    assert.deepEqual(jsonLines((await cli('namespaces', 'list', '--org', 'Other platform', '--json')).stdout).map((c) => c.platform), ['Other platform']);
    assert.equal(jsonLines((await cli('namespaces', 'list', '--status', 'pending', '--json')).stdout).length, 1);
    const r = await cli('namespaces', 'reject', pending, '--person', 'ops-lead');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^rejected: .* decided by local operator \(admin\) \/ ops-lead/);
    const again = await cli('namespaces', 'approve', pending);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /RESPONSE_INVALID_STATE/);
    const bank = await cli('namespaces', 'claim', '--org', 'Test bank', '--person', 'bank-officer-1', '--email-domains', 'bank.example');
    assert.equal(bank.code, 2);
    assert.match(bank.stderr, /AUTH_FORBIDDEN \(org\)/);
    const bad = await cli('namespaces', 'claim', '--org', 'Test platform', '--person', 'platform-officer-1', '--email-domains', 'not a domain');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /RESPONSE_INVALID_NAMESPACE \(emailDomains\.0\)/);
    assert.equal(await auditCount('namespace.claim'), 3);
    assert.equal(await auditCount('namespace.reject'), 1);
  });

  it('each organisation lists its own queue: the bank sees its freeze preparation with its deadline, another bank nothing', async () => {
    caseId = await fileCase();
    const filed = (await t.call('GET', `/v1/cases/${caseId}`, { role: 'police' })).body;
    const l = await cli('tasks', 'list', '--org', 'Test bank', '--status', 'open', '--json');
    assert.equal(l.code, 0, l.stderr);
    const mine = jsonLines(l.stdout);
    assert.deepEqual(mine.map((x) => [x.kind, x.caseId, x.organisation, x.status]), [['freeze-preparation', caseId, 'Test bank', 'open']]);
    assert.equal(Date.parse(mine[0].deadline) - Date.parse(filed.createdAt), 60 * MINUTE);
    task.bank = mine[0];
    const human = await cli('tasks', 'list', '--org', 'Test bank');
    assert.match(human.stdout, new RegExp(`^${task.bank.id} {2}open {2}freeze-preparation {2}card:6011111111111117 {2}org "Test bank" {2}deadline ${mine[0].deadline} {2}case ${caseId}\\n$`));
    assert.equal((await cli('tasks', 'list', '--org', 'Other bank')).stdout, '');
    task.platform = jsonLines((await cli('tasks', 'list', '--org', 'Test platform', '--json')).stdout);
    assert.deepEqual(task.platform.map((x: any) => [x.kind, x.identifier]), [['suspend-account', EMAIL_CALLER]]);
    task.carrier = jsonLines((await cli('tasks', 'list', '--org', 'Test carrier', '--json')).stdout);
    assert.deepEqual(task.carrier.map((x: any) => [x.kind, x.identifier]), [['trace-and-suspend', PHONE_CALLER]]);
    // The operator (no --org) sees every task of the case; a filter that is not a status is refused.
    assert.equal(jsonLines((await cli('tasks', 'list', '--json')).stdout).filter((x) => x.caseId === caseId).length, 4);
    const badStatus = await cli('tasks', 'list', '--status', 'finished');
    assert.equal(badStatus.code, 2);
    assert.match(badStatus.stderr, /REQUEST_INVALID_QUERY \(status\)/);
  });

  it("attack: another bank's person cannot take, finish or refuse the bank's task, nor can a person without a key; nothing is written", async () => {
    const before = { accept: await auditCount('task.accept'), done: await auditCount('task.done'), refuse: await auditCount('task.refuse') };
    for (const args of [
      ['accept', task.bank.id, '--org', 'Other bank', '--person', 'fraud-desk-9'],
      ['done', task.bank.id, '--org', 'Other bank', '--person', 'fraud-desk-9', '--amount-held', '1'],
      ['refuse', task.bank.id, '--org', 'Other bank', '--person', 'fraud-desk-9', '--reason', 'not ours really'],
      ['accept', task.bank.id, '--org', 'Test platform', '--person', 'platform-officer-1'],
    ]) {
      const r = await cli('tasks', ...args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, /^callshield: RESPONSE_TASK_NOT_FOUND \(id\): no task /, args.join(' '));
    }
    const stranger = await cli('tasks', 'accept', task.bank.id, '--org', 'Test bank', '--person', 'fraud-desk-9');
    assert.equal(stranger.code, 2);
    assert.match(stranger.stderr, /AUTH_INVALID_PERSON \(person\): "fraud-desk-9" holds no live key of "Test bank"/);
    const regulator = await cli('tasks', 'accept', task.bank.id, '--org', 'Test regulator', '--person', 'regulator-officer-1');
    assert.equal(regulator.code, 2);
    assert.match(regulator.stderr, /AUTH_FORBIDDEN/);
    const noPerson = await cli('tasks', 'accept', task.bank.id, '--org', 'Test bank');
    assert.notEqual(noPerson.code, 0);
    assert.match(noPerson.stderr, /--person/);
    const now = (await t.call('GET', `/v1/tasks/${task.bank.id}`, { role: 'bank' })).body;
    assert.equal(now.status, 'open');
    assert.equal(now.steps.length, 1);
    assert.deepEqual({ accept: await auditCount('task.accept'), done: await auditCount('task.done'), refuse: await auditCount('task.refuse') }, before);
  });

  it('the bank accepts and reports the amount held, by a named person, audited and sent as a webhook as over HTTP', async () => {
    const a = await cli('tasks', 'accept', task.bank.id, '--org', 'Test bank', '--person', 'bank-officer-1');
    assert.equal(a.code, 0, a.stderr);
    assert.match(a.stdout, new RegExp(`^accepted task ${task.bank.id} \\(freeze-preparation card:6011111111111117\\) by Test bank \\(bank\\) / bank-officer-1 at `));
    const bad = await cli('tasks', 'done', task.bank.id, '--org', 'Test bank', '--person', 'bank-officer-1', '--amount-held', 'lots');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /REQUEST_INVALID_BODY \(details\.heldAmount\)/);
    const none = await cli('tasks', 'done', task.bank.id, '--org', 'Test bank', '--person', 'bank-officer-1');
    assert.equal(none.code, 2);
    assert.match(none.stderr, /REQUEST_INVALID_BODY \(outcome\)/);
    const d = await cli('tasks', 'done', task.bank.id, '--org', 'Test bank', '--person', 'bank-officer-1', '--amount-held', '1630000', '--currency', 'cny');
    assert.equal(d.code, 0, d.stderr);
    assert.match(d.stdout, /^done: task .* by Test bank \(bank\) \/ bank-officer-1 at .*: amount held 1630000 CNY\n$/);
    const view = (await t.call('GET', `/v1/tasks/${task.bank.id}`, { role: 'bank' })).body;
    assert.equal(view.status, 'done');
    assert.deepEqual(view.steps.map((s: any) => [s.action, s.organisation, s.person]), [['created', null, null], ['accepted', 'Test bank', 'bank-officer-1'], ['done', 'Test bank', 'bank-officer-1']]);
    assert.deepEqual(view.steps[2].details, { heldAmount: 1_630_000, currency: 'CNY' });
    // The same audit entries the HTTP path writes: actor "org (role) / person", subject task:ID.
    const entries = await t.ctx.db.selectFrom('audit_log').select(['actor', 'action', 'subject']).where('subject', '=', `task:${task.bank.id}`).orderBy('seq').execute();
    assert.deepEqual(entries.map((e) => [e.action, e.actor]), [['task.accept', 'Test bank (bank) / bank-officer-1'], ['task.done', 'Test bank (bank) / bank-officer-1']]);
    // The bank's signed webhook deliveries were queued in the same transactions.
    const deliveries = jsonLines((await cli('payments', 'deliveries')).stdout).map((x) => x.event);
    for (const e of ['task.created', 'task.accepted', 'task.done']) assert.ok(deliveries.includes(e), `${e} in ${deliveries.join(', ')}`);
    const twice = await cli('tasks', 'done', task.bank.id, '--org', 'Test bank', '--person', 'bank-officer-1', '--outcome', 'again');
    assert.equal(twice.code, 2);
    assert.match(twice.stderr, /RESPONSE_INVALID_STATE/);
  });

  it('the carrier reports the trace, the platform refuses with a reason; the timeline prints who did what when', async () => {
    const c = await cli('tasks', 'done', task.carrier[0].id, '--org', 'Test carrier', '--person', 'carrier-officer-1', '--traced-to', 'Test carrier', '--subscriber-of-record', 'Pudong Trading Co', '--number-suspended');
    assert.equal(c.code, 0, c.stderr);
    assert.match(c.stdout, /: traced to carrier Test carrier, number suspended\n$/);
    const p = await cli('tasks', 'refuse', task.platform[0].id, '--org', 'Test platform', '--person', 'platform-officer-1', '--reason', 'the address was deleted before the case');
    assert.equal(p.code, 0, p.stderr);
    assert.match(p.stdout, /^refused task .*: the address was deleted before the case\n$/);

    const j = await cli('cases', 'show', caseId, '--json');
    assert.equal(j.code, 0, j.stderr);
    const shown = JSON.parse(j.stdout);
    const api = (await t.call('GET', `/v1/cases/${caseId}`, { role: 'police' })).body;
    assert.deepEqual(shown.timeline, api.timeline, 'the CLI shows the same timeline as GET /v1/cases/{id}');
    assert.deepEqual(shown.timeline.filter((e: any) => e.action !== 'created').map((e: any) => [e.kind, e.action, e.organisation, e.person]).sort(), [
      ['freeze-preparation', 'accepted', 'Test bank', 'bank-officer-1'],
      ['freeze-preparation', 'done', 'Test bank', 'bank-officer-1'],
      ['suspend-account', 'refused', 'Test platform', 'platform-officer-1'],
      ['trace-and-suspend', 'done', 'Test carrier', 'carrier-officer-1'],
    ]);
    const h = await cli('cases', 'show', caseId, '--org', 'Test police');
    assert.equal(h.code, 0, h.stderr);
    assert.match(h.stdout, new RegExp(`^case ${caseId} {2}filed by Test app at `));
    assert.match(h.stdout, /tasks \(4\):/);
    assert.match(h.stdout, /\+ +\d+\.\d min {2}\S+ {2}done {7}freeze-preparation card:6011111111111117 {2}Test bank \/ bank-officer-1 {2}"amount held 1630000 CNY"/);
    assert.match(h.stdout, /refused {4}suspend-account loan-service@icloud\.com {2}Test platform \/ platform-officer-1 {2}"the address was deleted before the case"/);
    // Banks do not read case files; an unknown case is "not found".
    assert.match((await cli('cases', 'show', caseId, '--org', 'Test bank')).stderr, /AUTH_FORBIDDEN/);
    const missing = await cli('cases', 'show', 'no-such-case');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /PAYMENTS_CASE_NOT_FOUND/);
  });

  it('a task past its deadline lists as overdue, and after the dispatcher pass the regulator sees it escalated', async () => {
    shift = -90 * MINUTE; // filed an hour and a half ago: the bank's hour is up
    const late = await fileCase();
    shift = 0;
    const overdue = jsonLines((await cli('tasks', 'list', '--org', 'Test bank', '--status', 'overdue', '--json')).stdout);
    assert.deepEqual(overdue.map((x) => [x.caseId, x.kind, x.overdue]), [[late, 'freeze-preparation', true]]);
    assert.match((await cli('tasks', 'list', '--org', 'Test bank', '--status', 'overdue')).stdout, / OVERDUE {2}case /);
    assert.equal(jsonLines((await cli('tasks', 'list', '--org', 'Other bank', '--status', 'overdue', '--json')).stdout).length, 0);
    assert.equal(jsonLines((await cli('tasks', 'list', '--org', 'Test regulator', '--status', 'escalated', '--json')).stdout).length, 0);
    assert.equal((await cli('payments', 'dispatch')).code, 0);
    const escalated = jsonLines((await cli('tasks', 'list', '--org', 'Test regulator', '--status', 'escalated', '--json')).stdout);
    // The bank's and the police review's hour are up; the platform (2 h) and carrier (4 h) are not.
    assert.deepEqual(escalated.map((x) => [x.caseId, x.kind]).sort(), [[late, 'freeze-preparation'], [late, 'review']]);
    assert.equal(escalated.find((x) => x.kind === 'freeze-preparation').steps.at(-1).by, 'callshield (system)');
    // The bank may still act on its escalated task.
    const bankTask = escalated.find((x) => x.kind === 'freeze-preparation').id;
    const a = await cli('tasks', 'accept', bankTask, '--org', 'Test bank', '--person', 'bank-officer-1');
    assert.equal(a.code, 0, a.stderr);
  });
});
