import { SCRIPT_SIMILARITY, scriptBandKeys } from './lsh.js';
import { similarity } from './minhash.js';
import { UnionFind } from './union-find.js';

// The script links of batch grouping (groupCampaigns): fingerprints that share a band key (lsh.ts,
// the keys the stored index uses) are compared, and a pair at SCRIPT_SIMILARITY or above ties their
// callers. One script read thousands of times puts thousands of fingerprints under each of its band
// keys; comparing every pair there (and remembering which pairs were compared) is quadratic, and a
// Set of those pairs once overflowed at 5,000 readings. So callers' script components are kept in a
// union-find, and each band key's fingerprints in groups, one per component: a new fingerprint is
// compared only with the groups of other components, member by member until one matches. Readings
// of one script then cost one look at one group each.
// The components are exactly those of comparing every pair that shares a band key (a fingerprint
// similar to any member of a group is similar to a member of that group's component, so checking
// the group until the first match decides the pair's outcome). The links returned are the ones
// that joined two components (a spanning forest, one per caller joined), not every similar pair.

export interface ScriptPrint {
  readonly caller: string;
  readonly fingerprint: readonly number[];
}

/** Pairs of callers whose scripts tie them: enough links to connect each script component. */
export function scriptLinks(scripts: readonly ScriptPrint[]): [string, string][] {
  const byBand = new Map<number, number[]>();
  scripts.forEach((s, i) => {
    for (const k of scriptBandKeys(s.fingerprint)) {
      let l = byBand.get(k);
      if (!l) byBand.set(k, (l = []));
      l.push(i);
    }
  });
  const uf = new UnionFind();
  const links: [string, string][] = [];
  for (const bucket of byBand.values()) {
    if (bucket.length < 2) continue;
    // Groups of this band key's fingerprints, all of one group in one component (named by any member's caller).
    let groups: { caller: string; members: number[] }[] = [];
    for (const i of bucket) {
      const s = scripts[i]!;
      let mine = uf.rootOf(s.caller);
      const others: { caller: string; members: number[] }[] = [];
      let own: number[] = [i];
      for (const g of groups) {
        if (uf.rootOf(g.caller) !== mine) {
          const match = g.members.find((j) => similarity(s.fingerprint, scripts[j]!.fingerprint) >= SCRIPT_SIMILARITY);
          if (match === undefined) {
            others.push(g);
            continue;
          }
          uf.union(s.caller, scripts[match]!.caller);
          links.push([s.caller, scripts[match]!.caller]);
          mine = uf.rootOf(s.caller);
        }
        own = mergeInto(own, g.members);
      }
      others.push({ caller: s.caller, members: own });
      groups = others;
    }
  }
  return links;
}

/** The two lists as one, copying the shorter into the longer (so repeated merges stay near-linear). */
function mergeInto(a: number[], b: number[]): number[] {
  const [big, small] = a.length >= b.length ? [a, b] : [b, a];
  for (const x of small) big.push(x);
  return big;
}
