// Evidence no single party controls, appeals with proof, visibility (docs/security.md section 3).
// Each attack is tried against a running server as the attacker would; on the commit before this
// work every one of them got through.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startTestServer } from '../../helpers/server.js';
import type { TestServer } from '../../helpers/server.js';
import { createApiKey } from '../../../src/operations/keys.js';
import { CLI_OPERATOR } from '../../../src/operations/actor.js';
import { importComplaints } from '../../../src/operations/governance/import-complaints.js';
import type { Role } from '../../../src/auth/index.js';

// The FTC file is public domain and ships in examples/.
const FTC = fileURLToPath(new URL('../../../examples/ftc-dnc-complaints-2021-07-08.csv', import.meta.url));
const FTC_TOP_ROBOCALLER = '+13152328257';
const DAY = 86_400_000;

describe('abuse: evidence no single party controls, appeals with proof, visibility', () => {
  let t: TestServer;
  /** A second app, a second business, a second police unit and a second bank, each its own organisation. */
  const other: Partial<Record<Role, string>> = {};

  type Who = Role | { key: string };
  const as = (who: Who): { role: Role } | { auth: string } => (typeof who === 'string' ? { role: who } : { auth: `Bearer ${who.key}` });
  const call = (method: string, path: string, who: Who, body?: unknown) => t.call(method, path, { ...as(who), ...(body === undefined ? {} : { body }) });

  async function report(caller: string, reporter: string, who: Who = 'app', extra: Record<string, unknown> = {}): Promise<any> {
    const r = await call('POST', '/v1/reports', who, { caller, reporter, category: 'fraud', ...extra });
    assert.equal(r.status, 201, r.text);
    return r.body;
  }
  async function notSpam(caller: string, reporter: string, who: Who = 'app'): Promise<any> {
    const r = await call('POST', '/v1/feedback', who, { caller, reporter, verdict: 'not-spam' });
    assert.equal(r.status, 201, r.text);
    return r.body;
  }
  async function screen(caller: string): Promise<any> {
    const r = await call('POST', '/v1/screen', 'carrier', { caller, callee: '+8613911110000', channel: 'pstn' });
    assert.equal(r.status, 200, r.text);
    return r.body;
  }
  async function upload(who: Who, name: string, category: string, identifiers: string[]): Promise<string> {
    const r = await call('POST', '/v1/lists', who, { name, category, entries: identifiers.map((identifier) => ({ identifier })) });
    assert.equal(r.status, 201, r.text);
    return r.body.id;
  }
  async function appeal(who: Who, identifier: string, listings?: string[]): Promise<any> {
    return call('POST', '/v1/appeals', who, { identifier, evidence: 'We are a licensed business; these are our customer-service calls.', ...(listings ? { listings } : {}) });
  }
  async function uphold(id: string): Promise<any> {
    const r = await call('POST', `/v1/appeals/${id}/decision`, 'regulator', { decision: 'upheld', reason: 'Licence checked with the registry' });
    assert.equal(r.status, 200, r.text);
    return r.body;
  }
  async function lookup(identifier: string, who: Who = 'regulator'): Promise<any> {
    const r = await call('GET', `/v1/identifiers/${encodeURIComponent(identifier)}?timeline=true`, who);
    assert.equal(r.status, 200, r.text);
    return r.body;
  }

  before(async () => {
    t = await startTestServer();
    const mk = async (org: string, role: Role, person: string): Promise<string> => (await createApiKey(t.ctx, { org, role, person }, CLI_OPERATOR)).key;
    other.app = await mk('Second app', 'app', 'second-app-backend');
    other.business = await mk('Other business', 'business', 'other-business-1');
    other.police = await mk('Minhang police', 'police', 'officer-7');
    other.bank = await mk('Other bank', 'bank', 'fraud-desk-9');
    // Regulators hear of held bursts through their webhook (the outbox; nothing is delivered here).
    assert.equal((await call('PUT', '/v1/webhooks', 'regulator', { url: 'https://hooks.regulator.example/callshield' })).status, 200);
  });
  after(async () => {
    await t?.close();
  });

  it('an app key inventing 50 reporter references cannot push an unknown number past warn', async () => {
    const caller = '+8613810000001';
    const held: boolean[] = [];
    for (let i = 0; i < 50; i++) held.push((await report(caller, `invented-${i}`)).held);
    const d = await screen(caller);
    assert.notEqual(d.action, 'block');
    assert.ok(d.score < 85, `score ${d.score}`);
    assert.equal(d.action, 'warn', 'six reports of one app still warn');
    assert.deepEqual(held.slice(0, 6), [false, false, false, false, false, false], 'the first six new reporters count');
    assert.ok(held.slice(6).every(Boolean), 'the seventh new reporter on starts a burst held for review');
    const rep = await lookup(caller);
    assert.match(rep.label, /· 6 reports$/, rep.label);

    // Even once a regulator accepts the burst, one organisation's crowd alone stops short of block.
    const burst = (await call('GET', '/v1/review/bursts?status=pending', 'regulator')).body.bursts.find((b: any) => b.caller === caller);
    assert.ok(burst, 'the burst is in the review queue');
    const ok = await call('POST', `/v1/review/bursts/${burst.id}/decision`, 'regulator', { decision: 'accepted', reason: 'checking the cap' });
    assert.equal(ok.status, 200, ok.text);
    const after = await screen(caller);
    assert.equal(after.action, 'warn');
    assert.ok(after.score < 85, `score ${after.score}`);
    assert.ok((await lookup(caller)).reasons.some((r: any) => r.code === 'CROWD_CAPPED'));
  });

  it('fifty "not spam" feedbacks from one app do not take a carrier\'s robocall listing to allow', async () => {
    const caller = '+8613810000002';
    await upload('carrier', 'Carrier robocallers', 'robocall', [caller]);
    const listed = await screen(caller);
    assert.equal(listed.action, 'warn');
    for (let i = 0; i < 50; i++) await notSpam(caller, `fan-${i}`);
    const d = await screen(caller);
    assert.equal(d.action, 'warn', `still listed: ${JSON.stringify(d)}`);
    assert.equal(d.score, listed.score);
    assert.equal(d.category, 'robocall');
  });

  it('a burst of new reporters from one app on one number is held for review and shown to the regulator', async () => {
    const caller = '+8613810000003';
    const results = [];
    for (let i = 0; i < 10; i++) results.push(await report(caller, `wave-${i}`));
    assert.deepEqual(results.map((r) => r.held), [false, false, false, false, false, false, true, true, true, true]);
    assert.equal(results[9].reputation.reports, 6, 'held reports do not count');

    for (const role of ['app', 'carrier', 'business', 'bank', 'police'] as const) {
      assert.equal((await call('GET', '/v1/review/bursts', role)).status, 403, role);
    }
    const queue = await call('GET', '/v1/review/bursts?status=pending', 'regulator');
    assert.equal(queue.status, 200, queue.text);
    const burst = queue.body.bursts.find((b: any) => b.caller === caller);
    assert.ok(burst, JSON.stringify(queue.body));
    assert.equal(burst.org.name, 'Test app');
    assert.equal(burst.reporters, 4);
    assert.equal(burst.reports, 4);
    assert.equal(burst.status, 'pending');
    assert.equal(burst.score, (await screen(caller)).score);
    const told = (await call('GET', '/v1/webhooks/deliveries', 'regulator')).body.deliveries.filter((x: any) => x.event === 'burst.held');
    const payloads = await t.ctx.db.selectFrom('outbox').select('payload').where('event_type', '=', 'burst.held').execute();
    assert.ok(told.length >= 1 && payloads.some((p) => JSON.parse(p.payload).data.burst === burst.id), 'the regulator is sent a burst.held event');
    const timeline = (await lookup(caller, 'regulator')).timeline.filter((r: any) => r.kind === 'report');
    assert.equal(timeline.filter((r: any) => /held for review/.test(r.detail ?? '')).length, 4);

    // An app cannot decide its own burst; a regulator accepts it and the held reports count.
    assert.equal((await call('POST', `/v1/review/bursts/${burst.id}/decision`, 'app', { decision: 'accepted', reason: 'mine' })).status, 403);
    const decided = await call('POST', `/v1/review/bursts/${burst.id}/decision`, 'regulator', { decision: 'accepted', reason: 'A real scam wave: the calls match the other apps\' reports' });
    assert.equal(decided.status, 200, decided.text);
    assert.equal(decided.body.status, 'accepted');
    assert.equal((await lookup(caller)).reports, 10);
    const again = await call('POST', `/v1/review/bursts/${burst.id}/decision`, 'admin', { decision: 'rejected', reason: 'again' });
    assert.equal(again.status, 409);
    assert.equal(again.body.code, 'REPUTATION_BURST_ALREADY_DECIDED');

    // A rejected burst never counts.
    const rejectedCaller = '+8613810000013';
    for (let i = 0; i < 9; i++) await report(rejectedCaller, `sock-${i}`);
    const sock = (await call('GET', '/v1/review/bursts?status=pending', 'admin')).body.bursts.find((b: any) => b.caller === rejectedCaller);
    const before = await lookup(rejectedCaller);
    assert.equal((await call('POST', `/v1/review/bursts/${sock.id}/decision`, 'regulator', { decision: 'rejected', reason: 'Invented references' })).status, 200);
    const afterReject = await lookup(rejectedCaller);
    assert.equal(afterReject.score, before.score);
    assert.equal(afterReject.reports, 6);
    const audit = (await call('GET', '/v1/audit?limit=1000', 'regulator')).body.entries;
    assert.ok(audit.some((e: any) => e.action === 'burst.held' && e.subject === `burst:${burst.id}`));
    assert.ok(audit.some((e: any) => e.action === 'burst.rejected' && e.subject === `burst:${sock.id}` && /officer/.test(e.actor)));
  });

  it('six genuine reports from subscribers of two apps still warn within the day', async () => {
    const caller = '+8613810000004';
    for (let i = 0; i < 3; i++) await report(caller, `genuine-a-${i}`, 'app', { claimedOrganization: 'bank customer service' });
    for (let i = 0; i < 3; i++) await report(caller, `genuine-b-${i}`, { key: other.app! }, { claimedOrganization: 'bank customer service' });
    const d = await screen(caller);
    assert.equal(d.action, 'warn', JSON.stringify(d));
    assert.ok(d.score >= 60, `score ${d.score}`);
    assert.equal(d.label, 'Suspected fraud · poses as bank customer service · 6 reports');
  });

  it('a police listing is not lifted by another organisation\'s "not spam" or by an appeal that does not name it', async () => {
    const caller = '+8613810000005';
    const listId = await upload('police', 'Case 2026-201 mule numbers', 'fraud', [caller, '+8613810000015']);
    assert.equal((await screen(caller)).action, 'block');
    for (let i = 0; i < 6; i++) await notSpam(caller, `friend-a-${i}`);
    for (let i = 0; i < 6; i++) await notSpam(caller, `friend-b-${i}`, { key: other.app! });
    const afterFeedback = await screen(caller);
    assert.equal(afterFeedback.action, 'block', 'not spam from two apps does not lower a police listing');

    const filed = await appeal('business', caller);
    assert.equal(filed.status, 201, filed.text);
    await uphold(filed.body.id);
    const afterAppeal = await lookup(caller);
    assert.equal(afterAppeal.confirmed, true);
    assert.equal((await screen(caller)).action, 'block', 'an appeal that does not name the listing leaves it');
    const notices = (await call('GET', '/v1/lists/notices', 'police')).body.notices.filter((n: any) => n.identifier === caller);
    assert.deepEqual(notices.map((n: any) => [n.list, n.lifted]), [[listId, false]], 'the police unit is told, and its entry stays');

    // Another police unit cannot lift it either; its owner can lift its other entry.
    const foreign = await call('DELETE', `/v1/lists/${listId}/entries/${encodeURIComponent(caller)}`, { key: other.police! });
    assert.equal(foreign.status, 403, foreign.text);
    assert.equal((await screen(caller)).action, 'block');
    const own = await call('DELETE', `/v1/lists/${listId}/entries/${encodeURIComponent('+8613810000015')}`, 'police');
    assert.equal(own.status, 200, own.text);
    assert.equal((await screen('+8613810000015')).action, 'allow');

    // An appeal that names the listing, once upheld, lifts it.
    const named = await appeal('business', caller, [listId]);
    assert.equal(named.status, 201, named.text);
    assert.deepEqual(named.body.listings, [listId]);
    await uphold(named.body.id);
    const lifted = await lookup(caller);
    assert.equal(lifted.confirmed, false);
    assert.equal(lifted.score, 0);
  });

  it('a business appealing a number held by another business is refused with 403 APPEAL_NOT_HOLDER', async () => {
    const held = '+8613810000006';
    const bad = await call('POST', '/v1/holders', 'carrier', [{ holder: 'Nobody Ltd', org: 'No such business', identityLevel: 'verified', use: 'customer-service', number: held }]);
    assert.equal(bad.status, 400, bad.text);
    assert.equal(bad.body.field, 'blocks.0.org');
    const reg = await call('POST', '/v1/holders', 'carrier', [{ holder: 'Test Business Ltd', org: 'Test business', identityLevel: 'verified', use: 'customer-service', number: held }]);
    assert.equal(reg.status, 201, reg.text);
    await report(held, 'h-1');
    await report(held, 'h-2');

    const refused = await appeal({ key: other.business! }, held);
    assert.equal(refused.status, 403, refused.text);
    assert.equal(refused.body.code, 'APPEAL_NOT_HOLDER');
    assert.match(refused.headers.get('content-type') ?? '', /application\/problem\+json/);
    assert.equal((await t.ctx.db.selectFrom('appeals').select('id').where('identifier', '=', held).execute()).length, 0, 'nothing was written');

    const mine = await appeal('business', held);
    assert.equal(mine.status, 201, mine.text);
    assert.equal(mine.body.holderVerified, true);
    const unregistered = await appeal({ key: other.business! }, '+8613810000016');
    assert.equal(unregistered.status, 201, unregistered.text);
    assert.equal(unregistered.body.holderVerified, false);
  });

  it('upholding an appeal clears crowd evidence only, and the list owner is told', async () => {
    const caller = '+8613810000007';
    assert.equal((await call('PUT', '/v1/webhooks', 'carrier', { url: 'https://hooks.carrier.example/callshield' })).status, 200);
    const listId = await upload('carrier', 'Carrier nuisance list', 'robocall', [caller]);
    const carrierOnly = (await screen(caller)).score;
    for (let i = 0; i < 3; i++) await report(caller, `crowd-a-${i}`, 'app', { category: 'robocall' });
    for (let i = 0; i < 3; i++) await report(caller, `crowd-b-${i}`, { key: other.app! }, { category: 'robocall' });
    assert.equal((await screen(caller)).action, 'block');

    const filed = await appeal('business', caller);
    assert.equal(filed.status, 201, filed.text);
    // The decider sees the appellant, the holder match, the current score and the evidence by source.
    const seen = await call('GET', `/v1/appeals/${filed.body.id}`, 'regulator');
    assert.equal(seen.status, 200, seen.text);
    assert.deepEqual(seen.body.appellant, { org: { id: seen.body.appellant.org.id, name: 'Test business' }, person: 'business-officer-1' });
    assert.equal(seen.body.holderVerified, false);
    assert.equal(seen.body.context.holder.registered, false);
    assert.equal(seen.body.context.score, (await screen(caller)).score);
    assert.deepEqual(seen.body.context.evidence.crowd, { reports: 6, reporters: 6, organisations: 2, complaints: 0, heldForReview: 0 });
    assert.deepEqual(seen.body.context.evidence.lists.map((l: any) => [l.source, l.name, l.named]), [['carrier', 'Carrier nuisance list', false]]);
    const asAppellant = await call('GET', `/v1/appeals/${filed.body.id}`, 'business');
    assert.equal(asAppellant.status, 200);
    assert.equal(asAppellant.body.context, undefined, 'the appellant does not see the decider\'s view');
    assert.equal((await call('GET', `/v1/appeals/${filed.body.id}`, { key: other.business! })).status, 404);

    await uphold(filed.body.id);
    const d = await screen(caller);
    assert.equal(d.score, carrierOnly, 'the crowd is cleared, the carrier listing stays');
    assert.equal(d.action, 'warn');
    assert.equal(d.label, 'Robocall');

    const notices = (await call('GET', '/v1/lists/notices', 'carrier')).body.notices.filter((n: any) => n.identifier === caller);
    assert.deepEqual(notices.map((n: any) => [n.appeal, n.list, n.listName, n.lifted]), [[filed.body.id, listId, 'Carrier nuisance list', false]]);
    assert.equal((await call('GET', '/v1/lists/notices', 'bank')).body.notices.filter((n: any) => n.identifier === caller).length, 0);
    const deliveries = (await call('GET', '/v1/webhooks/deliveries', 'carrier')).body.deliveries.filter((x: any) => x.event === 'appeal.upheld');
    assert.equal(deliveries.length, 1, 'one signed appeal.upheld event waits in the outbox for the carrier');
    const row = await t.ctx.db.selectFrom('outbox').select(['payload', 'secret_ref']).where('event_type', '=', 'appeal.upheld').executeTakeFirstOrThrow();
    assert.equal(row.secret_ref, `org:${(await t.ctx.db.selectFrom('orgs').select('id').where('name', '=', 'Test carrier').executeTakeFirstOrThrow()).id}`);
    const payload = JSON.parse(row.payload);
    assert.deepEqual(payload.data.lists, [{ list: listId, name: 'Carrier nuisance list', source: 'carrier', lifted: false }]);
  });

  it('upholding an appeal for the FTC file\'s most-reported robocaller no longer clears its label when a carrier lists it', async () => {
    const r = await importComplaints(t.ctx, FTC, CLI_OPERATOR);
    assert.ok(r.imported > 12_000, `imported ${r.imported}`);
    const imported = await lookup(FTC_TOP_ROBOCALLER);
    assert.equal(imported.reports, 42);
    assert.match(imported.label, /· 42 reports$/, imported.label);
    assert.equal((await screen(FTC_TOP_ROBOCALLER)).action, 'warn', 'one import is one organisation\'s crowd: warn, not block');
    await upload('carrier', 'Carrier robocall listing', 'robocall', [FTC_TOP_ROBOCALLER]);
    assert.equal((await screen(FTC_TOP_ROBOCALLER)).action, 'block');

    const filed = await appeal('business', FTC_TOP_ROBOCALLER);
    assert.equal(filed.status, 201, filed.text);
    await uphold(filed.body.id);
    const after = await lookup(FTC_TOP_ROBOCALLER);
    assert.equal(after.label, 'Robocall', 'the label stays');
    assert.equal(after.reports, 0, 'the complaints no longer count');
    assert.ok(after.score > 0);
    assert.equal((await screen(FTC_TOP_ROBOCALLER)).action, 'warn');
  });

  it('police case and list names are hidden from app, bank, carrier, platform and business in the look-up timeline', async () => {
    const caller = '+8613810000008';
    const policeList = await upload('police', 'Case 2026-117 mule numbers', 'fraud', [caller]);
    const bankList = await upload('bank', 'Bank mule-account callers', 'fraud', [caller]);
    for (const who of ['app', 'bank', 'carrier', 'platform', 'business', { key: other.bank! }] as Who[]) {
      const rep = await lookup(caller, who);
      const text = JSON.stringify(rep);
      assert.doesNotMatch(text, /2026-117|mule numbers/, `${JSON.stringify(who).slice(0, 20)} sees no case name`);
      const row = rep.timeline.find((x: any) => x.list === policeList);
      assert.equal(row.detail, 'a police list');
      const bankRow = rep.timeline.find((x: any) => x.list === bankList);
      if (who === 'bank') assert.match(bankRow.detail, /Bank mule-account callers/, 'the owner sees its own list');
      else assert.equal(bankRow.detail, 'a bank list');
    }
    for (const who of ['police', 'regulator', 'admin', { key: other.police! }] as Who[]) {
      const rep = await lookup(caller, who);
      assert.match(rep.timeline.find((x: any) => x.list === policeList).detail, /Case 2026-117 mule numbers/);
      assert.match(rep.timeline.find((x: any) => x.list === bankList).detail, /Bank mule-account callers/);
    }
  });

  it('a label counts distinct reporters, not one reporter\'s repeats', async () => {
    const caller = '+8613810000009';
    for (let day = 1; day <= 5; day++) await report(caller, 'grudge', 'app', { occurredAt: new Date(Date.now() - day * DAY).toISOString() });
    await report(caller, 'second-subscriber');
    await report(caller, 'third-subscriber', { key: other.app! });
    const rep = await lookup(caller, 'app');
    assert.equal(rep.reports, 3);
    assert.match(rep.label, /· 3 reports$/, rep.label);
    const d = await screen(caller);
    assert.match(d.label, /3 reports/);
  });
  // Reports update the caller's reputation incrementally (src/reputation/tally.ts). The same attacks,
  // sent all at once so they race the tally's first build, must end exactly where the full
  // recompute (the look-up) ends, and no further than the full score lets them.
  it('the incremental path: one reporter repeating, invented reporters and "not spam" sent at once end where the full recompute does', async () => {
    const caller = '+8613810000077';
    const same = (r: any, full: any): void => {
      for (const k of ['score', 'category', 'confidence', 'label', 'reports', 'reasons']) assert.deepEqual(r[k], full[k], k);
    };
    // One subscriber, forty times at once: still one reporter, one report's weight.
    await Promise.all(Array.from({ length: 40 }, () => report(caller, 'obsessed')));
    let last = await report(caller, 'obsessed');
    same(last.reputation, await lookup(caller, 'app'));
    assert.equal(last.reputation.reports, 1);
    assert.ok(last.reputation.score <= 22, `one reporter alone: ${last.reputation.score}`);
    assert.ok(last.reputation.reasons.some((x: any) => x.code === 'SINGLE_REPORTER'));
    // One app invents thirty reporters at once: a burst holds the new ones; what counts stays under blocking.
    await Promise.all(Array.from({ length: 30 }, (_, i) => report(caller, `invented-${i}`)));
    last = await report(caller, 'obsessed');
    const full = await lookup(caller, 'app');
    same(last.reputation, full);
    assert.ok(full.score < 85, `one app alone never blocks: ${full.score}`);
    assert.equal((await screen(caller)).score, full.score, 'the hot index has the incremental result');
    // Another app's subscribers say "not spam", at once.
    await Promise.all(Array.from({ length: 4 }, (_, i) => notSpam(caller, `friend-${i}`, { key: other.app! })));
    last = await notSpam(caller, 'friend-last', { key: other.app! });
    same(last.reputation, await lookup(caller, 'app'));
    assert.equal((await screen(caller)).score, last.reputation.score);
  });
});
