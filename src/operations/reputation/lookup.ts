import type { AppContext } from '../../app-context.js';
import { scoreEvidence } from '../../reputation/index.js';
import type { Reputation } from '../../reputation/index.js';
import { loadEvidence } from '../../store/reputation/evidence.js';
import { evidenceTimeline } from '../../store/reputation/reports.js';
import type { TimelineListRow, TimelineRow } from '../../store/reputation/reports.js';
import { parseIdentifier } from '../../identity/index.js';
import type { Role } from '../../auth/index.js';
import type { Actor } from '../actor.js';

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

/** Roles that may read any list's name (a police case name, a bank's list name); everyone else reads only their own. */
export const LIST_NAME_READERS: readonly Role[] = ['police', 'regulator', 'admin'];

export function mayReadListName(actor: Pick<Actor, 'role' | 'orgId'>, ownerOrgId: string): boolean {
  return LIST_NAME_READERS.includes(actor.role) || actor.orgId === ownerOrgId;
}

const SOURCE_TEXT: Readonly<Record<string, string>> = { police: 'a police list', regulator: 'a regulator list', carrier: 'a carrier list', bank: 'a bank list', platform: 'a platform list' };

/** A list row as this actor may see it: the name for police, regulators, admins and the list's owner; otherwise only the kind of partner. */
function showListRow(row: TimelineListRow, actor: Pick<Actor, 'role' | 'orgId'>): TimelineRow {
  const named = mayReadListName(actor, row.ownerOrgId) ? `${row.source} list "${row.listName}"` : (SOURCE_TEXT[row.source] ?? 'a partner list');
  const detail = `${named}${row.liftedAt ? ` (lifted ${row.liftedAt})` : row.expiresAt ? ` until ${row.expiresAt}` : ''}`;
  return { kind: 'list', at: row.at, category: row.category, detail, list: row.list, source: row.source };
}

export async function lookupIdentifier(ctx: AppContext, raw: string, opts: { timeline?: boolean } = {}, actor?: Pick<Actor, 'role' | 'orgId'>): Promise<IdentifierView> {
  const id = parseIdentifier(raw, { defaultRegion: ctx.config.defaultRegion }, 'identifier');
  const reputation = await lookupReputation(ctx, id.canonical);
  const view: IdentifierView = { identifier: id.canonical, kind: id.kind, ...reputation };
  if (opts.timeline) {
    const viewer = actor ?? { role: 'app' as const, orgId: '' };
    view.timeline = (await evidenceTimeline(ctx.db, id.canonical)).map((r) => (r.kind === 'list' ? showListRow(r as TimelineListRow, viewer) : r));
  }
  return view;
}
