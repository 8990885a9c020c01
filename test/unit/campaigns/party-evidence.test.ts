// Campaign evidence tied by organisations' reports (issue 15): the same payee accounts, and the same
// script in conversation-guard calls. One party alone cannot tie a number to a campaign.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { groupCampaigns, minhash } from '../../../src/campaigns/index.js';
import type { PayeeTie, ScriptSample } from '../../../src/campaigns/index.js';

const SCRIPT = 'This is the tax office. Your account is frozen because of unpaid tax. Transfer the balance to the safe account we give you today or a warrant will be issued for your arrest.';
const at = Date.UTC(2026, 10, 1);
const num = (i: number) => `+86138${String(i).padStart(8, '0')}`;

describe('campaign evidence from payee accounts and conversation-guard scripts', () => {
  it('callers each reported with the same payee account by two organisations form one campaign', () => {
    const ties: PayeeTie[] = [1, 2, 3].flatMap((i) => ['bank-a', 'app-b'].map((party) => ({ caller: num(i), account: 'card:6222000011112222', party, at: at + i })));
    const [g] = groupCampaigns([], [], ties);
    assert.ok(g, 'a campaign');
    assert.deepEqual(g.members, [num(1), num(2), num(3)]);
    assert.deepEqual(g.evidence, [{ kind: 'payee', count: 2 }]);
    assert.equal(g.firstSeen, at + 1);
    assert.equal(g.lastSeen, at + 3);
  });

  it('attack: one app reporting its own payee account against many numbers ties none of them', () => {
    const innocent: PayeeTie[] = Array.from({ length: 50 }, (_, i) => ({ caller: num(100 + i), account: 'card:6222000011112222', party: 'app-evil', at }));
    assert.deepEqual(groupCampaigns([], [], innocent), []);
    // ... nor alongside a real campaign on the same account: only the corroborated callers join.
    const real: PayeeTie[] = [1, 2, 3].flatMap((i) => ['bank-a', 'app-b'].map((party) => ({ caller: num(i), account: 'card:6222000011112222', party, at })));
    const groups = groupCampaigns([], [], [...innocent, ...real]);
    assert.equal(groups.length, 1);
    assert.deepEqual(groups[0]!.members, [num(1), num(2), num(3)]);
    // The same app reporting the same numbers twice is still one party.
    assert.deepEqual(groupCampaigns([], [], [...innocent, ...innocent]), []);
  });

  it('callers whose guard calls, followed by two organisations, share a script form one campaign', () => {
    const fp = minhash(SCRIPT);
    const scripts: ScriptSample[] = [1, 2, 3].flatMap((i) => ['carrier-a', 'app-b'].map((party) => ({ caller: num(i), fingerprint: fp, at, party })));
    const [g] = groupCampaigns([], scripts);
    assert.ok(g, 'a campaign');
    assert.deepEqual(g.members, [num(1), num(2), num(3)]);
    assert.deepEqual(g.evidence.map((e) => e.kind), ['script']);
  });

  it("attack: one organisation's transcripts cannot tie innocent numbers to a campaign's script", () => {
    const fp = minhash(SCRIPT);
    const forged: ScriptSample[] = Array.from({ length: 20 }, (_, i) => ({ caller: num(200 + i), fingerprint: fp, at, party: 'app-evil' }));
    assert.deepEqual(groupCampaigns([], forged), []);
    const real: ScriptSample[] = [1, 2, 3].flatMap((i) => ['carrier-a', 'app-b'].map((party) => ({ caller: num(i), fingerprint: fp, at, party })));
    const groups = groupCampaigns([], [...forged, ...real]);
    assert.equal(groups.length, 1);
    assert.deepEqual(groups[0]!.members, [num(1), num(2), num(3)]);
    // Honeypot transcripts (no party: lines a carrier, regulator or admin registered) count as before.
    const honeypot: ScriptSample[] = [7, 8, 9].map((i) => ({ caller: num(i), fingerprint: fp, at }));
    assert.deepEqual(groupCampaigns([], honeypot)[0]!.members, [num(7), num(8), num(9)]);
  });
});
