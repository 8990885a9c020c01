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
// Band keys are read a page at a time (readCandidates), so a script read thousands of times costs
// a page or two per key, not every reading.

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
  /**
   * The stored scripts of these callers that count: honeypot scripts, and conversation-guard
   * scripts only of the callers in `guardOf` (those MIN_PARTIES organisations followed); left out,
   * every script of the callers. At most MAX_SCRIPTS_PER_CALLER a caller: its honeypot scripts
   * first, then the newest (`at`, then id, descending). One organisation's flood of guard calls for
   * a number then costs a walk through that number nothing, and thousands of corroborated ones a
   * bounded read.
   */
  scriptsOf(callers: readonly string[], guardOf?: readonly string[]): Promise<IndexedScript[]>;
  /**
   * A page of the stored scripts that share one of these band keys, except those of the given
   * callers: for each key up to `perKey` of them, in one fixed order per key (script id, descending),
   * after `after.get(key)` when given.
   */
  candidates(bandKeys: readonly number[], exceptCallers: readonly string[], perKey: number, after?: ReadonlyMap<number, string>): Promise<CandidatePage>;
  /** Per caller, how many organisations' guard calls carry a fingerprint of it (absent: none). */
  guardParties(callers: readonly string[]): Promise<Map<string, number>>;
  /** The campaign each of these callers is in (absent: none). */
  memberships(callers: readonly string[]): Promise<Map<string, ScriptMembership>>;
}

export interface CandidatePage {
  /** The scripts read, each once. */
  readonly scripts: readonly IndexedScript[];
  /**
   * Per band key, the ids read for it, in the index's order; fewer than perKey, or the key left
   * out: it has no more (an index may read every key's scripts at once when they are few).
   */
  readonly byKey: ReadonlyMap<number, readonly string[]>;
}

/**
 * Rows read per band key in the first page (each next page is twice the last). One script read
 * thousands of times puts thousands of rows under each of its band keys; a key is read a page at a
 * time, and the next page only when this one brought a caller that is in no campaign and new to
 * the walk (see readCandidates).
 */
export const CANDIDATES_PER_KEY = 16;

/**
 * A caller's scripts read per step of the walk (ScriptIndex.scriptsOf). A number in a campaign's
 * hands carries the same script read again and again, so its newest readings stand for it; every
 * older honeypot or corroborated script was looked up itself when it came. What the bound can miss:
 * a caller whose guard scripts become corroborated only now, with more than this many, brings only
 * its newest (and its honeypot scripts); an older script of another kind ties it when a later
 * reading repeats it.
 */
export const MAX_SCRIPTS_PER_CALLER = 64;

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
    const own = first && start && fresh ? [...fresh] : await index.scriptsOf(frontier, frontier.filter((c) => (parties.get(c) ?? 0) >= MIN_PARTIES));
    first = false;
    const mine = own.filter(counts);
    const keys = [...new Set(mine.flatMap((s) => scriptBandKeys(s.fingerprint)))];
    if (keys.length === 0) break;
    const found = await readCandidates(index, keys, [...reached], async (callers) => {
      await learn(callers);
      return (c) => memberships.get(c) !== undefined;
    });
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

/**
 * The candidates of these band keys, read a page per key at a time (CANDIDATES_PER_KEY rows, then
 * twice as many each time, so a key of n rows read to the end costs about log2(n / 16) pages). A key
 * is read on only while its last page was full and brought a caller that is in no campaign and was
 * not seen before in this walk: a caller that could still be walked to or count towards a new group.
 * Pages of campaign members (the readings of a known campaign's script) or of callers already seen
 * end it, so a script read 5,000 times costs one or two pages per key, not 5,000 rows.
 * What the bound can miss: a stored script behind those pages, under a key crowded with one
 * campaign's readings, that ties to the new script but to none of the campaign's (the new script
 * would be the bridge), when it shares no other, uncrowded key with the new script (a pair at 0.6
 * shares about four of the 21 bands). Its caller then joins at its own next script, not now. Every
 * other script behind the pages was looked up itself when it came, so its caller is already in the
 * campaign of the readings it matches. Scripts that do not count (one organisation's guard calls)
 * are callers in no campaign, so a flood of them makes the walk read on (what it read before this
 * bound), never stop early and hide the scripts behind them.
 */
async function readCandidates(
  index: ScriptIndex,
  keys: readonly number[],
  except: readonly string[],
  learn: (callers: readonly string[]) => Promise<(caller: string) => boolean>,
): Promise<IndexedScript[]> {
  const found = new Map<string, IndexedScript>();
  const seen = new Set(except);
  const after = new Map<number, string>();
  let todo = keys;
  for (let perKey = CANDIDATES_PER_KEY; todo.length > 0; perKey *= 2) {
    const page = await index.candidates(todo, except, perKey, after);
    const inCampaign = await learn(page.scripts.map((s) => s.caller));
    const callerOf = new Map(page.scripts.map((s) => [s.id, s.caller]));
    const more: number[] = [];
    for (const k of todo) {
      const ids = page.byKey.get(k) ?? [];
      if (ids.length < perKey) continue;
      if (!ids.some((id) => !seen.has(callerOf.get(id)!) && !inCampaign(callerOf.get(id)!))) continue;
      after.set(k, ids.at(-1)!);
      more.push(k);
    }
    for (const s of page.scripts) (found.set(s.id, s), seen.add(s.caller));
    todo = more;
  }
  return [...found.values()];
}
