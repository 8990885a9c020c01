import { scriptLinks } from './script-links.js';
import { UnionFind } from './union-find.js';

// Campaigns (issue 15): callers tied together by evidence, as plain functions over plain data.
// - short-lived numbers sharing callees: numbers each used briefly (a burst of calls within two
//   hours, then silence) that reach at least two of the same people are one operation rotating
//   through numbers (ordinary subscribers almost never share two callees with a stranger);
// - neighbour spoofing: briefly used numbers whose calls mostly go to numbers with their own prefix
//   (the callee's own exchange), active in the same two-hour window;
// - scripts: transcripts (honeypot lines, conversation-guard calls) whose MinHash fingerprints are
//   similar (≥ SCRIPT_SIMILARITY, 0.6; script-links.ts);
// - payee: callers that gave the same payee account (payments flags and cases).
// Groups of at least MIN_MEMBERS callers are campaigns.
// One party alone (an app, a bank) could otherwise tie any number to a campaign by reporting it
// with its own account or script: a payee tie counts only when MIN_PARTIES organisations reported
// that caller with that account, and a caller's conversation-guard scripts only when calls from it
// were followed by MIN_PARTIES organisations. (Honeypot transcripts come from lines a carrier,
// regulator or admin registered: they count alone, as before.)

export const MIN_MEMBERS = 3;
export const BRIEF_SPAN_MS = 2 * 3_600_000;
export const BRIEF_MIN_CALLS = 8;
export const BRIEF_MAX_CALLS = 64;
export const MIN_PARTIES = 2;
const NEIGHBOUR_SHARE = 0.6;
const NEIGHBOUR_DIGITS = 4; // a caller and a callee that differ only in the last four digits

export type EvidenceKind = 'shared-callees' | 'short-lived' | 'neighbour-spoofing' | 'script' | 'payee';

/** A caller's calls as the collector saw them (brief callers keep their callees). */
export interface CallerTrace {
  readonly caller: number;
  readonly calls: number;
  readonly firstAt: number;
  readonly lastAt: number;
  /** Callees (digits), kept while the caller looks briefly used; empty otherwise. */
  readonly callees: readonly number[];
  /** Calls to a number that shares all but the last four digits with the caller. */
  readonly neighbourCalls: number;
}

/**
 * Collects per-caller traces from call records (one `record` per call). Bounded: a caller stops
 * keeping callees once it is no longer briefly used (more than BRIEF_MAX_CALLS calls or active
 * for more than BRIEF_SPAN_MS).
 */
export class CampaignCollector {
  private readonly by = new Map<number, { calls: number; firstAt: number; lastAt: number; callees: number[] | null; neighbour: number }>();

  record(caller: number, callee: number, at: number): void {
    let e = this.by.get(caller);
    if (!e) this.by.set(caller, (e = { calls: 0, firstAt: at, lastAt: at, callees: [], neighbour: 0 }));
    e.calls++;
    if (at < e.firstAt) e.firstAt = at;
    if (at > e.lastAt) e.lastAt = at;
    const div = 10 ** NEIGHBOUR_DIGITS;
    if (Math.floor(caller / div) === Math.floor(callee / div)) e.neighbour++;
    if (e.callees !== null) {
      if (e.calls > BRIEF_MAX_CALLS || e.lastAt - e.firstAt > BRIEF_SPAN_MS) e.callees = null;
      else e.callees.push(callee);
    }
  }

  /** The briefly used callers (the only ones grouping looks at). */
  traces(): CallerTrace[] {
    const out: CallerTrace[] = [];
    for (const [caller, e] of this.by) {
      if (e.callees === null || e.calls < BRIEF_MIN_CALLS) continue;
      out.push({ caller, calls: e.calls, firstAt: e.firstAt, lastAt: e.lastAt, callees: e.callees, neighbourCalls: e.neighbour });
    }
    return out;
  }
}

export interface ScriptSample {
  readonly caller: string;
  readonly fingerprint: readonly number[];
  readonly at: number;
  /** The organisation whose conversation guard followed the call; absent for honeypot transcripts. */
  readonly party?: string;
}

/** A caller reported with a payee account (a payments flag or case) by one organisation. */
export interface PayeeTie {
  readonly caller: string;
  readonly account: string;
  readonly party: string;
  readonly at: number;
}

