// The API speaks the reader's language (issue 16, item 1): Accept-Language picks English, simplified
// or traditional Chinese for labels, reasons' texts, advice, customer messages and problem
// documents on every route family, Content-Language and Vary say so, codes never change, and an
// organisation's language setting (PUT /v1/org/settings, `callshield orgs settings`) writes its
// webhook events in that language.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import type { Role } from '../../src/auth/index.js';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['CALLSHIELD_DB', 'DATABASE_URL', 'NODE_OPTIONS', 'NODE_TEST_CONTEXT']) delete env[k];
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, 'bin', 'callshield.js'), ...args], { cwd: ROOT, env, timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0, stdout, stderr });
    });
  });
}

let t: TestServer;
const FRAUDSTER = '+8613912345678';
const SUBSCRIBER = '+8613600136099';

// Protocol names, units and values a Chinese reader sees as they are.
const ALLOWED = /STIR\/SHAKEN|PASSporT|STI-CA|RFC \d+|E\.164|ISO \d+|JSON|CSV|API|SIP|TLS|https?|x5u|Identity|Authorization|Bearer|Allow|Retry-After|Webhook|callshield|App|account:<[^>]+>:<[^>]+>/g;
const TRANSLATED = new Set(['label', 'advice', 'message', 'title', 'detail']);

/** Every translated field of a body: labels, advice, messages, problem titles and details, reasons' texts. */
function translatedTexts(body: unknown, path = '$', out: [string, string][] = []): [string, string][] {
  if (Array.isArray(body)) body.forEach((v, i) => translatedTexts(v, `${path}[${i}]`, out));
  else if (body && typeof body === 'object') {
    const o = body as Record<string, unknown>;
    for (const [k, v] of Object.entries(o)) {
      if (typeof v === 'string' && (TRANSLATED.has(k) || (k === 'text' && typeof o.code === 'string'))) out.push([`${path}.${k}`, v]);
      else translatedTexts(v, `${path}.${k}`, out);
    }
  }
  return out;
}

