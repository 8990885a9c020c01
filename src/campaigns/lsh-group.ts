import { MIN_MEMBERS, MIN_PARTIES } from './group.js';
import type { CampaignGroup, EvidenceKind, ScriptSample } from './group.js';
import { confirmCandidates, scriptBandKeys } from './lsh.js';

// The script campaign of one caller, found through the band index instead of by regrouping every
// stored fingerprint (issue 15). Callers are the nodes, confirmed similar scripts the links, as in
// groupCampaigns; the walk starts at the caller with the new script and goes on through callers
// that are in no campaign yet (a group of MIN_MEMBERS becomes a campaign when it forms, so those
// are few), and stops at callers already in a campaign: their campaign stands for the rest of its
// component, and counts its members towards MIN_MEMBERS.
// The rules of groupCampaigns hold: honeypot scripts count alone; a caller's conversation-guard
// scripts count only once MIN_PARTIES organisations followed calls from it (whichever scripts).

/** A stored script fingerprint (a honeypot transcript's or a conversation-guard call's). */
export interface IndexedScript extends ScriptSample {
  readonly id: string;
}

export interface ScriptMembership {
  readonly campaignId: string;
  /** The campaign's member count. */
  readonly members: number;
}

/** What the search reads; store/ implements it over the band table, tests over arrays. */
export interface ScriptIndex {
  /** Every stored script of these callers. */
  scriptsOf(callers: readonly string[]): Promise<IndexedScript[]>;
  /** The stored scripts that share one of these band keys, except those of the given callers. */
  candidates(bandKeys: readonly number[], exceptCallers: readonly string[]): Promise<IndexedScript[]>;
  /** Per caller, how many organisations' guard calls carry a fingerprint of it (absent: none). */
  guardParties(callers: readonly string[]): Promise<Map<string, number>>;
  /** The campaign each of these callers is in (absent: none). */
  memberships(callers: readonly string[]): Promise<Map<string, ScriptMembership>>;
}

/** A bound on the walk: callers outside campaigns form a campaign at MIN_MEMBERS, so a longer walk means something is off. */
export const MAX_WALK = 1000;

export interface ScriptLink {
  readonly a: IndexedScript;
  readonly b: IndexedScript;
  readonly similarity: number;
}

export interface ScriptSearch {
  /** The group to merge (undefined when the caller is tied to too few callers, or to none). */
  readonly group: CampaignGroup | undefined;
  readonly links: readonly ScriptLink[];
  /** Campaigns the caller's script component touches. */
  readonly touched: ReadonlyMap<string, number>;
}

/**
 * Walks from `caller` through confirmed script links. `fresh` names the caller's new scripts: when
 * the caller is already in a campaign only they are looked up (its older ones were when they came);
 * leave it out when older scripts may tie anew (a caller whose guard scripts just became
 * corroborated).
 */
export async function findScriptGroup(index: ScriptIndex, caller: string, fresh?: readonly IndexedScript[]): Promise<ScriptSearch> {
  const parties = new Map<string, number>();
  const memberships = new Map<string, ScriptMembership | undefined>();
  const learn = async (callers: readonly string[]): Promise<void> => {
    const todo = [...new Set(callers)].filter((c) => !memberships.has(c));
    if (todo.length === 0) return;
    const [p, m] = await Promise.all([index.guardParties(todo), index.memberships(todo)]);
    for (const c of todo) {
      parties.set(c, p.get(c) ?? 0);
      memberships.set(c, m.get(c));
    }
  };
  const counts = (s: IndexedScript): boolean => s.party === undefined || (parties.get(s.caller) ?? 0) >= MIN_PARTIES;

  await learn([caller]);
  const reached = new Set([caller]);
  const touched = new Map<string, number>();
  const start = memberships.get(caller);
  if (start) touched.set(start.campaignId, start.members);
  const links: ScriptLink[] = [];
  let frontier = [caller];
  let first = true;
  while (frontier.length > 0 && reached.size < MAX_WALK) {
    const own = first && start && fresh ? [...fresh] : await index.scriptsOf(frontier);
    first = false;
    const mine = own.filter(counts);
    const keys = [...new Set(mine.flatMap((s) => scriptBandKeys(s.fingerprint)))];
    if (keys.length === 0) break;
    const found = await index.candidates(keys, [...reached]);
    await learn(found.map((s) => s.caller));
    const next: string[] = [];
    for (const { candidate, matched, similarity } of confirmCandidates(mine, found.filter(counts))) {
      links.push({ a: matched, b: candidate, similarity });
      const c = candidate.caller;
      if (reached.has(c)) continue;
      reached.add(c);
      const m = memberships.get(c);
      if (m) touched.set(m.campaignId, m.members);
      else next.push(c);
    }
    frontier = next;
  }
  return { group: groupOf(reached, links, touched, memberships), links, touched };
}

/** The caller's group when it reaches MIN_MEMBERS counting the members of the campaigns it touches. */
function groupOf(reached: ReadonlySet<string>, links: readonly ScriptLink[], touched: ReadonlyMap<string, number>, memberships: ReadonlyMap<string, ScriptMembership | undefined>): CampaignGroup | undefined {
  if (links.length === 0) return undefined;
  const outside = [...reached].filter((c) => !memberships.get(c)).length;
  const size = outside + [...touched.values()].reduce((a, b) => a + b, 0);
  if (size < MIN_MEMBERS) return undefined;
  let firstSeen = Infinity;
  let lastSeen = -Infinity;
  for (const l of links) {
    firstSeen = Math.min(firstSeen, l.a.at, l.b.at);
    lastSeen = Math.max(lastSeen, l.a.at, l.b.at);
  }
  const members = [...reached].sort();
  const kinds = new Map<string, Set<EvidenceKind>>(members.map((m) => [m, new Set<EvidenceKind>(['script'])]));
  return { members, firstSeen, lastSeen, evidence: [{ kind: 'script', count: links.length }], kinds };
}
