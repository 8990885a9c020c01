// The console as six people use it (issue 16): an app's support agent, a bank fraud officer, two
// police officers, a regulator, a business appealing a label and an elderly person's family member,
// each on a desk in English and on a phone in Chinese, in Debian's chromium (playwright-core) against
// a real callshield server. Every page is checked with axe-core (no serious or critical violation)
// and photographed in both languages into test-artifacts/journeys/ (git-ignored).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { createApiKey, revokeKey } from '../../src/operations/keys.js';
import { CLI_OPERATOR } from '../../src/operations/actor.js';
import { STRINGS } from '../../web/src/i18n.js';
import type { Key, Lang } from '../../web/src/i18n.js';

const CHROMIUM = process.env.CALLSHIELD_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'];
const REPO = fileURLToPath(new URL('../../', import.meta.url));
const SHOTS = join(REPO, 'test-artifacts', 'journeys');
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const DESK = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
/** Each journey runs on a desk in English and on a phone in Chinese. */
const RUNS: { lang: Lang; viewport: { width: number; height: number }; name: string }[] = [
  { lang: 'en', viewport: DESK, name: 'desk-en' },
  { lang: 'zh', viewport: PHONE, name: 'phone-zh' },
];
const ALL_PAGES = ['home', 'lookup', 'report', 'appeals', 'screen', 'live', 'bank', 'police', 'campaigns', 'tasks', 'case', 'regulator', 'audit'];