/** The script samples that may tie callers: honeypot ones, and a caller's guard ones once MIN_PARTIES organisations saw it. */
export function corroboratedScripts(scripts: readonly ScriptSample[]): ScriptSample[] {
  const parties = new Map<string, Set<string>>();
  for (const s of scripts) {
    if (s.party === undefined) continue;
    let p = parties.get(s.caller);
    if (!p) parties.set(s.caller, (p = new Set()));
    p.add(s.party);
  }
  return scripts.filter((s) => s.party === undefined || parties.get(s.caller)!.size >= MIN_PARTIES);
}

/** account → callers, keeping a caller only where MIN_PARTIES organisations reported it with that account. */
export function corroboratedPayees(ties: readonly PayeeTie[]): Map<string, { callers: string[]; first: Map<string, number>; last: Map<string, number> }> {
  const by = new Map<string, Map<string, { parties: Set<string>; first: number; last: number }>>();
  for (const t of ties) {
    let a = by.get(t.account);
    if (!a) by.set(t.account, (a = new Map()));
    let c = a.get(t.caller);
    if (!c) a.set(t.caller, (c = { parties: new Set(), first: t.at, last: t.at }));
    c.parties.add(t.party);
    c.first = Math.min(c.first, t.at);
    c.last = Math.max(c.last, t.at);
  }
  const out = new Map<string, { callers: string[]; first: Map<string, number>; last: Map<string, number> }>();
  for (const [account, callers] of by) {
    const kept = [...callers].filter(([, c]) => c.parties.size >= MIN_PARTIES);
    if (kept.length < 2) continue;
    out.set(account, { callers: kept.map(([caller]) => caller).sort(), first: new Map(kept.map(([k, c]) => [k, c.first])), last: new Map(kept.map(([k, c]) => [k, c.last])) });
  }
  return out;
}

export interface CampaignGroup {
  /** E.164 callers. */
  readonly members: string[];
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly evidence: { kind: EvidenceKind; count: number }[];
  /** Per member: the kinds of evidence that tie it in. */
  readonly kinds: Map<string, Set<EvidenceKind>>;
}

