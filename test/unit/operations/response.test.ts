import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pickLanguage, plainSummary } from '../../../src/operations/response/timeline.js';
import type { TimelineTask } from '../../../src/operations/response/timeline.js';
import { percentile, weekOf } from '../../../src/operations/response/stats.js';

describe('joint response: summary language, percentiles, weeks', () => {
  it('takes Accept-Language when it names en or zh, else the policy language, else English', () => {
    assert.equal(pickLanguage('zh-CN,zh;q=0.9', 'en'), 'zh');
    assert.equal(pickLanguage('fr-FR, en;q=0.5', 'zh'), 'en');
    assert.equal(pickLanguage('fr-FR', 'zh'), 'zh');
    assert.equal(pickLanguage(undefined, undefined), 'en');
  });

  it('says one sentence per task in the language asked', () => {
    const task = { id: 't1', caseId: 'c1', kind: 'freeze-preparation', identifier: 'card:6011111111111117', ask: '', organisation: 'Bank', deadline: '', status: 'done', overdue: false, createdAt: '', updatedAt: '', steps: [{ action: 'done', status: 'done', organisation: 'Bank', person: 'p', by: 'x', at: '', outcome: 'amount held', minutesFromFiling: 11 }] } as TimelineTask;
    const en = plainSummary('en', [task]);
    assert.equal(en.headline, 'Your case went to 1 party; 1 has acted so far.');
    assert.equal(en.lines[0], 'The bank that holds the account card:6011111111111117 has acted: amount held (11 minutes after you filed).');
    const zh = plainSummary('zh', [{ ...task, status: 'escalated' }]);
    assert.match(zh.lines[0]!, /已报告监管部门/);
  });

  it('nearest-rank median and p90', () => {
    assert.equal(percentile([], 50), 0);
    assert.equal(percentile([5], 90), 5);
    assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50), 5);
    assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90), 9);
  });

  it('a week is named by its Monday (UTC)', () => {
    assert.equal(weekOf('2026-11-26T09:00:00.000Z'), '2026-11-23');
    assert.equal(weekOf('2026-11-23T00:00:00.000Z'), '2026-11-23');
    assert.equal(weekOf('2026-11-29T23:59:59.000Z'), '2026-11-23');
  });
});
