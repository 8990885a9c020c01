// An in-memory ScriptIndex (src/campaigns/lsh-group.ts) over arrays, for the unit and property
// tests: the same band look-up as the store's, and a record of which callers' scripts were read.
import { MAX_SCRIPTS_PER_CALLER, scriptBandKeys } from '../../src/campaigns/index.js';
import type { IndexedScript, ScriptIndex, ScriptMembership } from '../../src/campaigns/index.js';

export interface MemoryScriptIndex extends ScriptIndex {
  add(...scripts: IndexedScript[]): void;
  join(caller: string, m: ScriptMembership): void;
  /** Callers whose scripts scriptsOf returned, in order. */
  readonly walked: string[];
  /** Scripts scriptsOf returned, all calls together. */
  readonly ownRead: IndexedScript[];
  /** Each band key's page that candidates returned, in order. */
  readonly pages: { key: number; ids: string[]; except: readonly string[] }[];
}

export function memoryScriptIndex(initial: readonly IndexedScript[] = []): MemoryScriptIndex {
  const scripts: IndexedScript[] = [];
  const byBand = new Map<number, IndexedScript[]>();
  const members = new Map<string, ScriptMembership>();
  const walked: string[] = [];
  const ownRead: IndexedScript[] = [];
  const pages: { key: number; ids: string[]; except: readonly string[] }[] = [];
  const index: MemoryScriptIndex = {
    walked,
    ownRead,
    pages,
    add(...more) {
      for (const s of more) {
        scripts.push(s);
        for (const k of new Set(scriptBandKeys(s.fingerprint))) {
          let l = byBand.get(k);
          if (!l) byBand.set(k, (l = []));
          l.push(s);
        }
      }
    },
    join(caller, m) {
      members.set(caller, m);
    },
    async scriptsOf(callers, guardOf) {
      walked.push(...callers);
      // The store's order and bound: per caller, honeypot scripts first, then newest (at, id descending).
      const rank = (a: IndexedScript, b: IndexedScript): number =>
        Number(b.party === undefined) - Number(a.party === undefined) || b.at - a.at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
      const read = callers.flatMap((c) =>
        scripts.filter((s) => s.caller === c && (!guardOf || s.party === undefined || guardOf.includes(c))).sort(rank).slice(0, MAX_SCRIPTS_PER_CALLER),
      );
      ownRead.push(...read);
      return read;
    },
    async candidates(keys, except, perKey, after) {
      const out = new Map<string, IndexedScript>();
      const byKey = new Map<number, string[]>();
      for (const k of keys) {
        const from = after?.get(k);
        const page = (byBand.get(k) ?? [])
          .filter((s) => !except.includes(s.caller) && (from === undefined || s.id < from))
          .sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
          .slice(0, perKey);
        pages.push({ key: k, ids: page.map((s) => s.id), except: [...except] });
        byKey.set(k, page.map((s) => s.id));
        for (const s of page) out.set(s.id, s);
      }
      return { scripts: [...out.values()], byKey };
    },
    async guardParties(callers) {
      const out = new Map<string, number>();
      for (const c of callers) {
        const parties = new Set(scripts.filter((s) => s.caller === c && s.party !== undefined).map((s) => s.party));
        if (parties.size) out.set(c, parties.size);
      }
      return out;
    },
    async memberships(callers) {
      return new Map(callers.flatMap((c) => (members.has(c) ? [[c, members.get(c)!] as const] : [])));
    },
  };
  index.add(...initial);
  return index;
}
