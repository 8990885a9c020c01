// The web console end to end: Debian's chromium (through playwright-core) drives the built console
// served by a real callshield server, which it reaches through the same public API as any client.
// Screenshots of every page land in test-artifacts/console/ (git-ignored).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import Fastify from 'fastify';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestServer } from '../helpers/server.js';
import { consoleRoutes } from '../../src/api/routes/console.js';
import type { TestServer } from '../helpers/server.js';
import { createApiKey } from '../../src/operations/keys.js';
import { CLI_OPERATOR } from '../../src/operations/actor.js';
import { signNewCheckpoint } from '../../src/operations/audit/log.js';
import { inTransaction } from '../../src/operations/write.js';
import { sweepPayments } from '../../src/operations/payments/dispatcher.js';
import { flushScreenedHits } from '../../src/operations/campaigns/honeypots.js';
import { ROLES } from '../../src/auth/index.js';
import type { Role } from '../../src/auth/index.js';

const CHROMIUM = process.env.CALLSHIELD_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'];
const REPO = fileURLToPath(new URL('../../', import.meta.url));
const SHOTS = join(REPO, 'test-artifacts', 'console');
const PHONE = { width: 390, height: 844 };

// What each role's navigation must show (the pages whose permissions the foundation defines; the
// bank, police and regulator pages are checked separately below).
const NAV: Record<Role, string[]> = {
  carrier: ['home', 'lookup', 'appeals', 'screen', 'live'],
  platform: ['home', 'lookup', 'report', 'appeals', 'screen', 'live'],
  bank: ['home', 'lookup'],
  police: ['home', 'lookup'],
  regulator: ['home', 'lookup', 'appeals', 'audit'],
  app: ['home', 'lookup', 'report', 'screen', 'live'],
  business: ['home', 'lookup', 'appeals'],
  admin: ['home', 'lookup', 'report', 'appeals', 'screen', 'live', 'audit'],
};
const AREA_PAGES = ['bank', 'police', 'campaigns', 'tasks', 'case', 'regulator'];
/** The bank, police, campaigns, tasks, case and regulator pages: a regulator oversees holds, freezes and tasks read-only. */
const AREA_NAV: Record<Role, string[]> = {
  carrier: ['campaigns', 'tasks'],
  platform: ['tasks'],
  bank: ['bank', 'tasks'],
  police: ['police', 'campaigns', 'tasks', 'case'],
  regulator: ['bank', 'police', 'campaigns', 'tasks', 'case', 'regulator'],
  app: [],
  business: [],
  admin: ['bank', 'police', 'campaigns', 'tasks', 'case', 'regulator'],
};

