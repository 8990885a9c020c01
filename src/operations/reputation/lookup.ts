import type { AppContext } from '../../app-context.js';
import { scoreEvidence } from '../../reputation/index.js';
import type { Reputation } from '../../reputation/index.js';
import { loadEvidence } from '../../store/reputation/evidence.js';
import { evidenceTimeline } from '../../store/reputation/reports.js';
import type { TimelineRow } from '../../store/reputation/reports.js';
import { parseIdentifier } from '../../identity/index.js';

/** The full reputation with every reason, read from the store (not the hot path). */
export async function lookupReputation(ctx: AppContext, canonical: string): Promise<Reputation> {
  const bundle = (await loadEvidence(ctx.db, [canonical])).get(canonical);
  return scoreEvidence(bundle?.evidence ?? [], ctx.now(), bundle?.clearance);
}

export interface IdentifierView extends Reputation {
  identifier: string;
  kind: string;
  timeline?: TimelineRow[];
}

export async function lookupIdentifier(ctx: AppContext, raw: string, opts: { timeline?: boolean } = {}): Promise<IdentifierView> {
  const id = parseIdentifier(raw, { defaultRegion: ctx.config.defaultRegion }, 'identifier');
  const reputation = await lookupReputation(ctx, id.canonical);
  const view: IdentifierView = { identifier: id.canonical, kind: id.kind, ...reputation };
  if (opts.timeline) view.timeline = await evidenceTimeline(ctx.db, id.canonical);
  return view;
}