const T = (lang: Lang, key: Key): string => STRINGS[lang][key];
const exact = (s: string): RegExp => new RegExp(`^\\s*${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);

const skipReason = existsSync(CHROMIUM) ? false : `no chromium at ${CHROMIUM} (apt-get install chromium)`;

describe('six people at work in the console (chromium, axe-core)', { skip: skipReason, timeout: 600_000 }, () => {
  let t: TestServer;
  let browser: Browser;
  let officer2: string;
  const problems: string[] = [];

  before(async () => {
    const built = spawnSync(process.execPath, [join(REPO, 'web', 'ensure-built.mjs')], { stdio: 'inherit' });
    assert.equal(built.status, 0, 'the console build failed');
    mkdirSync(SHOTS, { recursive: true });
    t = await startTestServer();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
    officer2 = (await createApiKey(t.ctx, { org: 'Test police', role: 'police', person: 'PD-0418' }, CLI_OPERATOR)).key;
    // What the people find when they arrive: a much-reported number, a complaint about it.
    for (const r of ['s-1', 's-2', 's-3', 's-4', 's-5']) {
      const res = await t.call('POST', '/v1/reports', { role: 'app', body: { caller: '+8613912345678', reporter: r, category: 'fraud', claimedOrganization: 'loan platform customer service' } });
      assert.equal(res.status, 201, res.text);
    }
    const c = await t.call('POST', '/v1/complaints', { role: 'app', body: { caller: '+8613912345678', callee: '+8613800138000', occurredAt: new Date().toISOString(), consented: false, category: 'harassment', offered: 'loan offers' } });
    assert.equal(c.status, 201, c.text);
    const f = await t.call('POST', '/v1/accounts/flags', { role: 'bank', body: { account: 'alipay:safe-acc-9', evidence: 'given as a "certified safe account" on a scam call' } });
    assert.equal(f.status, 201, f.text);
    // A honeypot line whose transcripts of one script tie three callers into a campaign (the campaigns page has rows to check).
    const line = '+8613700700001';
    assert.equal((await t.call('POST', '/v1/honeypots', { role: 'carrier', body: { numbers: [line] } })).status, 201);
    const script = 'Hello, this is the customs office. A parcel in your name holds illegal goods; to avoid arrest transfer the deposit of 5000 yuan to the safe account now';
    for (let i = 0; i < 3; i++) {
      const r = await t.call('POST', '/v1/honeypots/transcripts', { role: 'carrier', body: { number: line, caller: `+861727300000${i}`, text: script.replace('5000', String(3000 + i)) } });
      assert.equal(r.status, 201, r.text);
    }
  });

  after(async () => {
    await browser?.close();
    await t?.close();
    assert.deepEqual(problems, [], 'no page errors or console errors');
  });

  async function open(lang: Lang, viewport = DESK): Promise<{ context: BrowserContext; page: Page }> {
    // bypassCSP lets the test inject axe-core; the console itself runs under its normal policy otherwise.
    const context = await browser.newContext({ viewport, locale: lang === 'zh' ? 'zh-CN' : 'en-US', bypassCSP: true, isMobile: viewport === PHONE, hasTouch: viewport === PHONE });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !/Failed to load resource: the server responded with a status of (400|401|403|404|409)/.test(msg.text())) problems.push(`console: ${msg.text()}`);
    });
    return { context, page };
  }

  async function signIn(page: Page, key: string, lang: Lang, hash = ''): Promise<void> {
    await page.goto(`${t.url}/${hash}`);
    await page.locator('input[name="apiKey"]').fill(key);
    await page.getByRole('button', { name: exact(T(lang, 'signIn')) }).click();
    await page.getByTestId('who').waitFor();
  }

  /** axe-core on the page as it is: no serious or critical violation. */
  async function axe(page: Page, where: string): Promise<void> {
    if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.evaluate(AXE);
    const found = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id + ' (' + v.impact + '): ' + v.help + ' → ' + v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')))`)) as string[];
    assert.deepEqual(found, [], `axe on ${where}`);
  }

  async function shot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  }

  /** Nothing on the page is wider than the screen (no table wrapping one character per line, no sideways scrolling). */
  async function fitsPhone(page: Page, where: string): Promise<void> {
    const [scroll, width] = (await page.evaluate('[document.documentElement.scrollWidth, window.innerWidth]')) as [number, number];
    assert.ok(scroll <= width + 1, `${where}: page is ${scroll}px wide on a ${width}px screen`);
  }

  async function settle(page: Page): Promise<void> {
    await page.locator('#page-title').waitFor();
    await page.waitForLoadState('networkidle');
    await page.locator('[data-testid="loading"]').first().waitFor({ state: 'detached' }).catch(() => undefined);
  }

  it('every page, in English and Chinese: no serious or critical axe-core violation, and a screenshot of each', async () => {
    for (const lang of ['en', 'zh'] as const) {
      const { context, page } = await open(lang);
      await page.goto(`${t.url}/`);
      await page.locator('input[name="apiKey"]').waitFor();
      await axe(page, `sign-in (${lang})`);
      await shot(page, `signin-${lang}`);
      await signIn(page, t.keys.admin, lang);
      for (const p of ALL_PAGES) {
        await page.goto(`${t.url}/#/${p}`);
        await settle(page);
        await axe(page, `${p} (${lang})`);
        await shot(page, `page-${p}-${lang}`);
      }
      await context.close();
    }
  });

  it('every page on a phone (Chinese): nothing wider than the screen; tables are cards', async () => {
    const { context, page } = await open('zh', PHONE);
    await signIn(page, t.keys.admin, 'zh');
    for (const p of ALL_PAGES) {
      await page.goto(`${t.url}/#/${p}`);
      await settle(page);
      await fitsPhone(page, `${p} on a phone`);
      await shot(page, `phone-${p}-zh`);
    }
    await context.close();
  });

  for (const run of RUNS) {
    const { lang, viewport, name } = run;
    const phone = viewport === PHONE;

    describe(`journeys on a ${phone ? 'phone' : 'desk'} in ${lang === 'en' ? 'English' : 'Chinese'}`, () => {
      it("an app's support agent looks up a reported number and reads why, in words", async () => {
        const { context, page } = await open(lang, viewport);
        await signIn(page, t.keys.app, lang, '#/lookup');
        await page.locator('input[name="identifier"]').fill('139 1234 5678');
        await page.getByRole('button', { name: exact(T(lang, 'lookupButton')) }).click();
        const rep = page.getByTestId('reputation');
        await rep.waitFor();
        assert.equal(await rep.locator('[data-code="CROWD_REPORTS"]').count(), 1);
        const text = await rep.innerText();
        assert.ok(text.includes(T(lang, 'rsn_CROWD_REPORTS')), 'the reason is named in the reader’s language');
        assert.doesNotMatch(text, /CROWD_REPORTS|[A-Z]+_[A-Z_]{3,}/, 'no internal codes shown');
        await axe(page, `lookup journey ${name}`);
        if (phone) await fitsPhone(page, 'lookup');
        await shot(page, `journey-support-${name}`);
        await context.close();
      });

      it('a bank fraud officer works the held transfers: the customer, the deadline, the reasons; confirms before releasing', async () => {
        const customer = `cust-${name}`;
        const check = await t.call('POST', '/v1/transfers/check', { role: 'bank', body: { payer: customer, payeeAccount: 'alipay:safe-acc-9', amount: 1_630_000, currency: 'CNY', channel: 'mobile' } });
        assert.equal(check.body.decision, 'hold', check.text);
        const { context, page } = await open(lang, viewport);
        await signIn(page, t.keys.bank, lang);
        // Home is the work queue: the held transfer with its customer, amount and countdown.
        const queue = page.getByTestId('queue-holds');
        await queue.locator('li', { hasText: customer }).waitFor();
        assert.ok(Number(await queue.getAttribute('data-count')) >= 1);
        assert.match(await queue.innerText(), lang === 'en' ? /CN¥1,630,000\.00/ : /¥1,630,000\.00/);
        await queue.getByTestId('countdown').first().waitFor();
        await axe(page, `bank home ${name}`);
        await shot(page, `journey-bank-home-${name}`);
        await queue.getByRole('link', { name: T(lang, 'openQueue') }).click();
        const hold = page.getByTestId('holds').locator(`li[data-hold="${check.body.holdId}"]`);
        await hold.waitFor();
        assert.match(await hold.getByTestId('hold-customer').innerText(), new RegExp(customer));
        assert.equal(await hold.locator('[data-code="PAYEE_SUSPECTED"]').count(), 1);
        assert.doesNotMatch(await hold.innerText(), /PAYEE_SUSPECTED|\bheld\b.*\bheld\b/);
        await page.getByTestId('holds-count').waitFor();
        await page.locator('select[name="holdSort"]').selectOption('amount');
        await hold.locator(`input[name="reason-${check.body.holdId}"]`).fill('Called back on the number on file; the customer confirmed, nobody else on the line');
        // Cancel changes nothing; confirm releases.
        await hold.getByRole('button', { name: exact(T(lang, 'release')) }).click();
        const dialog = page.getByTestId('confirm-dialog').filter({ has: page.getByTestId('confirm-yes') });
        assert.match(await dialog.innerText(), new RegExp(customer));
        await axe(page, `release confirmation ${name}`);
        await shot(page, `journey-bank-confirm-${name}`);
        await page.getByTestId('confirm-no').click();
        assert.equal((await t.call('GET', `/v1/holds/${check.body.holdId}`, { role: 'bank' })).body.status, 'held');
        await hold.getByRole('button', { name: exact(T(lang, 'release')) }).click();
        await page.getByTestId('confirm-yes').click();
        await hold.waitFor({ state: 'detached' });
        assert.equal((await t.call('GET', `/v1/holds/${check.body.holdId}`, { role: 'bank' })).body.status, 'released');
        if (phone) await fitsPhone(page, 'bank');
        await shot(page, `journey-bank-${name}`);
        await context.close();
      });

      it('two police officers: one files a freeze (picking the bank; a second submit files nothing more), the other approves it from "awaiting my approval"', async () => {
        const caseNumber = `JS-${name}-${Date.now() % 100000}`;
        const one = await open(lang, viewport);
        await signIn(one.page, t.keys.police, lang, '#/police');
        await one.page.locator('input[name="caseNumber"]').fill(caseNumber);
        await one.page.locator('input[name="legalBasis"]').fill('Anti-Telecom and Online Fraud Law art. 21');
        await one.page.locator('input[name="amount"]').fill('1630000');
        await one.page.locator('input[name="account-0"]').fill('4111 1111 1111 1111');
        await one.page.locator('select[name="bank-0"]').selectOption('Test bank');
        const file = one.page.getByRole('button', { name: exact(T(lang, 'fileFreezeButton')) });
        await file.click();
        await one.page.getByTestId('confirm-yes').click();
        await one.page.getByTestId('freeze-filed').waitFor();
        // The same submit again (a second click): the API answers from the Idempotency-Key, nothing new is filed.
        await file.click();
        await one.page.getByTestId('confirm-yes').click();
        await one.page.waitForLoadState('networkidle');
        const filed = (await t.call('GET', '/v1/freezes', { role: 'police' })).body.freezes.filter((f: { caseNumber: string }) => f.caseNumber === caseNumber);
        assert.equal(filed.length, 1, 'a second submit files no second freeze');
        // The filer is never offered Approve, and it is not in their "awaiting my approval".
        const mine = one.page.getByTestId('freezes').locator(`li[data-case="${caseNumber}"]`);
        await mine.waitFor();
        assert.equal(await mine.getByRole('button', { name: exact(T(lang, 'approve')) }).count(), 0);
        assert.equal(await one.page.getByTestId('awaiting-me').locator(`li[data-case="${caseNumber}"]`).count(), 0);
        assert.match(await mine.getByTestId('freeze-people').innerText(), /police-officer-1/);
        await axe(one.page, `police filer ${name}`);
        if (phone) await fitsPhone(one.page, 'police');
        await shot(one.page, `journey-police-filer-${name}`);
        await one.context.close();

        const two = await open(lang, viewport);
        await signIn(two.page, officer2, lang);
        await two.page.getByTestId('queue-freezes').locator('li', { hasText: caseNumber }).waitFor();
        await two.page.goto(`${t.url}/#/police`);
        const waiting = two.page.getByTestId('awaiting').locator(`li[data-case="${caseNumber}"]`);
        await waiting.getByRole('button', { name: exact(T(lang, 'approve')) }).click();
        assert.match(await two.page.getByTestId('confirm-dialog').filter({ has: two.page.getByTestId('confirm-yes') }).innerText(), new RegExp(caseNumber));
        await two.page.getByTestId('confirm-yes').click();
        await two.page.getByTestId('freezes').locator(`li[data-case="${caseNumber}"][data-status="active"]`).waitFor();
        await axe(two.page, `police approver ${name}`);
        await shot(two.page, `journey-police-approver-${name}`);
        await two.context.close();
      });

      it('a business appeals a label; the regulator sees appellant, holder match, score and evidence by source, and decides after confirming', async () => {
        const number = name === 'desk-en' ? '+8613811112222' : '+8613811113333';
        for (const r of ['x-1', 'x-2', 'x-3']) await t.call('POST', '/v1/reports', { role: 'app', body: { caller: number, reporter: r, category: 'fraud' } });
        const biz = await open(lang, viewport);
        await signIn(biz.page, t.keys.business, lang, '#/appeals');
        await biz.page.locator('input[name="identifier"]').fill(number);
        await biz.page.locator('textarea[name="evidence"]').fill('We are a licensed courier; this number confirms deliveries.');
        await biz.page.getByRole('button', { name: exact(T(lang, 'sendAppeal')) }).click();
        await biz.page.getByTestId('appeals').locator('li', { hasText: number }).waitFor();
        await axe(biz.page, `business appeal ${name}`);
        if (phone) await fitsPhone(biz.page, 'appeals');
        await shot(biz.page, `journey-business-${name}`);
        await biz.context.close();

        const reg = await open(lang, viewport);
        await signIn(reg.page, t.keys.regulator, lang, '#/appeals');
        const item = reg.page.getByTestId('appeals').locator('li.item', { hasText: number });
        await item.getByTestId('evidence-sources').waitFor();
        assert.match(await item.getByTestId('appellant').innerText(), /Test business/);
        assert.match(await item.getByTestId('holder-match').innerText(), new RegExp(T(lang, 'holderNo')));
        assert.ok(Number((await item.getByTestId('appeal-score').innerText()).replace(/\D+/g, '')) > 0);
        assert.match(await item.getByTestId('evidence-sources').innerText(), new RegExp(T(lang, 'src_crowd')));
        await axe(reg.page, `appeal decision ${name}`);
        await shot(reg.page, `journey-appeal-evidence-${name}`);
        await item.locator('input[name^="reason-"]').fill('The reports name real fraud; the licence does not cover this number');
        await item.getByRole('button', { name: exact(T(lang, 'reject')) }).click();
        await reg.page.getByTestId('confirm-yes').click();
        await item.waitFor({ state: 'detached' });
        const rejected = (await t.call('GET', '/v1/appeals?status=rejected', { role: 'regulator' })).body.appeals;
        assert.ok(rejected.some((a: { identifier: string }) => a.identifier === number));
        await shot(reg.page, `journey-appeal-decided-${name}`);
        await reg.context.close();
      });

      it('a regulator: the queues at home, one period for the page, one error for a bad period, summary figures and charts', async () => {
        const { context, page } = await open(lang, viewport);
        await signIn(page, t.keys.regulator, lang);
        await page.getByTestId('queue-appeals').waitFor();
        await page.getByTestId('queue-bursts').waitFor();
        await page.getByTestId('queue-escalations').waitFor();
        await page.goto(`${t.url}/#/regulator`);
        await page.getByTestId('held-for-review').waitFor();
        await page.getByTestId('reports-by-category').locator('.chart-box canvas').waitFor();
        await page.getByTestId('summary-figures').waitFor();
        assert.match(await page.getByTestId('summary-figures').innerText(), /\d/);
        if (!phone) {
          // The chart spans the page's period (30 days) and names the day and values under the pointer.
          const over = page.getByTestId('reports-by-category').locator('.u-over');
          const box = (await over.boundingBox())!;
          await page.mouse.move(box.x + box.width - 4, box.y + box.height / 2);
          const tip = page.getByTestId('reports-by-category').locator('.chart-tip');
          await tip.waitFor({ state: 'visible' });
          assert.match(await tip.innerText(), new RegExp(`${T(lang, 'total')}: \\d`));
          assert.equal(await page.getByTestId('reports-by-category').locator('tbody tr').count() > 0, true);
        }
        await axe(page, `regulator ${name}`);
        if (phone) {
          await fitsPhone(page, 'regulator');
          // Tables are cards on a phone: each cell names its column.
          const td = page.getByTestId('top-table').locator('td').first();
          assert.equal(await td.evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { display: string } }).getComputedStyle(el).display), 'grid');
          assert.equal(await td.getAttribute('data-label'), T(lang, 'identifier'));
        }
        await shot(page, `journey-regulator-${name}`);
        // A period that ends before it starts: one error, and no stale charts under it.
        await page.locator('input[name="from"]').fill('2026-03-10');
        await page.locator('input[name="to"]').fill('2026-03-01');
        await page.getByRole('button', { name: exact(T(lang, 'show')) }).click();
        await page.getByTestId('period-error').waitFor();
        assert.equal(await page.getByRole('alert').count(), 1);
        // The server's refusal of a bad period (sent directly) is also said once, replacing the charts.
        await page.route('**/v1/stats/**', (route) => route.fulfill({ status: 400, contentType: 'application/problem+json', body: JSON.stringify({ type: 'about:blank', title: 'A query parameter is not valid', status: 400, detail: 'from must be on or before to', code: 'REQUEST_INVALID_QUERY', field: 'from' }) }));
        await page.locator('input[name="from"]').fill('2026-03-01');
        await page.locator('input[name="to"]').fill('2026-03-10');
        await page.getByRole('button', { name: exact(T(lang, 'show')) }).click();
        await page.locator('.error[data-code="REQUEST_INVALID_QUERY"]').waitFor();
        await page.waitForLoadState('networkidle');
        assert.equal(await page.locator('.error').count(), 1, 'one error for the page, not one per chart');
        assert.equal(await page.locator('.chart-box canvas').count(), 0, 'no old charts under the error');
        assert.doesNotMatch(await page.locator('.error').innerText(), /REQUEST_INVALID_QUERY|Field: from\b/);
        await shot(page, `journey-regulator-error-${name}`);
        await context.close();
      });

      it("an elderly person's family member follows the call: risk and the newest alert on top, plain words, alerts that lead to the numbered turn", async () => {
        const { context, page } = await open(lang, viewport);
        await signIn(page, t.keys.app, lang, '#/live');
        await page.locator('select[name="speed"]').selectOption('fast');
        await page.getByTestId(lang === 'zh' ? 'replay-zh' : 'replay-en').click();
        await page.getByTestId('alerts').locator('li[data-stage="money-movement"]').waitFor();
        const now = page.getByTestId('now');
        await now.getByTestId('newest-alert').waitFor();
        assert.equal(await now.getAttribute('data-level'), 'high');
        // Stages and risk tell the same story: seen stages take the risk's colour.
        assert.ok(await page.locator('.stages.lvl-high li.on').count() > 0);
        const plain = await page.getByTestId('plain-words').innerText();
        assert.ok(plain.includes(T(lang, 'plain_money-movement')), plain);
        assert.ok(plain.includes(T(lang, 'plainAdviceHigh')));
        if (phone) {
          // On a phone the risk and the newest alert are in view while the call runs.
          const box = await now.boundingBox();
          assert.ok(box && box.y < PHONE.height / 2, `the call's state starts at ${box?.y}px`);
          await fitsPhone(page, 'live');
        }
        // The alert cites a turn; the transcript's turns are numbered and the link goes there. Wait for
        // the replay to end first: a later alert arriving between reading the link and clicking it
        // would put another turn under the same (newest-first) position.
        await page.waitForFunction(`!document.querySelector('[data-testid="${lang === 'zh' ? 'replay-zh' : 'replay-en'}"]').disabled`);
        const link = page.getByTestId('alerts').locator('li[data-stage="money-movement"] a.turn-link').first();
        const cited = Number(/(\d+)/.exec(await link.innerText())![1]);
        await link.click();
        const focused = (await page.evaluate('document.activeElement && document.activeElement.getAttribute("data-turn")')) as string;
        assert.equal(Number(focused), cited);
        assert.match(await page.locator(`li[data-turn="${cited}"]`).innerText(), new RegExp(T(lang, 'turnN').replace('{n}', String(cited))));
        await axe(page, `live ${name}`);
        await shot(page, `journey-family-${name}`);
        await page.getByTestId('end-call').click();
        await page.getByTestId('summary').waitFor();
        await context.close();
      });
    });
  }

  it('a revoked key signs the person out with the reason; a page the role may not open says so', async () => {
    const made = await createApiKey(t.ctx, { org: 'Test bank', role: 'bank', person: 'BK-77' }, CLI_OPERATOR);
    const { context, page } = await open('en');
    await signIn(page, made.key, 'en', '#/bank');
    await page.goto(`${t.url}/#/audit`);
    await page.getByTestId('refused').waitFor();
    assert.match(await page.getByTestId('refused').innerText(), /not available to a bank key/);
    await axe(page, 'refused page');
    await shot(page, 'refused-en');
    await revokeKey(t.ctx, made.keyId, { reason: 'left the bank' }, CLI_OPERATOR);
    await page.goto(`${t.url}/#/bank`);
    await page.getByTestId('signed-out-reason').waitFor();
    assert.match(await page.getByTestId('signed-out-reason').innerText(), /revoked/);
    await page.locator('input[name="apiKey"]').waitFor();
    await shot(page, 'signed-out-en');
    await context.close();
  });
});
