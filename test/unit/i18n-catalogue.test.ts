// The message catalogues (src/i18n): every error code, reason code, label and piece of advice has
// its English and Chinese texts, the Chinese ones hold no English, English renders back exactly the
// domain's wording, zh-TW is the conversion of zh-CN, and Accept-Language picks the right one.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { catalogue } from '../../src/errors.js';
import { CATALOGUES, renderLabel, renderReason, renderText, problemTexts } from '../../src/i18n/render.js';
import { REASON_PATTERNS } from '../../src/i18n/reasons.js';
import { negotiateLocale, parseLocale } from '../../src/i18n/locale.js';
import { buildLabel, CATEGORIES } from '../../src/reputation/index.js';
import type { Locale } from '../../src/i18n/types.js';

const ZH: Locale[] = ['zh-CN', 'zh-TW'];
const root = new URL('../../', import.meta.url).pathname;
const doc = readFileSync(join(root, 'docs/errors.md'), 'utf8');
const documented = [...doc.matchAll(/^\| `([A-Z_]+)` \| (\d+) \|/gm)].map((m) => m[1]!);

// Protocol names and units a Chinese reader sees as they are.
const ALLOWED = /STIR\/SHAKEN|PASSporT|STI-CA|ATIS-\d+|RFC \d+|E\.164|ISO \d+|JSON|CSV|API|SIP|TLS|https?|x5u|Idempotency-Key|Identity|Authorization|Bearer|Allow|Retry-After|Webhook|callshield|App|<[a-z]+>|account/g;
function assertNoEnglish(text: string, where: string, params: string[] = []): void {
  let rest = text;
  for (const p of params) if (p) rest = rest.split(p).join(' ');
  rest = rest.replace(ALLOWED, ' ');
  assert.doesNotMatch(rest, /[A-Za-z]{2,}/, `${where}: English left in ${JSON.stringify(text)}`);
  assert.match(text, /[\u4e00-\u9fff]/, `${where}: no Chinese in ${JSON.stringify(text)}`);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const SAMPLE: Record<string, string> = {
  name: 'Acme Bank', claim: 'Acme Bank', use: 'marketing', level: 'verified', carrier: 'Carrier One', action: 'block', score: '87',
  label: 'Suspected fraud · poses as Acme Bank · 3 reports', date: '2026-01-02', source: 'police', n: '3', days: '4', reporters: '3',
  category: 'fraud', caller: '+8613800138000', risk: '91', stages: 'impersonation, money-movement', minutes: '5', ratio: '12.5',
  median: '100', count: '20', a: '9', total: '10', attest: 'B', desc: 'the certificate is revoked',
  prefix: '+1900', verb: 'blocks', start: '22:00', end: '07:00', tz: 'Asia/Shanghai', id: '3f2a9c1d', members: '240', kinds: 'shared callees, neighbour spoofing',
};
const groupsOf = (re: RegExp): string[] => [...re.source.matchAll(/\(\?<([a-z]+)>/g)].map((m) => m[1]!);

describe('message catalogues', () => {
  it('every error code (src/errors.ts and docs/errors.md) has a title and detail in every language, and the Chinese ones are Chinese', () => {
    const codes = Object.keys(catalogue);
    assert.deepEqual([...documented].sort(), [...codes].sort());
    for (const locale of ['en', ...ZH] as Locale[]) {
      assert.deepEqual(Object.keys(CATALOGUES[locale].errors).sort(), [...codes].sort(), locale);
      for (const code of codes) {
        const t = CATALOGUES[locale].errors[code as keyof typeof catalogue];
        assert.ok(t.title && t.detail, `${locale} ${code}`);
        if (locale !== 'en') {
          assertNoEnglish(t.title, `${locale} ${code} title`);
          assertNoEnglish(t.detail, `${locale} ${code} detail`);
        }
      }
    }
  });

  it('every reason code the source writes has patterns, and every language renders each variant', () => {
    const emitted = new Set<string>();
    for (const file of sourceFiles(join(root, 'src'))) {
      if (file.includes('/i18n/')) continue;
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/code: '([A-Z][A-Z0-9_]+)',\s*text:/g)) emitted.add(m[1]!);
      for (const m of text.matchAll(/code: (?:call\.active \? )?'([A-Z][A-Z0-9_]+)'(?: : '([A-Z][A-Z0-9_]+)')?,\n\s*text:/g)) {
        emitted.add(m[1]!);
        if (m[2]) emitted.add(m[2]);
      }
    }
    for (const level of ['CONFIRMED', 'SUSPECTED', 'REPORTED']) emitted.add(`PAYEE_${level}`); // flags.ts: `PAYEE_${level.toUpperCase()}`
    assert.ok(emitted.size > 50, `found only ${emitted.size} reason codes`);
    for (const code of emitted) assert.ok(REASON_PATTERNS[code], `no pattern for reason ${code}`);
    for (const [code, patterns] of Object.entries(REASON_PATTERNS)) {
      for (const locale of ['en', ...ZH] as Locale[]) assert.equal(CATALOGUES[locale].reasons[code]?.length, patterns.length, `${locale} ${code}`);
    }
    for (const locale of ['en', ...ZH] as Locale[]) assert.deepEqual(Object.keys(CATALOGUES[locale].reasons).sort(), Object.keys(REASON_PATTERNS).sort(), locale);
  });

  it('English renders back the wording it was parsed from, and Chinese leaves no English but the values', () => {
    for (const [code, patterns] of Object.entries(REASON_PATTERNS)) {
      patterns.forEach((re, i) => {
        const params = Object.fromEntries(groupsOf(re).map((g) => [g, SAMPLE[g]!]));
        const english = CATALOGUES.en.reasons[code]![i]!(params, undefined as never);
        const m = re.exec(english);
        assert.ok(m, `${code}[${i}] pattern does not match its own English: ${english}`);
        // The first matching variant must be this one, or the reader would get another variant's text.
        const first = patterns.findIndex((p) => p.test(english));
        assert.equal(first, i, `${code}: ${english} matches variant ${first} before ${i}`);
        assert.equal(renderReason(code, english, 'en'), english);
        for (const locale of ZH) {
          const zh = renderReason(code, english, locale);
          assert.notEqual(zh, english, `${locale} ${code}[${i}] not translated`);
          const raw = ['Acme Bank', 'Carrier One', '+8613800138000', 'Asia/Shanghai'];
          assertNoEnglish(zh, `${locale} ${code}[${i}]`, raw);
        }
      });
    }
  });

  it('labels: every category, confirmed, claimed organisation and report count', () => {
    for (const category of CATEGORIES) {
      for (const confirmed of [false, true]) {
        for (const claimedOrganization of [null, 'Acme Bank']) {
          for (const reports of [0, 1, 37]) {
            const english = buildLabel({ category, confirmed, claimedOrganization, reports, score: 80 });
            for (const locale of ZH) assertNoEnglish(renderLabel(english, locale), `${locale} label ${english}`, ['Acme Bank']);
          }
        }
      }
    }
    for (const fixed of ['No reports', 'Contact', 'Pinned business', 'Unknown caller', 'Unverified caller ID', 'Number withheld', 'Acme Bank (verified)', "Acme (name signed by the caller's carrier)"]) {
      for (const locale of ZH) assertNoEnglish(renderLabel(fixed, locale), `${locale} label ${fixed}`, ['Acme Bank', 'Acme']);
    }
  });

  it('advice and customer messages: the same keys in every language, rendered from either language', () => {
    for (const section of ['screening', 'stage', 'customer', 'guardian'] as const) {
      const keys = Object.keys(CATALOGUES.en.advice[section]).sort();
      for (const locale of ZH) {
        assert.deepEqual(Object.keys(CATALOGUES[locale].advice[section]).sort(), keys, `${locale} ${section}`);
        for (const [key, text] of Object.entries(CATALOGUES[locale].advice[section] as Record<string, string>)) {
          assertNoEnglish(text.replace('{name}', ''), `${locale} advice ${section}.${key}`);
          const english = (CATALOGUES.en.advice[section] as Record<string, string>)[key]!.replace('{name}', 'Acme Bank');
          assert.equal(renderText(english, locale), text.replace('{name}', 'Acme Bank'));
          assert.equal(renderText(text.replace('{name}', 'Acme Bank'), 'en'), english);
        }
      }
    }
  });

  it('zh-TW.ts is the OpenCC conversion of zh-CN.ts (the same code around the texts)', () => {
    const strip = (file: string) =>
      readFileSync(join(root, 'src/i18n/messages', file), 'utf8')
        .split('\n')
        .slice(2)
        .join('\n')
        .replace(/zhCN|zhTW|zh-CN|zh-TW/g, 'X')
        .replace(/[^\x00-\x7f]+/g, '');
    assert.equal(strip('zh-TW.ts'), strip('zh-CN.ts'));
    assert.match(CATALOGUES['zh-TW'].labels.category.fraud, /詐騙/);
  });

  it('Chinese problem documents name the field in Chinese, English ones keep the specific detail', () => {
    const err = { code: 'IDENTITY_INVALID_NUMBER' as const, message: 'caller: "12ab" is not a phone number', field: 'caller' };
    assert.deepEqual(problemTexts(err, 'en'), { title: 'The phone number is not valid', detail: 'caller: "12ab" is not a phone number' });
    const zh = problemTexts(err, 'zh-CN');
    assert.match(zh.detail, /（字段：caller）$/);
    assertNoEnglish(zh.title, 'title');
  });

  it('Accept-Language: q-values, regions, scripts and the English default', () => {
    const cases: [string | undefined, Locale][] = [
      [undefined, 'en'], ['', 'en'], ['en', 'en'], ['zh', 'zh-CN'], ['zh-CN', 'zh-CN'], ['zh-cn', 'zh-CN'], ['zh-TW', 'zh-TW'],
      ['zh-HK', 'zh-TW'], ['zh-Hant-TW', 'zh-TW'], ['zh-Hans', 'zh-CN'], ['fr', 'en'], ['fr, zh;q=0.1', 'zh-CN'],
      ['en;q=0.5, zh-TW;q=0.9', 'zh-TW'], ['zh-CN;q=0.8, en', 'en'], ['zh;q=0, en;q=0.1', 'en'], ['de, zh-TW;q=0.7, zh-CN;q=0.7', 'zh-TW'],
      ['*', 'en'], ['*, zh;q=0.5', 'zh-CN'], ['zh-TW;q=abc, zh-CN;q=0.5', 'zh-CN'],
    ];
    for (const [header, want] of cases) assert.equal(negotiateLocale(header), want, String(header));
    assert.equal(parseLocale('zh'), 'zh-CN');
    assert.equal(parseLocale(null), 'en');
  });
});
