import type { AppContext } from '../../app-context.js';
import { groupCampaigns } from '../../campaigns/index.js';
import type { PayeeTie, ScriptSample } from '../../campaigns/index.js';
import { allTranscripts } from '../../store/campaigns/honeypots.js';
import { guardScripts, payeeTiesOf } from '../../store/campaigns/party-evidence.js';
import { mergeCampaignGroups } from './campaigns.js';

// Campaign evidence from what organisations report (issue 15): payee accounts (payments flags and
// cases) and the scripts of conversation-guard calls. Runs after the report or call has committed;
// a failure here is logged and leaves the report as written (the next one groups again).

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

/** After a conversation-guard call with a fingerprint: the campaign its script ties the caller into. */
export async function campaignsFromScripts(ctx: AppContext, caller: string): Promise<void> {
  try {
    const guard: ScriptSample[] = (await guardScripts(ctx.db)).map((r) => ({ caller: r.caller, fingerprint: JSON.parse(r.fingerprint) as number[], at: Date.parse(r.ended_at ?? r.started_at), party: r.org_id }));
    const honeypot: ScriptSample[] = (await allTranscripts(ctx.db)).map((r) => ({ caller: r.caller, fingerprint: JSON.parse(r.fingerprint) as number[], at: Date.parse(r.at) }));
    const groups = groupCampaigns([], [...honeypot, ...guard]).filter((g) => g.members.includes(caller));
    await mergeCampaignGroups(ctx, groups, 'guard-scripts');
  } catch (err) {
    ctx.logger.error({ err }, 'campaigns: grouping by guard-call scripts failed');
  }
}
