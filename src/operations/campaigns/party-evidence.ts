import type { AppContext } from '../../app-context.js';
import { MIN_PARTIES, findScriptGroup, groupCampaigns } from '../../campaigns/index.js';
import type { IndexedScript, PayeeTie } from '../../campaigns/index.js';
import { payeeTiesOf } from '../../store/campaigns/party-evidence.js';
import { guardPartiesWithout, scriptIndexOf } from '../../store/campaigns/script-index.js';
import { mergeCampaignGroups } from './campaigns.js';

// Campaign evidence from what organisations report (issue 15): payee accounts (payments flags and
// cases) and the scripts of conversation-guard calls and honeypot transcripts. Runs after the
// report or call has committed; a guard-call or payee failure here is logged and leaves the report
// as written (the next one groups again).

/** After payee flags naming these callers: the campaigns their accounts tie them into. */
export async function campaignsFromPayees(ctx: AppContext, callers: readonly string[]): Promise<void> {
  const phones = callers.filter((c) => c.startsWith('+'));
  if (phones.length === 0) return;
  try {
    const rows = await payeeTiesOf(ctx.db, phones, new Date(ctx.now()).toISOString());
    const ties: PayeeTie[] = rows.map((r) => ({ caller: r.caller, account: r.account, party: r.org_id, at: Date.parse(r.created_at) }));
    const groups = groupCampaigns([], [], ties).filter((g) => g.members.some((m) => phones.includes(m)));
    await mergeCampaignGroups(ctx, groups, 'payee-accounts');
  } catch (err) {
    ctx.logger.error({ err }, 'campaigns: grouping by payee accounts failed');
  }
}

/**
 * After a script was stored and indexed (script_fingerprints, script_bands): the campaign it ties
 * its caller into, found through the band index (src/campaigns/lsh-group.ts), never by reading
 * every stored script. `onlyThis`: the caller's older scripts need no new look-up.
 */
export async function campaignsFromScript(ctx: AppContext, script: IndexedScript, onlyThis: boolean, source: string): Promise<string[]> {
  const { group } = await findScriptGroup(scriptIndexOf(ctx.db), script.caller, onlyThis ? [script] : undefined);
  return group ? mergeCampaignGroups(ctx, [group], source) : [];
}

/**
 * After a conversation-guard call with a fingerprint (indexed as `guard:<call id>`): the campaign
 * its script ties the caller into. When this call is the one that makes MIN_PARTIES organisations,
 * the caller's earlier guard scripts start to count as well, so they are looked up too.
 */
export async function campaignsFromScripts(ctx: AppContext, script: IndexedScript): Promise<void> {
  try {
    const corroboratedBefore = (await guardPartiesWithout(ctx.db, script.caller, script.id)) >= MIN_PARTIES;
    await campaignsFromScript(ctx, script, corroboratedBefore, 'guard-scripts');
  } catch (err) {
    ctx.logger.error({ err }, 'campaigns: grouping by guard-call scripts failed');
  }
}