/** Groups callers into campaigns from call-record traces and script samples. */
export function groupCampaigns(traces: readonly CallerTrace[], allScripts: readonly ScriptSample[] = [], payees: readonly PayeeTie[] = []): CampaignGroup[] {
  const scripts = corroboratedScripts(allScripts);
  const uf = new UnionFind();
  const kinds = new Map<string, Set<EvidenceKind>>();
  const counts = new Map<string, Map<EvidenceKind, number>>(); // per member, links by kind
  const seen = new Map<string, { first: number; last: number }>();
  const tag = (c: string, k: EvidenceKind): void => {
    let s = kinds.get(c);
    if (!s) kinds.set(c, (s = new Set()));
    s.add(k);
    let m = counts.get(c);
    if (!m) counts.set(c, (m = new Map()));
    m.set(k, (m.get(k) ?? 0) + 1);
  };
  const when = (c: string, first: number, last: number): void => {
    const w = seen.get(c);
    if (!w) seen.set(c, { first, last });
    else {
      w.first = Math.min(w.first, first);
      w.last = Math.max(w.last, last);
    }
  };
  const link = (a: string, b: string, k: EvidenceKind): void => {
    uf.union(a, b);
    tag(a, k);
    tag(b, k);
  };

  // Shared callees among briefly used numbers: an inverted index callee → callers.
  const byCallee = new Map<number, number[]>();
  for (let i = 0; i < traces.length; i++) {
    const t = traces[i]!;
    when(`+${t.caller}`, t.firstAt, t.lastAt);
    for (const c of new Set(t.callees)) {
      let l = byCallee.get(c);
      if (!l) byCallee.set(c, (l = []));
      l.push(i);
    }
  }
  const shared = new Map<number, number>(); // pair key → shared callees
  for (const list of byCallee.values()) {
    if (list.length < 2 || list.length > 200) continue;
    for (let x = 0; x < list.length; x++) for (let y = x + 1; y < list.length; y++) {
      const key = list[x]! * 4_194_304 + list[y]!;
      shared.set(key, (shared.get(key) ?? 0) + 1);
    }
  }
  for (const [key, n] of shared) {
    if (n < 2) continue;
    const a = traces[Math.floor(key / 4_194_304)]!;
    const b = traces[key % 4_194_304]!;
    link(`+${a.caller}`, `+${b.caller}`, 'shared-callees');
  }

  // Neighbour spoofing: briefly used numbers calling their own exchange, by two-hour window.
  const byWindow = new Map<string, string[]>();
  for (const t of traces) {
    if (t.neighbourCalls / t.calls < NEIGHBOUR_SHARE) continue;
    const cc = String(t.caller).slice(0, 2);
    const key = `${cc}:${Math.floor(t.firstAt / BRIEF_SPAN_MS)}`;
    let l = byWindow.get(key);
    if (!l) byWindow.set(key, (l = []));
    l.push(`+${t.caller}`);
  }
  for (const l of byWindow.values()) {
    if (l.length < MIN_MEMBERS) continue;
    for (let i = 1; i < l.length; i++) link(l[0]!, l[i]!, 'neighbour-spoofing');
  }

  // Scripts: LSH bands, then the estimated similarity (links that join script components).
  for (const s of scripts) when(s.caller, s.at, s.at);
  for (const [a, b] of scriptLinks(scripts)) link(a, b, 'script');

  // The same payee account (corroborated ties only).
  for (const { callers, first, last } of corroboratedPayees(payees).values()) {
    for (const c of callers) when(c, first.get(c)!, last.get(c)!);
    for (let i = 1; i < callers.length; i++) link(callers[0]!, callers[i]!, 'payee');
  }

  const groups = new Map<string, string[]>();
  for (const c of kinds.keys()) {
    const r = uf.rootOf(c);
    let g = groups.get(r);
    if (!g) groups.set(r, (g = []));
    g.push(c);
  }
  const out: CampaignGroup[] = [];
  for (const members of groups.values()) {
    if (members.length < MIN_MEMBERS) continue;
    members.sort();
    const ev = new Map<EvidenceKind, number>();
    let first = Infinity;
    let last = -Infinity;
    const memberKinds = new Map<string, Set<EvidenceKind>>();
    let brief = 0;
    for (const m of members) {
      const ks = kinds.get(m)!;
      memberKinds.set(m, ks);
      for (const [k, n] of counts.get(m) ?? []) ev.set(k, (ev.get(k) ?? 0) + n);
      const w = seen.get(m);
      if (w) {
        first = Math.min(first, w.first);
        last = Math.max(last, w.last);
      }
      if (ks.has('shared-callees') || ks.has('neighbour-spoofing')) brief++;
    }
    // Links were counted at both ends.
    const evidence = [...ev.entries()].map(([kind, n]) => ({ kind, count: Math.round(n / 2) }));
    if (brief > 0) {
      evidence.push({ kind: 'short-lived' as const, count: brief });
      for (const m of members) if (memberKinds.get(m)!.has('shared-callees') || memberKinds.get(m)!.has('neighbour-spoofing')) memberKinds.get(m)!.add('short-lived');
    }
    out.push({ members, firstSeen: first, lastSeen: last, evidence: evidence.sort((a, b) => a.kind.localeCompare(b.kind)), kinds: memberKinds });
  }
  return out.sort((a, b) => b.members.length - a.members.length || a.members[0]!.localeCompare(b.members[0]!));
}

/**
 * Recall and purity of found campaigns against a generated file's labels (`campaign-N`):
 * recall is the share of labelled campaign numbers that are in a found campaign whose majority
 * label is theirs; purity is the share of found members that carry their campaign's majority label.
 */
export function evaluateCampaigns(groups: readonly CampaignGroup[], labels: ReadonlyMap<string, string>): { campaigns: number; found: number; numbers: number; recall: number; purity: number } {
  const truth = new Map<string, number>();
  for (const l of labels.values()) if (l.startsWith('campaign')) truth.set(l, (truth.get(l) ?? 0) + 1);
  const numbers = [...truth.values()].reduce((a, b) => a + b, 0);
  let recalled = 0;
  let pure = 0;
  let members = 0;
  for (const g of groups) {
    const by = new Map<string, number>();
    for (const m of g.members) {
      const l = labels.get(m) ?? 'normal';
      by.set(l, (by.get(l) ?? 0) + 1);
    }
    const [major, n] = [...by.entries()].sort((a, b) => b[1] - a[1])[0]!;
    members += g.members.length;
    pure += n;
    if (major.startsWith('campaign')) recalled += n;
  }
  return { campaigns: truth.size, found: groups.length, numbers, recall: numbers ? recalled / numbers : 1, purity: members ? pure / members : 1 };
}