describe('console files (no browser)', () => {
  it('serves index.html and assets from the folder as it is now, and 503 before the first build', async () => {
    const root = mkdtempSync(join(tmpdir(), 'callshield-console-'));
    const app = Fastify();
    app.setNotFoundHandler((_request, reply) => reply.code(404).send({ code: 'REQUEST_NOT_FOUND' }));
    await app.register(consoleRoutes, { root });
    try {
      const before = await app.inject('/');
      assert.equal(before.statusCode, 503);
      assert.match(before.body, /npm run build:console/);
      assert.equal((await app.inject('/assets/index-1.js')).statusCode, 404);
      // A build after start-up is served at once (no restart), with its security and cache headers.
      mkdirSync(join(root, 'assets'));
      writeFileSync(join(root, 'index.html'), '<!doctype html><title>v1</title><script type="module" src="/assets/index-1.js"></script>');
      writeFileSync(join(root, 'assets', 'index-1.js'), 'console.log(1)');
      const page = await app.inject('/');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /v1/);
      assert.match(String(page.headers['content-security-policy']), /default-src 'self'/);
      assert.equal(page.headers['cache-control'], 'no-cache');
      const js = await app.inject('/assets/index-1.js');
      assert.equal(js.statusCode, 200);
      assert.match(String(js.headers['content-type']), /javascript/);
      assert.match(String(js.headers['cache-control']), /immutable/);
      writeFileSync(join(root, 'index.html'), '<!doctype html><title>v2</title>');
      utimesSync(join(root, 'index.html'), new Date(), new Date(Date.now() + 5_000));
      assert.match((await app.inject('/')).body, /v2/);
      // Nothing outside the assets folder, and a folder is "not found", not an error.
      for (const path of ['/assets/', '/assets/../../package.json', '/assets/%2e%2e/%2e%2e/package.json', '/package.json']) {
        assert.equal((await app.inject(path)).statusCode, 404, path);
      }
    } finally {
      await app.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});

const skipReason = existsSync(CHROMIUM) ? false : `no chromium at ${CHROMIUM} (apt-get install chromium)`;

describe('web console (chromium)', { skip: skipReason, timeout: 300_000 }, () => {
  let t: TestServer;
  let browser: Browser;
  const problems: string[] = [];
  // The server's clock: the joint-response journeys file one case "90 minutes ago" to let a deadline pass.
  let clockShift = 0;

  before(async () => {
    // Build the console once if it is missing or older than its sources.
    const built = spawnSync(process.execPath, [join(REPO, 'web', 'ensure-built.mjs')], { stdio: 'inherit' });
    assert.equal(built.status, 0, 'the console build failed');
    mkdirSync(SHOTS, { recursive: true });
    t = await startTestServer({}, () => Date.now() + clockShift);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  });

  after(async () => {
    await browser?.close();
    await t?.close();
  });

  async function open(opts: { viewport?: { width: number; height: number }; locale?: string } = {}): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1280, height: 900 }, locale: opts.locale ?? 'en-US' });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('console', (msg) => {
      // A 404 from a route another team has not shipped yet is expected; anything else is not.
      // Refusals the tests provoke on purpose (a wrong key, a same-officer approval, a bad honeypot number) log a failed load.
      if (msg.type() === 'error' && !/Failed to load resource: the server responded with a status of (400|401|403|404|409)/.test(msg.text())) problems.push(`console: ${msg.text()}`);
    });
    return { context, page };
  }

  async function signIn(page: Page, key: string, hash = ''): Promise<void> {
    await page.goto(`${t.url}/${hash}`);
    await page.getByLabel(/API key|API 密钥/).fill(key);
    await page.getByRole('button', { name: /^(Sign in|登录)$/ }).click();
    await page.getByTestId('who').waitFor();
  }

  async function shot(page: Page, name: string, fullPage = true): Promise<void> {
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
  }

  async function navPages(page: Page): Promise<string[]> {
    return page.locator('nav a[data-page]').evaluateAll((els) => els.map((e) => e.getAttribute('data-page') ?? ''));
  }

  async function report(caller: string, reporter: string, extra: Record<string, string> = {}): Promise<void> {
    const r = await t.call('POST', '/v1/reports', { role: 'app', body: { caller, reporter, category: 'fraud', ...extra } });
    assert.equal(r.status, 201, r.text);
  }

  it('serves the console at / with its assets, outside the key-protected API', async () => {
    const res = await fetch(`${t.url}/`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    const html = await res.text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    assert.ok(script, html);
    const js = await fetch(t.url + script);
    assert.equal(js.status, 200);
    assert.match(js.headers.get('cache-control') ?? '', /immutable/);
    // Unknown paths still get the API's problem+json 404, and /v1 still needs a key.
    const missing = await fetch(`${t.url}/no/such/page`);
    assert.equal(missing.status, 404);
    assert.match(missing.headers.get('content-type') ?? '', /application\/problem\+json/);
    assert.equal((await fetch(`${t.url}/v1/me`)).status, 401);
  });

  it('signs in with the keyboard, refuses a wrong key, and signs out', async () => {
    const { context, page } = await open();
    await page.goto(`${t.url}/`);
    await shot(page, 'signin-en');
    // Tab order: skip link, language switch, then the key field.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate('document.activeElement.name'), 'apiKey');
    const outline = await page.evaluate('getComputedStyle(document.activeElement).outlineStyle');
    assert.equal(outline, 'solid', 'the focused field shows a visible focus ring');
    await page.keyboard.type('csk_not_a_real_key_000000000000000000');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /unknown or revoked/);
    await page.getByLabel('API key').fill(t.keys.app);
    await page.keyboard.press('Enter');
    await page.getByTestId('who').waitFor();
    assert.match(await page.getByTestId('who').innerText(), /Test app \(app\)/);
    // The key lives in this tab's session storage only.
    assert.match(String(await page.evaluate('sessionStorage.getItem("callshield.session")')), /csk_/);
    assert.equal(await page.evaluate('localStorage.getItem("callshield.session")'), null);
    await page.getByTestId('sign-out').click();
    await page.getByLabel('API key').waitFor();
    assert.equal(await page.evaluate('sessionStorage.getItem("callshield.session")'), null);
    await context.close();
  });

  it('shows each role only the pages its key may use, and each of them loads without a 403', async () => {
    for (const role of ROLES) {
      const { context, page } = await open();
      await signIn(page, t.keys[role]);
      const pages = await navPages(page);
      const expected = NAV[role];
      assert.deepEqual(pages.filter((p) => !AREA_PAGES.includes(p)), expected, `navigation of ${role}`);
      const areas = pages.filter((p) => AREA_PAGES.includes(p));
      assert.deepEqual(areas, AREA_NAV[role], `area pages of ${role}`);
      for (const p of pages) {
        await page.goto(`${t.url}/#/${p}`);
        await page.locator('#page-title').waitFor();
        await page.waitForLoadState('networkidle');
        const errors = await page.locator('.error').allInnerTexts();
        assert.deepEqual(errors.filter((e) => /AUTH_FORBIDDEN|may not do this/.test(e)), [], `${role} on ${p}`);
      }
      // A page the role may not use, even when typed in, says so (issue 16) instead of showing another page.
      const hidden = ['audit', 'report', 'screen'].find((p) => !pages.includes(p));
      if (hidden) {
        await page.goto(`${t.url}/#/${hidden}`);
        await page.getByTestId('refused').waitFor();
        assert.match(await page.getByTestId('refused').innerText(), /not available to a/);
      }
      await page.goto(`${t.url}/#/home`);
      await page.getByTestId('home-pages').waitFor();
      await shot(page, `home-${role}`);
      await context.close();
    }
  });

  it('looks up a reported number: score, label, reasons and the evidence timeline, in English and Chinese', async () => {
    const number = '+8613912345678';
    for (const r of ['sub-a', 'sub-b', 'sub-c', 'sub-d']) await report(number, r, { claimedOrganization: 'loan platform customer service', channel: 'video' });
    const api = (await t.call('GET', `/v1/identifiers/${encodeURIComponent(number)}`, { role: 'app' })).body;
    const { context, page } = await open();
    await signIn(page, t.keys.bank);
    await page.getByRole('navigation').getByRole('link', { name: 'Look up', exact: true }).click();
    await page.getByLabel('Number, e-mail or account').fill('139 1234 5678');
    await page.getByRole('button', { name: 'Look up' }).click();
    await page.getByTestId('reputation').waitFor();
    assert.equal(Number(await page.getByTestId('score').getAttribute('data-score')), api.score);
    assert.ok(api.score > 0);
    assert.equal(await page.getByTestId('label').innerText(), api.label);
    assert.equal(await page.getByTestId('reports').innerText(), '4');
    assert.equal(await page.getByTestId('reputation').locator('[data-code="CROWD_REPORTS"]').count(), 1);
    assert.match(await page.getByTestId('reputation').innerText(), /Reports from subscribers/);
    assert.match(page.url(), /#\/lookup\?id=/);
    // The uPlot chart drew a canvas; its numbers are also in a table.
    await page.locator('.chart-box canvas').first().waitFor();
    assert.match(await page.locator('.legend').innerText(), /reports: 4/);
    await shot(page, 'lookup-en');

    await page.getByTestId('lang-switch').click();
    await page.getByRole('heading', { name: '查询标识' }).waitFor();
    assert.equal(await page.evaluate('document.documentElement.lang'), 'zh-CN');
    assert.match(await page.locator('.legend').innerText(), /举报: 4/);
    await shot(page, 'lookup-zh');
    await context.close();
  });

  it('files a report and shows the score change', async () => {
    const caller = 'loan-desk@icloud.com';
    for (const r of ['r-1', 'r-2', 'r-3', 'r-4', 'r-5']) await report(caller, r, { channel: 'video' });
    const before = (await t.call('GET', `/v1/identifiers/${encodeURIComponent(caller)}`, { role: 'app' })).body;
    const { context, page } = await open();
    await signIn(page, t.keys.app, '#/report');
    await page.getByRole('heading', { name: 'Report a caller' }).waitFor();
    await page.getByLabel('Caller', { exact: true }).fill(caller);
    await page.getByLabel('Category').selectOption('fraud');
    await page.getByLabel('Channel').selectOption('video');
    await page.getByLabel(/Who the caller claimed to be/).fill('loan platform customer service');
    await page.getByRole('button', { name: 'Send report' }).click();
    const change = page.getByTestId('score-change');
    await change.waitFor();
    const shownBefore = Number(await change.getAttribute('data-before'));
    const shownAfter = Number(await change.getAttribute('data-after'));
    const now = (await t.call('GET', `/v1/identifiers/${encodeURIComponent(caller)}`, { role: 'app' })).body;
    assert.equal(shownBefore, before.score);
    assert.equal(shownAfter, now.score);
    assert.ok(shownAfter > shownBefore, `${shownBefore} → ${shownAfter}`);
    assert.equal(now.reports, 6);
    assert.equal(await change.innerText(), `Score: ${before.score} → ${now.score}`);
    await shot(page, 'report-en');
    await context.close();
  });

  it('screens a call in the simulator and explains the decision', async () => {
    const { context, page } = await open();
    await signIn(page, t.keys.carrier, '#/screen');
    await page.getByLabel('Caller', { exact: true }).fill('loan-desk@icloud.com');
    await page.getByLabel('Callee', { exact: true }).fill('138 0013 8000');
    await page.getByLabel('Channel').selectOption('video');
    await page.getByRole('button', { name: 'Screen the call' }).click();
    await page.getByTestId('decision').waitFor();
    const api = (await t.call('POST', '/v1/screen', { role: 'carrier', body: { caller: 'loan-desk@icloud.com', callee: '138 0013 8000', channel: 'video' } })).body;
    assert.equal(await page.getByTestId('action').innerText(), api.action);
    assert.equal(await page.getByTestId('decision').locator(`[data-code="${api.reasons[0].code}"]`).count(), 1);
    await shot(page, 'screen-en');
    await context.close();
  });

  for (const lang of ['zh', 'en'] as const) {
    it(`replays the source case (${lang}) and the alerts arrive over the event stream`, async () => {
      const phone = lang === 'zh';
      const { context, page } = await open(phone ? { viewport: PHONE, locale: 'zh-CN' } : {});
      await signIn(page, t.keys.app, '#/live');
      await page.getByLabel(/Replay speed|重放速度/).selectOption('fast');
      await page.getByTestId(`replay-${lang}`).click();
      const alerts = page.getByTestId('alerts');
      await alerts.locator('li[data-stage="remote-access"]').waitFor();
      await alerts.locator('li[data-stage="money-movement"]').waitFor();
      await page.locator('[data-testid="stages"] li[data-stage="remote-access"][data-on="true"]').waitFor();
      // Every alert shown also came through the SSE stream (read with fetch + a stream reader).
      const shown = await alerts.locator('li').count();
      await page.waitForFunction(`Number(document.querySelector('[data-testid="alerts"]')?.getAttribute('data-stream-alerts')) >= ${shown}`);
      assert.equal(await page.getByTestId('stream-state').innerText(), phone ? '已连接' : 'connected');
      assert.ok(Number(await page.getByTestId('risk').getAttribute('data-risk')) >= 0.5);
      await page.getByTestId('transcript').locator('li').nth(6).waitFor();
      const all = await alerts.locator('li').count();
      assert.equal(await alerts.locator(`li[lang="${phone ? 'zh-CN' : 'en'}"]`).count(), all);
      await shot(page, `live-${lang}${phone ? '-phone' : ''}`);
      await page.getByTestId('end-call').click();
      await page.getByTestId('summary').waitFor();
      assert.match(await page.getByTestId('summary').innerText(), phone ? /诈骗/ : /scam/);
      await context.close();
    });
  }

  it('follows a call typed utterance by utterance', async () => {
    const { context, page } = await open();
    await signIn(page, t.keys.platform, '#/live');
    await page.getByLabel('Caller', { exact: true }).fill('+8613700001234');
    await page.getByLabel('Call language').selectOption('zh');
    await page.getByRole('button', { name: 'Start a call' }).click();
    const send = page.getByRole('button', { name: 'Send', exact: true });
    await page.getByLabel('Utterance').fill('我是银行客服，您的账户涉嫌洗钱，请把收到的验证码告诉我');
    await send.click();
    await page.getByTestId('alerts').locator('li[data-stage="credential-request"]').waitFor();
    await page.getByTestId('transcript').getByText('涉嫌洗钱', { exact: false }).waitFor();
    await page.getByLabel('Speaker').selectOption('callee');
    await page.getByLabel('Utterance').fill('好的');
    await send.click();
    await page.getByTestId('transcript').locator('li.callee').waitFor();
    await page.getByTestId('end-call').click();
    await page.getByTestId('summary').waitFor();
    await context.close();
  });

  it('files an appeal as a business and upholds it as a regulator', async () => {
    const number = '+8613811112222';
    for (const r of ['x-1', 'x-2', 'x-3']) await report(number, r);
    const biz = await open();
    await signIn(biz.page, t.keys.business, '#/appeals');
    await biz.page.getByLabel('Identifier').fill(number);
    await biz.page.getByLabel('Evidence').fill('We are a licensed courier; this number confirms deliveries.');
    await biz.page.getByRole('button', { name: 'Send appeal' }).click();
    await biz.page.getByText('Appeal filed; status: pending').waitFor();
    await biz.page.getByTestId('appeals').locator('li').first().waitFor();
    await shot(biz.page, 'appeals-business');
    await biz.context.close();

    const reg = await open();
    await signIn(reg.page, t.keys.regulator, '#/appeals');
    const item = reg.page.getByTestId('appeals').locator('li', { hasText: number });
    await item.getByLabel('Reason for the decision').fill('Licence checked');
    await shot(reg.page, 'appeals-regulator');
    await item.getByRole('button', { name: 'Uphold' }).click();
    await reg.page.getByTestId('confirm-yes').click();
    await item.waitFor({ state: 'detached' });
    const appeals = (await t.call('GET', '/v1/appeals?status=upheld', { role: 'regulator' })).body.appeals;
    assert.ok(appeals.some((a: { identifier: string }) => a.identifier === number));
    await reg.context.close();
  });

  it('shows the audit log verified, its latest checkpoint, and checks a kept checkpoint in the browser', async () => {
    // A witness kept this checkpoint; the log grows after it.
    await signNewCheckpoint(t.ctx);
    const kept = (await t.call('GET', '/v1/audit/checkpoint', { role: 'regulator' })).body;
    await inTransaction(t.ctx, ({ audit }) => audit({ actor: 'Test regulator (regulator)', action: 'appeal.upheld', subject: 'appeal:e2e', details: {} }));
    await signNewCheckpoint(t.ctx);
    const { context, page } = await open();
    await signIn(page, t.keys.regulator, '#/audit');
    await page.getByTestId('chain').waitFor();
    assert.equal(await page.getByTestId('chain').getAttribute('data-ok'), 'true');
    const check = (await t.call('GET', '/v1/audit/verify', { role: 'regulator' })).body;
    assert.match(await page.getByTestId('chain').innerText(), new RegExp(`${check.entries} entries recomputed`));
    assert.ok((await page.getByTestId('audit-entries').locator('tbody tr').count()) > 0);
    assert.match(await page.getByTestId('audit-entries').innerText(), /key\.create/);
    const latest = (await t.call('GET', '/v1/audit/checkpoint', { role: 'regulator' })).body;
    await page.getByTestId('checkpoint-note').waitFor();
    assert.equal((await page.getByTestId('checkpoint-note').innerText()).trimEnd(), latest.checkpoint.trimEnd());
    assert.ok(latest.treeSize > kept.treeSize);

    // The kept checkpoint: signature and consistency proof checked by the browser.
    await page.getByLabel('Checkpoint note').fill(kept.checkpoint);
    await page.getByRole('button', { name: 'Check against the live log' }).click();
    await page.getByTestId('witness-verdict').waitFor();
    assert.equal(await page.getByTestId('witness-verdict').getAttribute('data-ok'), 'true', await page.getByTestId('witness-verdict').innerText());
    assert.match(await page.getByTestId('witness-verdict').innerText(), new RegExp(`live log \\(${latest.treeSize} entries\\).*\\(${kept.treeSize} entries\\)`));
    await shot(page, 'audit-en');

    // The same checkpoint with its size edited: the signature no longer matches.
    await page.getByLabel('Checkpoint note').fill(kept.checkpoint.replace(`\n${kept.treeSize}\n`, `\n${kept.treeSize - 1}\n`));
    await page.getByRole('button', { name: 'Check against the live log' }).click();
    await page.locator('[data-testid="witness-verdict"][data-ok="false"]').waitFor();
    assert.equal(await page.getByTestId('witness-verdict').getAttribute('data-kind'), 'bad signature');

    await page.getByTestId('lang-switch').click();
    await page.getByRole('heading', { name: '审计日志' }).waitFor();
    await shot(page, 'audit-zh');
    await context.close();
  });

  it('is usable on a phone-sized screen: menu, no sideways scrolling', async () => {
    await report('+8613955556666', 'phone-1');
    const { context, page } = await open({ viewport: PHONE });
    await signIn(page, t.keys.admin);
    const menu = page.getByRole('button', { name: /^Menu/ });
    assert.equal(await menu.getAttribute('aria-expanded'), 'false');
    await menu.click();
    assert.equal(await menu.getAttribute('aria-expanded'), 'true');
    await shot(page, 'phone-menu', false);
    await page.getByRole('navigation').getByRole('link', { name: 'Look up', exact: true }).click();
    await page.getByLabel('Number, e-mail or account').fill('+8613955556666');
    await page.getByRole('button', { name: 'Look up', exact: true }).click();
    await page.getByTestId('reputation').waitFor();
    await page.locator('.chart-box canvas').first().waitFor();
    for (const p of ['lookup', 'report', 'appeals', 'screen', 'live', 'bank', 'police', 'campaigns', 'regulator', 'audit']) {
      if (p !== 'lookup') await page.goto(`${t.url}/#/${p}`);
      await page.locator('#page-title').waitFor();
      await page.waitForLoadState('networkidle');
      const overflow = Number(await page.evaluate('document.documentElement.scrollWidth'));
      assert.ok(overflow <= PHONE.width, `${p} scrolls sideways: ${overflow}px`);
      // Every form control has a label (WCAG 1.3.1, 4.1.2).
      const unlabelled = await page.evaluate(`[...document.querySelectorAll('input, select, textarea')].filter((el) => el.labels.length === 0 && !el.getAttribute('aria-label')).map((el) => el.name || el.id)`);
      assert.deepEqual(unlabelled, [], `unlabelled controls on ${p}`);
      await shot(page, `phone-${p}`);
    }
    await context.close();
  });

  describe('payments and governance pages', () => {
    /** A card number with a valid Luhn check digit. */
    function card(base: string): string {
      let sum = 0;
      [...`${base}0`].reverse().forEach((c, i) => {
        let d = Number(c);
        if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
        sum += d;
      });
      return `${base}${(10 - (sum % 10)) % 10}`;
    }
    const SAFE_ACCOUNT = card('622202123456789012');

    it('bank: flags a "safe account", a transfer to it is held, the officer releases it with a reason', async () => {
      const { context, page } = await open();
      await signIn(page, t.keys.bank, '#/bank');
      await page.getByRole('heading', { name: 'Bank', exact: true }).waitFor();
      // Flag the account the caller called a "certified safe account" (a bank flag = suspected).
      const flagForm = page.getByRole('form', { name: 'Flag an account' });
      await flagForm.getByLabel('Account', { exact: true }).fill(SAFE_ACCOUNT);
      await flagForm.getByLabel('Evidence').fill('Given as a "CBRC certified safe account" during a scam call');
      await flagForm.getByRole('button', { name: 'Flag an account' }).click();
      await page.getByTestId('flags').getByText(`card:${SAFE_ACCOUNT}`).waitFor();

      await page.getByLabel('Payer', { exact: true }).fill('customer-0042');
      await page.getByLabel('Payee account').fill(SAFE_ACCOUNT);
      await page.getByLabel('Amount').fill('50000');
      await page.getByRole('button', { name: 'Check', exact: true }).click();
      await page.getByTestId('transfer-result').waitFor();
      assert.equal(await page.getByTestId('transfer-result').getAttribute('data-decision'), 'hold');
      assert.equal(await page.getByTestId('transfer-result').locator('[data-code="PAYEE_SUSPECTED"]').count(), 1);
      assert.doesNotMatch(await page.getByTestId('transfer-result').innerText(), /PAYEE_SUSPECTED/, 'codes are not shown to people');

      const hold = page.getByTestId('holds').locator('li[data-status="held"]', { hasText: `card:${SAFE_ACCOUNT}` });
      await hold.waitFor();
      const holdId = await hold.getAttribute('data-hold');
      assert.ok(holdId);
      await shot(page, 'bank-en');
      await hold.getByLabel('Reason (call-back result)').fill('Called back on the known number; customer confirmed the payment unpressured');
      assert.match(await hold.getByTestId('hold-customer').innerText(), /customer-0042/);
      await hold.getByRole('button', { name: 'Release' }).click();
      await page.getByTestId('confirm-yes').click();
      await hold.waitFor({ state: 'detached' });
      const after = await t.call('GET', `/v1/holds/${holdId}`, { role: 'bank' });
      assert.equal(after.body.status, 'released');
      assert.match(JSON.stringify(after.body.steps), /customer confirmed the payment/);
      await page.getByRole('region', { name: 'Held transfers' }).getByLabel('Show').selectOption('released');
      await page.getByTestId('holds').locator(`li[data-hold="${holdId}"][data-status="released"]`).waitFor();
      await page.getByTestId('lang-switch').click();
      await page.getByRole('heading', { name: '银行', exact: true }).waitFor();
      await shot(page, 'bank-zh');
      await context.close();
    });

    it('the source case across pages: during the replayed scam call the bank holds the customer\'s transfer', async () => {
      const bank = await open();
      await signIn(bank.page, t.keys.bank, '#/bank');
      await bank.page.getByLabel('Customer reference').fill('cust-zhang');
      await bank.page.getByLabel('Customer’s number or identifier').fill('+86 138 0013 8000');
      await bank.page.getByRole('button', { name: 'Enrol', exact: true }).click();
      await bank.page.getByText('Customer cust-zhang is enrolled.').waitFor();

      // Ms. Zhang's call, replayed on the Live call page (callee +8613800138000), still going on, in
      // the app that serves her (it holds her policy): only that app's calls mark her as in a risky call.
      assert.equal((await t.call('PUT', `/v1/subscribers/${encodeURIComponent('+8613800138000')}/policy`, { role: 'app', body: {} })).status, 200);
      const app = await open();
      await signIn(app.page, t.keys.app, '#/live');
      await app.page.getByLabel('Callee', { exact: true }).fill('+8613800138000');
      await app.page.getByLabel('Replay speed').selectOption('fast');
      await app.page.getByTestId('replay-zh').click();
      await app.page.getByTestId('alerts').locator('li[data-stage="money-movement"]').waitFor();

      await bank.page.getByLabel('Payer', { exact: true }).fill('cust-zhang');
      await bank.page.getByLabel('Payee account').fill(card('601111111111111'));
      await bank.page.getByLabel('Amount').fill('1630000');
      await bank.page.getByRole('button', { name: 'Check', exact: true }).click();
      const result = bank.page.getByTestId('transfer-result');
      await result.waitFor();
      assert.equal(await result.getAttribute('data-decision'), 'hold');
      assert.equal(await result.locator('[data-code="RISKY_CALL_ACTIVE"]').count(), 1);
      await shot(bank.page, 'bank-source-case');
      await app.page.getByTestId('end-call').click();
      await app.page.getByTestId('summary').waitFor();
      await app.context.close();
      await bank.context.close();
    });

    it('police: one officer files a freeze, a second approves it, the bank acknowledges, the first follows its status', async () => {
      const second = (await createApiKey(t.ctx, { org: 'Test police', role: 'police', label: 'officer 2' , person: 'officer-8' }, CLI_OPERATOR)).key;
      const caseNumber = `SH-2023-${Date.now() % 100000}`;
      const one = await open();
      await signIn(one.page, t.keys.police, '#/police');
      await one.page.getByLabel('Case number').fill(caseNumber);
      await one.page.getByLabel('Legal basis').fill('Anti-Telecom and Online Fraud Law, art. 20');
      await one.page.getByLabel('Amount').fill('1630000');
      await one.page.getByLabel('Account', { exact: true }).fill(SAFE_ACCOUNT);
      await one.page.getByLabel('Bank', { exact: true }).selectOption('Test bank');
      await one.page.getByRole('button', { name: 'File the freeze' }).click();
      await one.page.getByTestId('confirm-yes').click();
      await one.page.getByTestId('freeze-filed').waitFor();
      assert.match(await one.page.getByTestId('freeze-filed').innerText(), /awaiting approval/);
      const mine = one.page.getByTestId('freezes').locator(`li[data-case="${caseNumber}"]`);
      await mine.waitFor();
      assert.equal(await mine.getAttribute('data-status'), 'pending');
      // Dual control: the officer who filed is never offered Approve; the page names people.
      await mine.getByTestId('waiting-approval').waitFor();
      assert.equal(await mine.getByRole('button', { name: 'Approve' }).count(), 0);
      assert.match(await mine.getByTestId('freeze-people').innerText(), /Filed by: police-officer-1/);
      await shot(one.page, 'police-filed');

      const two = await open();
      await signIn(two.page, second, '#/police');
      const theirs = two.page.getByTestId('freezes').locator(`li[data-case="${caseNumber}"]`);
      await theirs.getByRole('button', { name: 'Approve' }).click();
      await two.page.getByTestId('confirm-yes').click();
      await two.page.getByTestId('freezes').locator(`li[data-case="${caseNumber}"][data-status="active"]`).waitFor();
      await shot(two.page, 'police-approved');
      await two.context.close();

      const bank = await open();
      await signIn(bank.page, t.keys.bank, '#/bank');
      const addressed = bank.page.getByTestId('freezes').locator(`li[data-case="${caseNumber}"]`);
      await addressed.getByLabel('Amount frozen').fill('1630000');
      await addressed.getByRole('button', { name: 'Acknowledge' }).click();
      await addressed.getByText('acknowledged', { exact: false }).waitFor();
      await bank.context.close();

      await one.page.getByRole('region', { name: 'Freezes' }).getByRole('button', { name: 'Refresh' }).click();
      await one.page.getByTestId('freezes').locator(`li[data-case="${caseNumber}"][data-status="active"]`).waitFor();
      await mine.getByText(/acknowledged · Amount frozen: CN¥1,630,000/).waitFor();
      const api = (await t.call('GET', '/v1/freezes', { role: 'police' })).body.freezes.find((f: { caseNumber: string }) => f.caseNumber === caseNumber);
      assert.equal(api.status, 'active');
      assert.equal(api.accounts[0].status, 'acknowledged');
      await shot(one.page, 'police-en');

      // Release takes two officers too: the first one's release is a request, the freeze stays active.
      await mine.getByLabel('Reason to release').fill('funds returned to the victim');
      await mine.getByRole('button', { name: 'Release', exact: true }).click();
      await one.page.getByTestId('confirm-yes').click();
      await mine.getByTestId('release-request').waitFor();
      assert.match(await mine.getByTestId('release-request').innerText(), /asked for by police-officer-1.*Waiting for a second officer/s);
      assert.equal(await one.page.getByTestId('freezes').locator(`li[data-case="${caseNumber}"]`).getAttribute('data-status'), 'active');
      assert.equal(await mine.getByRole('button', { name: /release/i }).count(), 0, 'no second step offered to the one who asked');
      await one.context.close();
      const three = await open();
      await signIn(three.page, second, '#/police');
      const confirm = three.page.getByTestId('freezes').locator(`li[data-case="${caseNumber}"]`);
      await confirm.getByLabel('Reason to release').fill('confirmed with the bank');
      await confirm.getByRole('button', { name: 'Confirm release' }).click();
      await three.page.getByTestId('confirm-yes').click();
      await three.page.getByTestId('freezes').locator(`li[data-case="${caseNumber}"][data-status="released"]`).waitFor();
      await three.context.close();
    });

    it('regulator: reports by category, top identifiers, complaints per carrier, violations, CSV export', async () => {
      for (const r of ['g-1', 'g-2']) await report('+8613912345678', r);
      const complaint = await t.call('POST', '/v1/complaints', {
        role: 'app',
        body: { caller: '+8613912345678', callee: '+8613800138000', occurredAt: new Date().toISOString(), consented: false, category: 'harassment', offered: 'loan offers' },
      });
      assert.equal(complaint.status, 201, complaint.text);
      const { context, page } = await open();
      await signIn(page, t.keys.regulator, '#/regulator');
      await page.getByTestId('reports-by-category').locator('.chart-box canvas').waitFor();
      const stats = (await t.call('GET', '/v1/stats/reports', { role: 'regulator' })).body.days as { category: string; count: number }[];
      const fraud = stats.filter((d) => d.category === 'fraud').reduce((a, d) => a + d.count, 0);
      assert.ok(fraud > 0);
      assert.match(await page.getByTestId('reports-by-category').locator('.legend').innerText(), new RegExp(`fraud: ${fraud}`));
      await page.getByTestId('top-table').getByRole('link', { name: '+8613912345678' }).waitFor();
      await page.getByTestId('complaints-per-carrier').locator('.rank li').first().waitFor();
      await shot(page, 'regulator-en');

      const download = page.waitForEvent('download');
      await page.getByTestId('reports-by-category').getByRole('button', { name: 'Download CSV' }).click();
      const file = await download;
      assert.equal(file.suggestedFilename(), 'reports-by-day.csv');
      const { readFile } = await import('node:fs/promises');
      const csv = await readFile((await file.path())!, 'utf8');
      assert.match(csv, /^day,category,count/);
      assert.match(csv, /,fraud,/);

      await page.getByTestId('lang-switch').click();
      await page.getByRole('heading', { name: '监管', exact: true }).waitFor();
      await shot(page, 'regulator-zh');
      await context.close();
    });

    it('shows "not available on this server" when an API the page needs answers 404', async () => {
      const { context, page } = await open();
      // Simulate a server without the governance routes: its 404 is the API's problem document.
      await page.route('**/v1/stats/**', (route) =>
        route.fulfill({ status: 404, contentType: 'application/problem+json', body: JSON.stringify({ type: 'about:blank', title: 'No such resource', status: 404, detail: 'no route', code: 'REQUEST_NOT_FOUND' }) }),
      );
      await signIn(page, t.keys.regulator, '#/regulator');
      // Reports, top identifiers, complaints per carrier, response times, violations all answer the
      // same 404: it is said once for the page (issue 16), not five times.
      await page.getByTestId('not-available').first().waitFor();
      await page.waitForLoadState('networkidle');
      assert.equal(await page.getByTestId('not-available').count(), 1);
      assert.match(await page.getByTestId('not-available').first().innerText(), /Not available on this server yet/);
      await context.close();
    });
  });

  describe('campaigns and honeypots', () => {
    const SCRIPT = 'Hello, this is the customs office. A parcel in your name holds illegal goods; to avoid arrest transfer the deposit of 5000 yuan to the safe account now';

    it('carrier: registers honeypot lines in the page, sees the callers each caught, removes one after confirming', async () => {
      const lines = ['+8613700500001', '+8613700500002'];
      const { context, page } = await open();
      await signIn(page, t.keys.carrier, '#/campaigns');
      await page.getByRole('heading', { name: 'Campaigns and honeypot lines' }).waitFor();
      const section = page.getByTestId('honeypots-section');
      // A bad number is refused naming the field in words, and nothing is written.
      await section.getByLabel('Numbers', { exact: true }).fill('+8613700500009\nnot a number');
      await section.getByRole('button', { name: 'Register', exact: true }).click();
      await section.getByRole('alert').waitFor();
      assert.match(await section.getByRole('alert').innerText(), /Field: Numbers › #2/);
      // Two lines at once, separated by a comma.
      await section.getByLabel('Numbers', { exact: true }).fill(`${lines[0]}, ${lines[1]}`);
      await section.getByRole('button', { name: 'Register', exact: true }).click();
      await page.getByTestId('lines-registered').waitFor();
      assert.equal(await page.getByTestId('lines-registered').innerText(), '2 line(s) registered.');
      const row = (n: string) => page.getByTestId('honeypots').locator(`tr[data-number="${n}"]`);
      await row(lines[0]!).waitFor();
      await row(lines[1]!).waitFor();
      assert.equal(await page.getByTestId('honeypots').locator('tr[data-number="+8613700500009"]').count(), 0);
      assert.equal(await row(lines[0]!).getByTestId('hits').innerText(), '0');

      // A screened call to the first line, a transcript on the second typed in the page: each line caught one caller.
      const s = await t.call('POST', '/v1/screen', { role: 'carrier', body: { caller: '+8617055600001', callee: lines[0], channel: 'pstn' } });
      assert.equal(s.status, 200, s.text);
      await flushScreenedHits(t.ctx);
      await section.getByLabel('Line', { exact: true }).selectOption(lines[1]!);
      await section.getByLabel('Caller', { exact: true }).fill('+8617055600002');
      await section.getByLabel('What the caller said').fill('This is the fraud department of your bank, your account is frozen, press 1 to speak to an agent');
      await section.getByRole('button', { name: 'Add the transcript' }).click();
      await page.getByTestId('transcript-added').waitFor();
      await section.getByRole('button', { name: 'Refresh' }).click();
      await page.getByTestId('honeypots').locator(`tr[data-number="${lines[0]}"][data-hits="1"]`).waitFor();
      await page.getByTestId('honeypots').locator(`tr[data-number="${lines[1]}"][data-hits="1"]`).waitFor();
      assert.equal(await row(lines[0]!).getByTestId('hits').innerText(), '1');
      await shot(page, 'honeypots-en');

      // Removing asks first; cancelling keeps the line, confirming removes it.
      await row(lines[0]!).getByRole('button', { name: `Remove the line ${lines[0]}` }).click();
      await page.getByTestId('confirm-no').first().click();
      assert.equal(await row(lines[0]!).count(), 1);
      await row(lines[0]!).getByRole('button', { name: `Remove the line ${lines[0]}` }).click();
      await page.locator('dialog[open] [data-testid="confirm-yes"]').click();
      await row(lines[0]!).waitFor({ state: 'detached' });
      assert.equal(await row(lines[1]!).count(), 1);
      const mine = (await t.call('GET', '/v1/honeypots', { role: 'carrier' })).body.items.map((i: { number: string }) => i.number);
      assert.ok(!mine.includes(lines[0]) && mine.includes(lines[1]), JSON.stringify(mine));
      await context.close();
    });

    it('police: sees a campaign with its member count, opens it and sees every member, in English and Chinese; no honeypot section', async () => {
      // Three callers reading one script on a carrier's honeypot line form a script campaign (as test/integration/campaigns.test.ts).
      const line = '+8613700600001';
      assert.equal((await t.call('POST', '/v1/honeypots', { role: 'carrier', body: { numbers: [line] } })).status, 201);
      const callers = [0, 1, 2].map((i) => `+861727100000${i}`);
      for (const [i, caller] of callers.entries()) {
        const r = await t.call('POST', '/v1/honeypots/transcripts', { role: 'carrier', body: { number: line, caller, text: SCRIPT.replace('5000', String(3000 + i)) } });
        assert.equal(r.status, 201, r.text);
      }
      let id = '';
      for (const c of (await t.call('GET', '/v1/campaigns', { role: 'police' })).body.items as { id: string }[]) {
        const one = (await t.call('GET', `/v1/campaigns/${c.id}`, { role: 'police' })).body as { members: { caller: string }[] };
        if (one.members.some((m) => m.caller === callers[0])) id = c.id;
      }
      assert.ok(id, 'the three callers form a campaign');

      const { context, page } = await open();
      await signIn(page, t.keys.police, '#/campaigns');
      const listed = page.getByTestId('campaigns').locator(`tr[data-campaign="${id}"]`);
      await listed.waitFor();
      assert.equal(await listed.getByTestId('member-count').innerText(), '3');
      assert.match(await listed.innerText(), /the same script/);
      // Police read campaigns but keep no honeypot lines.
      assert.equal(await page.getByTestId('honeypots-section').count(), 0);
      assert.equal(await page.getByRole('heading', { name: 'Your honeypot lines' }).count(), 0);
      await shot(page, 'campaigns-en');

      await listed.getByRole('link').click();
      const detail = page.getByTestId('campaign-detail');
      await detail.getByTestId('members').waitFor();
      assert.match(page.url(), new RegExp(`#/campaigns\\?id=${id}$`));
      assert.equal(await detail.getByTestId('member-count').innerText(), '3');
      assert.match(await detail.getByTestId('evidence-counts').innerText(), /the same script: \d+/);
      const members = await detail.locator('tr[data-caller]').evaluateAll((els) => els.map((e) => e.getAttribute('data-caller')));
      assert.deepEqual([...members].sort(), [...callers].sort());
      for (const caller of callers) {
        const link = detail.locator(`tr[data-caller="${caller}"]`).getByRole('link', { name: caller });
        assert.equal(await link.getAttribute('href'), `#/lookup?id=${encodeURIComponent(caller)}`);
        assert.match(await detail.locator(`tr[data-caller="${caller}"]`).innerText(), /the same script/);
      }
      await shot(page, 'campaign-detail-en');

      await page.getByTestId('lang-switch').click();
      await page.getByRole('heading', { name: '团伙与蜜罐号码' }).waitFor();
      assert.match(await detail.getByTestId('evidence-counts').innerText(), /相同话术：\d+/);
      assert.equal(await detail.locator('tr[data-caller]').count(), 3);
      await detail.getByRole('link', { name: '全部团伙' }).click();
      await page.getByTestId('campaigns').locator(`tr[data-campaign="${id}"]`).waitFor();
      assert.match(await page.getByTestId('campaigns').locator(`tr[data-campaign="${id}"]`).innerText(), /相同话术/);
      await shot(page, 'campaigns-zh');

      // A member's link opens its look-up.
      await page.getByTestId('campaigns').locator(`tr[data-campaign="${id}"]`).getByRole('link').click();
      await detail.getByRole('link', { name: callers[0] }).click();
      await page.getByTestId('reputation').waitFor();
      assert.match(page.url(), /#\/lookup\?id=/);
      await context.close();
    });

    it('says when there are no campaigns, or the server has no campaigns API; an app key has no campaigns page', async () => {
      const empty = await open();
      await empty.page.route('**/v1/campaigns?*', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ items: [] }) }));
      await signIn(empty.page, t.keys.police, '#/campaigns');
      await empty.page.getByTestId('campaigns-section').getByTestId('empty').waitFor();
      assert.match(await empty.page.getByTestId('campaigns-section').innerText(), /No campaigns found yet/);
      await empty.context.close();

      const missing = await open();
      await missing.page.route('**/v1/campaigns?*', (route) =>
        route.fulfill({ status: 404, contentType: 'application/problem+json', body: JSON.stringify({ type: 'about:blank', title: 'No such resource', status: 404, detail: 'no route', code: 'REQUEST_NOT_FOUND' }) }),
      );
      await signIn(missing.page, t.keys.police, '#/campaigns');
      await missing.page.getByTestId('not-available').waitFor();
      await missing.context.close();

      // A carrier on a server without the campaigns routes (lines and campaigns both 404): said once.
      const older = await open();
      await older.page.route(/\/v1\/(campaigns|honeypots)/, (route) =>
        route.fulfill({ status: 404, contentType: 'application/problem+json', body: JSON.stringify({ type: 'about:blank', title: 'No such resource', status: 404, detail: 'no route', code: 'REQUEST_NOT_FOUND' }) }),
      );
      await signIn(older.page, t.keys.carrier, '#/campaigns');
      await older.page.getByTestId('not-available').first().waitFor();
      await older.page.waitForLoadState('networkidle');
      assert.equal(await older.page.getByTestId('not-available').count(), 1);
      assert.equal(await older.page.getByTestId('honeypots-section').count(), 0);
      await older.context.close();

      const { context, page } = await open();
      await signIn(page, t.keys.app);
      assert.ok(!(await navPages(page)).includes('campaigns'));
      await page.goto(`${t.url}/#/campaigns`);
      await page.getByTestId('refused').waitFor();
      assert.equal(await page.getByTestId('campaigns-section').count(), 0);
      await context.close();
    });
  });

  describe('joint response: task queues and the case timeline', () => {
    const EMAIL_CALLER = 'loan-service@icloud.com';
    const PHONE_CALLER = '+8613800001234';
    let caseId: string;
    let bankTask: string;

    async function fileCase(): Promise<string> {
      const r = await t.call('POST', '/v1/cases', {
        role: 'app',
        body: { subscriber: '+8613800138000', callers: [EMAIL_CALLER, PHONE_CALLER], payeeAccounts: [{ account: '6011 1111 1111 1117', bank: 'Test bank' }], amount: 1_630_000, currency: 'CNY', occurredAt: new Date(Date.now() + clockShift - 20 * 60_000).toISOString() },
      });
      assert.equal(r.status, 201, r.text);
      return r.body.id;
    }

    before(async () => {
      // The carrier holds the phone caller's block; the platform answers for icloud.com.
      const h = await t.call('POST', '/v1/holders', { role: 'carrier', body: [{ holder: 'Pudong Trading Co', identityLevel: 'documented', use: 'customer-service', from: '+8613800001000', to: '+8613800001999' }] });
      assert.equal(h.status, 201, h.text);
      const n = await t.call('POST', '/v1/platforms/namespaces', { role: 'platform', body: { emailDomains: ['icloud.com'] } });
      assert.equal(n.status, 201, n.text);
      caseId = await fileCase();
    });

    it('bank: the fraud officer sees the freeze preparation with its deadline, accepts it and reports the amount held', async () => {
      const api = (await t.call('GET', `/v1/tasks?caseId=${caseId}`, { role: 'bank' })).body.tasks;
      assert.deepEqual(api.map((x: { kind: string }) => x.kind), ['freeze-preparation']);
      bankTask = api[0].id;
      const { context, page } = await open();
      await signIn(page, t.keys.bank, '#/tasks');
      const item = page.getByTestId('tasks').locator(`li[data-task="${bankTask}"]`);
      await item.waitFor();
      assert.equal(await item.getAttribute('data-kind'), 'freeze-preparation');
      assert.equal(await item.getByTestId('task-deadline').getAttribute('datetime'), api[0].deadline);
      assert.match(await item.innerText(), /Hold the payee account[\s\S]*card:6011111111111117[\s\S]*\d+ min left/);
      await item.getByRole('button', { name: 'Accept' }).click();
      await page.getByTestId('tasks').locator(`li[data-task="${bankTask}"][data-status="accepted"]`).waitFor();
      await item.getByLabel('Amount held').fill('1630000');
      await item.getByLabel('Currency').fill('CNY');
      await item.getByRole('button', { name: 'Mark done' }).click();
      // Done is final: the page asks first, naming what will be reported.
      const confirm = item.getByTestId('task-confirm');
      assert.match(await confirm.innerText(), /amount held 1630000 CNY.*cannot be undone/s);
      await shot(page, 'tasks-bank-confirm');
      await confirm.getByRole('button', { name: 'Confirm' }).click();
      await page.getByTestId('tasks').locator(`li[data-task="${bankTask}"][data-status="done"]`).waitFor();
      assert.equal(await item.getByTestId('task-actions').count(), 0, 'no actions on a finished task');
      const after = (await t.call('GET', `/v1/tasks/${bankTask}`, { role: 'bank' })).body;
      assert.equal(after.status, 'done');
      assert.deepEqual(after.steps.map((s: { action: string; person: string | null }) => [s.action, s.person]), [['created', null], ['accepted', 'bank-officer-1'], ['done', 'bank-officer-1']]);
      assert.equal(after.steps[2].outcome, 'amount held 1630000 CNY');
      assert.deepEqual(after.steps[2].details, { heldAmount: 1630000, currency: 'CNY' });
      await shot(page, 'tasks-bank');
      await context.close();
    });

    it("platform: its queue shows its suspend-account task, not the bank's; cancelling the confirmation changes nothing", async () => {
      const { context, page } = await open();
      await signIn(page, t.keys.platform, '#/tasks');
      const list = page.getByTestId('tasks');
      const item = list.locator('li[data-kind="suspend-account"]', { hasText: EMAIL_CALLER });
      await item.waitFor();
      assert.equal(await list.locator(`li[data-task="${bankTask}"]`).count(), 0);
      assert.equal(await list.locator('li[data-kind="freeze-preparation"], li[data-kind="trace-and-suspend"]').count(), 0);
      const id = await item.getAttribute('data-task');
      await item.getByLabel('Account suspended').check();
      await item.getByRole('button', { name: 'Mark done' }).click();
      await item.getByTestId('task-confirm').getByRole('button', { name: 'Cancel' }).click();
      await item.getByTestId('task-confirm').waitFor({ state: 'detached' });
      assert.equal((await t.call('GET', `/v1/tasks/${id}`, { role: 'platform' })).body.status, 'open');
      await item.getByRole('button', { name: 'Mark done' }).click();
      await item.getByTestId('task-confirm').getByRole('button', { name: 'Confirm' }).click();
      await list.locator(`li[data-task="${id}"][data-status="done"]`).waitFor();
      const after = (await t.call('GET', `/v1/tasks/${id}`, { role: 'platform' })).body;
      assert.equal(after.steps.at(-1).outcome, 'account suspended');
      assert.equal(after.steps.at(-1).person, 'platform-officer-1');
      await shot(page, 'tasks-platform');
      await context.close();
    });

    it('police: from the review task to the case timeline, each step with who and when', async () => {
      const { context, page } = await open();
      await signIn(page, t.keys.police, '#/tasks');
      const review = page.getByTestId('tasks').locator('li[data-kind="review"]', { hasText: caseId });
      await review.getByRole('link', { name: 'Case timeline' }).click();
      const table = page.getByTestId('case-timeline');
      await table.locator('tr[data-action="done"]').nth(1).waitFor();
      const api = (await t.call('GET', `/v1/cases/${caseId}`, { role: 'police' })).body;
      // One row per step of every task, in order, as the API gives them.
      assert.equal(await table.locator('tbody tr').count(), api.timeline.length);
      const bankDone = table.locator('tr[data-action="done"]', { hasText: 'card:6011111111111117' });
      const cells = await bankDone.locator('td').allInnerTexts();
      const entry = api.timeline.find((e: { action: string; kind: string }) => e.action === 'done' && e.kind === 'freeze-preparation');
      assert.equal(cells[0], String(entry.minutesFromFiling));
      assert.deepEqual(cells.slice(4), ['done', 'Test bank', 'bank-officer-1', 'amount held 1630000 CNY']);
      assert.match(await table.locator('tr[data-action="done"]', { hasText: EMAIL_CALLER }).innerText(), /Test platform\s+platform-officer-1\s+account suspended/);
      assert.equal(await table.locator('tr[data-action="created"]').count(), 4);
      // Where each task stands: the carrier and the police review have not answered yet.
      const standing = page.getByTestId('case-tasks');
      for (const task of api.tasks as { id: string; status: string }[]) assert.equal(await standing.locator(`li[data-task="${task.id}"]`).getAttribute('data-status'), task.status);
      assert.deepEqual((api.tasks as { kind: string; status: string }[]).filter((x) => x.status === 'open').map((x) => x.kind).sort(), ['review', 'trace-and-suspend']);
      await shot(page, 'case-timeline');
      await context.close();
    });

    it('regulator: a task left past its deadline is escalated into the regulator\'s queue', async () => {
      clockShift = -90 * 60_000;
      const late = await fileCase();
      clockShift = 0;
      await sweepPayments(t.ctx);
      const { context, page } = await open();
      await signIn(page, t.keys.regulator, '#/tasks');
      const item = page.getByTestId('tasks').locator('li[data-kind="freeze-preparation"][data-status="escalated"]', { hasText: late });
      await item.waitFor();
      assert.match(await item.innerText(), /overdue[\s\S]*min past[\s\S]*Test bank[\s\S]*escalated to the regulator/);
      // The regulator oversees; it does not act for the bank. The first case's done task is not escalated.
      assert.equal(await page.getByTestId('task-actions').count(), 0);
      assert.equal(await page.getByTestId('tasks').locator(`li[data-task="${bankTask}"]`).count(), 0);
      await shot(page, 'tasks-regulator');
      // The regulator's figures: minutes from case to each action, per organisation and week, as the API gives them.
      await page.goto(`${t.url}/#/regulator`);
      const stats = (await t.call('GET', '/v1/stats/response-times', { role: 'regulator' })).body.rows as { organisation: string; kind: string; action: string; count: number; medianMinutes: number; p90Minutes: number }[];
      const table = page.getByTestId('response-times-table');
      for (const action of ['done', 'escalated']) {
        const want = stats.filter((r) => r.organisation === 'Test bank' && r.kind === 'freeze-preparation' && r.action === action);
        assert.equal(want.length, 1, action);
        const row = table.locator(`tr[data-org="Test bank"][data-kind="freeze-preparation"][data-action="${action}"]`);
        await row.waitFor();
        const cells = await row.locator('td').allInnerTexts();
        assert.deepEqual(cells.slice(4), [String(want[0]!.count), String(want[0]!.medianMinutes), String(want[0]!.p90Minutes)]);
      }
      await shot(page, 'regulator-response-times');
      await context.close();
    });
  });

  it('logged no script errors, CSP violations or unexpected failed requests in the browser', () => {
    assert.deepEqual(problems, []);
  });
});
