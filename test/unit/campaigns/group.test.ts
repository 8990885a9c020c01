// Campaign grouping (issue 15) on generated call records with labelled rotating campaigns and
// neighbour spoofing: found with high recall and purity; script fingerprints tie transcripts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CdrAnalyser, generateCdr } from '../../../src/governance/index.js';
import { CampaignCollector, evaluateCampaigns, groupCampaigns, minhash, similarity } from '../../../src/campaigns/index.js';

describe('campaign grouping', () => {
  it('finds the generated rotating and neighbour-spoofing campaigns (synthetic labels)', () => {
    const col = new CampaignCollector();
    const a = new CdrAnalyser({ readLabels: true, onRecord: (c, e, t) => col.record(c, e, t) });
    let n = 0;
    for (const chunk of generateCdr({ calls: 300_000, seed: 4 })) for (const l of chunk.split('\n')) if (l) a.addLine(l, ++n);
    const groups = groupCampaigns(col.traces());
    const e = evaluateCampaigns(groups, a.callerLabels());
    assert.ok(e.campaigns >= 2 && e.numbers > 0, JSON.stringify(e));
    assert.ok(e.recall >= 0.9, JSON.stringify(e));
    assert.ok(e.purity >= 0.95, JSON.stringify(e));
    const kinds = new Set(groups.flatMap((g) => g.evidence.map((x) => x.kind)));
    assert.ok(kinds.has('shared-callees') && kinds.has('neighbour-spoofing') && kinds.has('short-lived'), [...kinds].join(','));
  });

  it('MinHash: the same script with other amounts and numbers is similar, another text is not', () => {
    const a = minhash('This is the fraud department of Bank X. Your account 1234 is frozen; press 1 to speak to an agent.');
    const b = minhash('This is the fraud department of Bank X! Your account 9876 is frozen, press 1 to speak to an agent');
    const c = minhash('Hi mum, just calling to say I will be late for dinner tonight, love you');
    assert.ok(similarity(a, b) >= 0.8, String(similarity(a, b)));
    assert.ok(similarity(a, c) < 0.2, String(similarity(a, c)));
  });

  it('groups callers by script and leaves a lone caller out', () => {
    const script = 'Congratulations, you have won a free cruise, press nine to claim your prize now before it expires';
    const scripts = ['+8617000000001', '+8617000000002', '+8617000000003'].map((caller, i) => ({ caller, fingerprint: minhash(`${script} ${i}`), at: 1000 + i }));
    scripts.push({ caller: '+8617000000009', fingerprint: minhash('Hello, this is the dentist confirming your appointment on Tuesday at three'), at: 5 });
    const g = groupCampaigns([], scripts);
    assert.equal(g.length, 1);
    assert.deepEqual(g[0]!.members, ['+8617000000001', '+8617000000002', '+8617000000003']);
    assert.deepEqual(g[0]!.evidence.map((e) => e.kind), ['script']);
  });
});