/** No English words left in the translated fields (values such as names and numbers excepted). */
function assertChinese(body: unknown, values: string[] = []): number {
  const texts = translatedTexts(body);
  // Field names are codes too: a detail names the field at fault as the request spelled it.
  values = [...values, ...[...JSON.stringify(body).matchAll(/"field":"([^"]+)"/g)].map((m) => m[1]!)];
  for (const [where, text] of texts) {
    let rest = text;
    for (const v of values) rest = rest.split(v).join(' ');
    rest = rest.replace(ALLOWED, ' ');
    assert.doesNotMatch(rest, /[A-Za-z]{2,}/, `${where}: English left in ${JSON.stringify(text)}`);
    assert.match(text, /[\u4e00-\u9fff]/, `${where}: ${JSON.stringify(text)}`);
  }
  return texts.length;
}

async function call(method: string, path: string, role: Role, body?: unknown, language?: string) {
  return t.call(method, path, { role, ...(body !== undefined ? { body } : {}), ...(language ? { headers: { 'accept-language': language } } : {}) });
}

before(async () => {
  t = await startTestServer();
  for (const reporter of ['sub-1', 'sub-2', 'sub-3', 'sub-4', 'sub-5', 'sub-6', 'sub-7', 'sub-8']) {
    const r = await call('POST', '/v1/reports', 'app', { caller: FRAUDSTER, reporter, category: 'fraud', claimedOrganization: 'Acme Bank' });
    assert.equal(r.status, 201, r.text);
  }
});
after(async () => {
  await t.close();
});

describe('Accept-Language', () => {
  it('screening in zh: label, reasons and advice in Chinese, codes unchanged, Content-Language and Vary', async () => {
    const en = await call('POST', '/v1/screen', 'app', { caller: FRAUDSTER, callee: SUBSCRIBER, channel: 'pstn' });
    const zh = await call('POST', '/v1/screen', 'app', { caller: FRAUDSTER, callee: SUBSCRIBER, channel: 'pstn' }, 'zh');
    assert.equal(zh.status, 200, zh.text);
    assert.equal(en.headers.get('content-language'), 'en');
    assert.equal(zh.headers.get('content-language'), 'zh-CN');
    assert.match(zh.headers.get('vary') ?? '', /accept-language/i);
    assert.match(en.headers.get('vary') ?? '', /accept-language/i);
    assert.match(en.body.label, /Suspected fraud/);
    assert.deepEqual(zh.body.reasons.map((r: any) => r.code), en.body.reasons.map((r: any) => r.code));
    assert.equal(zh.body.action, en.body.action);
    assert.equal(zh.body.category, 'fraud');
    assert.ok(zh.body.advice, 'a fraud warning carries advice');
    assert.ok(assertChinese(zh.body, ['Acme Bank']) >= 3);
    assert.match(zh.body.label, /疑似诈骗/);
  });

  it('zh-TW in Traditional characters; q-values pick the best language; unknown languages get English', async () => {
    const tw = await call('POST', '/v1/screen', 'app', { caller: FRAUDSTER, callee: SUBSCRIBER, channel: 'pstn' }, 'zh-TW');
    assert.equal(tw.headers.get('content-language'), 'zh-TW');
    assert.match(tw.body.label, /詐騙/);
    assert.doesNotMatch(JSON.stringify(tw.body), /诈骗|举报/);
    assertChinese(tw.body, ['Acme Bank']);
    const q = await call('GET', `/v1/identifiers/${encodeURIComponent(FRAUDSTER)}`, 'app', undefined, 'en;q=0.5, zh-TW;q=0.9');
    assert.equal(q.headers.get('content-language'), 'zh-TW');
    const enWins = await call('GET', `/v1/identifiers/${encodeURIComponent(FRAUDSTER)}`, 'app', undefined, 'zh-CN;q=0.4, en');
    assert.equal(enWins.headers.get('content-language'), 'en');
    assert.match(enWins.body.label, /Suspected fraud/);
    const fr = await call('GET', `/v1/identifiers/${encodeURIComponent(FRAUDSTER)}`, 'app', undefined, 'fr-FR');
    assert.equal(fr.headers.get('content-language'), 'en');
  });

  it('reputation look-up, batch screening with a bad call, and policy advice in zh-CN', async () => {
    const rep = await call('GET', `/v1/identifiers/${encodeURIComponent(FRAUDSTER)}`, 'app', undefined, 'zh-CN');
    assert.equal(rep.status, 200, rep.text);
    assert.ok(assertChinese(rep.body, ['Acme Bank']) >= 2);
    const batch = await call('POST', '/v1/screen/batch', 'carrier', { calls: [{ caller: FRAUDSTER, callee: SUBSCRIBER, channel: 'pstn' }, { caller: '12ab', callee: SUBSCRIBER, channel: 'pstn' }, { caller: 'anonymous', callee: SUBSCRIBER, channel: 'pstn' }] }, 'zh-CN');
    assert.equal(batch.status, 200, batch.text);
    assert.equal(batch.body.results[1].error.code, 'IDENTITY_INVALID_NUMBER');
    assert.equal(batch.body.results[1].error.field, 'calls.1.caller');
    assert.ok(assertChinese(batch.body, ['Acme Bank']) >= 6);
    // A subscriber's policy asks for English advice; the reader's Accept-Language wins.
    const video = await call('POST', '/v1/screen', 'app', { caller: 'stranger@icloud.com', callee: SUBSCRIBER, channel: 'video' }, 'zh-CN');
    assertChinese(video.body, ['stranger@icloud.com']);
  });

  it('problem documents: title and detail in Chinese, code, status, type and field unchanged', async () => {
    const bad = await call('POST', '/v1/screen', 'app', { caller: '12ab', callee: SUBSCRIBER, channel: 'pstn' }, 'zh-CN');
    const badEn = await call('POST', '/v1/screen', 'app', { caller: '12ab', callee: SUBSCRIBER, channel: 'pstn' });
    assert.equal(bad.status, 400);
    assert.equal(bad.headers.get('content-language'), 'zh-CN');
    assert.deepEqual([bad.body.code, bad.body.type, bad.body.field], [badEn.body.code, badEn.body.type, badEn.body.field]);
    assertChinese(bad.body);
    assert.match(bad.body.detail, /字段：caller/);
    const missing = await call('POST', '/v1/screen', 'app', { callee: SUBSCRIBER, channel: 'pstn' }, 'zh');
    assert.equal(missing.body.code, 'REQUEST_INVALID_BODY');
    assertChinese(missing.body);
    const unknown = await call('POST', '/v1/screen', 'app', { caller: FRAUDSTER, callee: SUBSCRIBER, channel: 'pstn', extra: 1 }, 'zh');
    assertChinese(unknown.body);
    const forbidden = await call('POST', '/v1/accounts/flags', 'app', { account: 'alipay:x', evidence: 'e' }, 'zh-TW');
    assert.equal(forbidden.status, 403);
    assertChinese(forbidden.body);
    const noKey = await t.call('GET', '/v1/me', { headers: { 'accept-language': 'zh' } });
    assert.equal(noKey.status, 401);
    assertChinese(noKey.body);
    const notFound = await t.call('GET', '/v1/nothing-here', { role: 'app', headers: { 'accept-language': 'zh' } });
    assert.equal(notFound.status, 404);
    assertChinese(notFound.body);
  });

  it('payments: flags, transfer checks (reasons and the customer message) and holds in zh-CN', async () => {
    assert.equal((await call('POST', '/v1/payers', 'bank', { payer: 'cust-zh', subscriber: SUBSCRIBER })).status, 201);
    assert.equal((await call('POST', '/v1/accounts/flags', 'police', { account: 'alipay:mule-zh', evidence: 'case 2026-9' })).status, 201);
    assert.equal((await call('POST', '/v1/accounts/flags', 'bank', { account: 'alipay:suspect-zh', evidence: 'many inbound transfers' })).status, 201);
    const flag = await call('POST', '/v1/accounts/check', 'app', { account: 'alipay:mule-zh' }, 'zh-CN');
    assert.equal(flag.status, 200, flag.text);
    assert.ok(assertChinese(flag.body) >= 1);
    const clean = await call('POST', '/v1/accounts/check', 'app', { account: 'alipay:nobody-zh' }, 'zh-CN');
    assertChinese(clean.body);
    const block = await call('POST', '/v1/transfers/check', 'bank', { payer: 'cust-zh', payeeAccount: 'alipay:mule-zh', amount: 10, currency: 'CNY', channel: 'mobile' }, 'zh-CN');
    assert.equal(block.body.decision, 'block');
    assert.ok(assertChinese(block.body) >= 2);
    const hold = await call('POST', '/v1/transfers/check', 'bank', { payer: 'cust-zh', payeeAccount: 'alipay:suspect-zh', amount: 10, currency: 'CNY', channel: 'mobile' }, 'zh-CN');
    assert.equal(hold.body.decision, 'hold');
    assertChinese(hold.body);
    const holds = await call('GET', '/v1/holds?status=held', 'bank', undefined, 'zh-CN');
    assert.equal(holds.status, 200, holds.text);
    assertChinese(holds.body, ['alipay:suspect-zh']);
  });

  it('governance: do-not-call scrub reasons in zh-CN', async () => {
    assert.equal((await call('PUT', `/v1/subscribers/${encodeURIComponent('+8613800138077')}/policy`, 'app', {})).status, 200);
    assert.equal((await call('POST', '/v1/dnc', 'app', { number: '+8613800138077' })).status, 201);
    const scrub = await call('POST', '/v1/dnc/scrub', 'business', { numbers: ['+8613800138077', 'not a number'], purpose: 'marketing', channel: 'voice' }, 'zh-CN');
    assert.equal(scrub.status, 200, scrub.text);
    assert.ok(assertChinese(scrub.body) >= 2, JSON.stringify(scrub.body));
  });

  it("conversation guard: alerts' advice in the reader's language, whatever language was spoken", async () => {
    const start = await call('POST', '/v1/calls', 'app', { caller: 'scammer@icloud.com', callee: SUBSCRIBER, channel: 'video' }, 'zh-CN');
    assert.equal(start.status, 201, start.text);
    const alerts: unknown[] = [];
    for (const text of ['Hello, this is the fraud department of your bank', 'Your account has been compromised and a loan was taken in your name', 'Download the meeting app and share your screen with me', 'Read me the verification code we just sent', 'Move your money to the safe account right now']) {
      const r = await call('POST', `/v1/calls/${start.body.callId}/utterances`, 'app', { speaker: 'caller', text }, 'zh-CN');
      assert.equal(r.status, 200, r.text);
      alerts.push(...(r.body.alerts ?? []));
    }
    assert.ok(alerts.length > 0, 'the scam script raised alerts');
    assertChinese(alerts);
    for (const a of alerts as { lang: string }[]) assert.equal(a.lang, 'zh', 'the alert says its advice is in Chinese');
  });
});

describe("webhooks in the organisation's language", () => {
  it('PUT /v1/org/settings sets it (audited, own organisation only), and events are written in it', async () => {
    const initial = await call('GET', '/v1/org/settings', 'bank');
    assert.deepEqual(initial.body, { org: 'Test bank', language: null });
    const bad = await call('PUT', '/v1/org/settings', 'bank', { language: 'fr' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.field, 'language');
    const other = await call('PUT', '/v1/org/settings', 'bank', { language: 'zh-CN', org: 'Test police' });
    assert.equal(other.status, 403, 'a bank may not set the police unit\'s language');
    const set = await call('PUT', '/v1/org/settings', 'bank', { language: 'zh-CN' });
    assert.deepEqual(set.body, { org: 'Test bank', language: 'zh-CN' });
    const byAdmin = await call('GET', '/v1/org/settings?org=Test%20bank', 'admin');
    assert.deepEqual(byAdmin.body, { org: 'Test bank', language: 'zh-CN' });

    assert.equal((await call('PUT', '/v1/webhooks', 'bank', { url: 'http://127.0.0.1:9/hooks' })).status, 200);
    assert.equal((await call('POST', '/v1/accounts/flags', 'bank', { account: 'alipay:webhook-zh', evidence: 'inbound transfers' })).status, 201);
    const hold = await call('POST', '/v1/transfers/check', 'bank', { payer: 'cust-zh', payeeAccount: 'alipay:webhook-zh', amount: 20, currency: 'CNY', channel: 'mobile' });
    assert.equal(hold.body.decision, 'hold');
    assert.match(hold.body.reasons[0].text, /suspected fraud/, 'the HTTP reply follows the request (no Accept-Language: English)');
    const rows = await t.ctx.db.selectFrom('outbox').select(['event_type', 'payload']).where('event_type', '=', 'hold.created').execute();
    const event = rows.map((r) => JSON.parse(r.payload)).find((e) => e.data.holdId === hold.body.holdId);
    assert.ok(event, 'a hold.created event was written');
    assert.ok(assertChinese(event.data, ['alipay:webhook-zh']) >= 1, JSON.stringify(event.data));
    assert.equal(event.data.reasons[0].code, 'PAYEE_SUSPECTED');

    const audited = await t.ctx.db.selectFrom('audit_log').select(['action', 'subject']).where('action', '=', 'org.settings').execute();
    assert.ok(audited.some((r) => r.subject === 'org:Test bank'), 'the change is in the audit log');
  });
});

describe('callshield orgs settings', { skip: process.env.CALLSHIELD_TEST_ENGINE === 'postgres' ? 'the CLI runs on the SQLite file' : false }, () => {
  it("sets an organisation's language on the same database the server reads (audited as the local operator)", async () => {
    const set = await cli(['orgs', 'settings', '--org', 'Test police', '--language', 'zh-TW', '--db', t.dbPath]);
    assert.equal(set.code, 0, set.stderr);
    assert.match(set.stdout, /organisation "Test police"\s+language zh-TW/);
    const seen = await call('GET', '/v1/org/settings', 'police');
    assert.deepEqual(seen.body, { org: 'Test police', language: 'zh-TW' });
    const json = await cli(['orgs', 'settings', '--org', 'Test police', '--json', '--db', t.dbPath]);
    assert.deepEqual(JSON.parse(json.stdout), { org: 'Test police', language: 'zh-TW' });
    const bad = await cli(['orgs', 'settings', '--org', 'Test police', '--language', 'klingon', '--db', t.dbPath]);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /language/);
    const none = await cli(['orgs', 'settings', '--org', 'Nobody', '--language', 'en', '--db', t.dbPath]);
    assert.notEqual(none.code, 0);
    assert.match(none.stderr, /Nobody/);
    const rows = await t.ctx.db.selectFrom('audit_log').select(['action', 'actor', 'subject']).where('action', '=', 'org.settings').execute();
    assert.ok(rows.some((r) => r.subject === 'org:Test police' && /local operator/.test(r.actor)), JSON.stringify(rows));
  });
});
