// Script fingerprints (issue 15): the time a new honeypot transcript takes with the band index
// (migration 0028, src/campaigns/lsh-group.ts) beside the reload-all path it replaced (read every
// stored fingerprint, regroup them all with groupCampaigns, keep the new caller's group), on the
// same database in the same run, and beside the index path as it was before band keys were read a
// page at a time (every script sharing a key read at once). The store is filled first with BENCH_SCRIPTS transcripts (default
// 100,000): scripts of BENCH_SCRIPT_TEMPLATES campaigns (default 1,000), each read with other
// amounts and a few words changed by a pool of rotating numbers, and as many one-off calls; the
// campaigns they form are stored (as they would have been, one transcript at a time).
// BENCH_SCRIPT_ENGINE=postgres runs it on a fresh PostgreSQL database (127.0.0.1:5432).
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { openApp } from '../src/app-context.js';
import type { AppContext } from '../src/app-context.js';
import { CANDIDATES_PER_KEY, MIN_MEMBERS, findScriptGroup, groupCampaigns, minhash } from '../src/campaigns/index.js';
import type { CampaignGroup, IndexedScript, ScriptIndex, ScriptSample } from '../src/campaigns/index.js';
import { CLI_OPERATOR } from '../src/operations/actor.js';
import { mergeCampaignGroups } from '../src/operations/campaigns/campaigns.js';
import { addTranscript, registerHoneypots } from '../src/operations/campaigns/honeypots.js';
import { campaignsFromScript } from '../src/operations/campaigns/party-evidence.js';
import { indexScripts, scriptIndexOf } from '../src/store/campaigns/script-index.js';
import { createTestDatabase } from '../test/helpers/postgres.js';

const SCRIPTS = Number(process.env.BENCH_SCRIPTS ?? 100_000);
const TEMPLATES = Number(process.env.BENCH_SCRIPT_TEMPLATES ?? 1_000);
const NEW_WITH_INDEX = 60;
const NEW_RELOAD_ALL = 4;
const onPostgres = process.env.BENCH_SCRIPT_ENGINE === 'postgres';
const LINE = '+8613700000001';
const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');
const load = (): string => loadavg().map((x) => x.toFixed(1)).join(', ');
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const dir = mkdtempSync(join(tmpdir(), 'callshield-script-bench-'));

// A seeded generator, so every run stores the same corpus.
let seed = 0x2f6b1d;
const rand = (): number => ((seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const SYLLABLES = 'ba ce di fo gu ha je ki lo mu na pe qi ro su ta ve wi xo yu za an en in on un ar er ir or ur'.split(' ');
const VOCABULARY = Array.from({ length: 600 }, () => Array.from({ length: 2 + Math.floor(rand() * 3) }, () => pick(SYLLABLES)).join(''));
const sentence = (words: number): string[] => Array.from({ length: words }, () => pick(VOCABULARY));
/** A campaign's script read once: another amount and call-back number, a few words changed. */
const reading = (template: readonly string[]): string => {
  const words = template.map((w) => (rand() < 0.04 ? pick(VOCABULARY) : w));
  return `${words.join(' ')} pay ${Math.floor(rand() * 90_000) + 1_000} yuan call ${Math.floor(rand() * 1e8)}`;
};
const templates = Array.from({ length: TEMPLATES }, () => sentence(40 + Math.floor(rand() * 30)));
const pools = templates.map((_, t) => Array.from({ length: 40 }, (_, i) => `+86172${String(t).padStart(4, '0')}${String(i).padStart(4, '0')}`));
let oneOffs = 0;
/** One transcript: half from a campaign (a number of its pool), half a one-off call from a number of its own. */
const nextTranscript = (): { caller: string; text: string; template: number } => {
  if (rand() < 0.5) {
    const t = Math.floor(rand() * TEMPLATES);
    return { caller: pick(pools[t]!), text: reading(templates[t]!), template: t };
  }
  oneOffs++;
  return { caller: `+86181${String(oneOffs).padStart(8, '0')}`, text: sentence(30 + Math.floor(rand() * 40)).join(' '), template: -1 };
};

/** The path this index replaced, as it was: every stored fingerprint read and regrouped. */
async function reloadAllGroup(ctx: AppContext, caller: string): Promise<void> {
  const rows = await ctx.db.selectFrom('honeypot_transcripts').select(['id', 'caller', 'fingerprint', 'at']).execute();
  const scripts: ScriptSample[] = rows.map((r) => ({ caller: r.caller, fingerprint: JSON.parse(r.fingerprint) as number[], at: Date.parse(r.at) }));
  const groups = groupCampaigns([], scripts).filter((g) => g.members.includes(caller));
  await mergeCampaignGroups(ctx, groups, 'honeypot-transcripts');
}

/** The store's index, counting the candidate rows it returns; `unpaged`: every script sharing a key at once, as before pages. */
function countingIndex(ctx: AppContext, unpaged: boolean): ScriptIndex & { read: number } {
  const index = scriptIndexOf(ctx.db);
  const counting = {
    ...index,
    read: 0,
    async candidates(keys: readonly number[], except: readonly string[], perKey: number, after?: ReadonlyMap<number, string>) {
      if (!unpaged) {
        const page = await index.candidates(keys, except, perKey, after);
        counting.read += page.scripts.length;
        return page;
      }
      let q = ctx.db.selectFrom('script_fingerprints').selectAll().where('id', 'in', (eb) => eb.selectFrom('script_bands').select('script_id').where('band', 'in', keys));
      if (except.length > 0) q = q.where('caller', 'not in', except);
      const scripts: IndexedScript[] = (await q.execute()).map((r) => ({ id: r.id, caller: r.caller, fingerprint: JSON.parse(r.fingerprint) as number[], at: Date.parse(r.at), ...(r.party === null ? {} : { party: r.party }) }));
      counting.read += scripts.length;
      return { scripts, byKey: new Map() }; // no full page: every key is done
    },
  };
  return counting;
}

/** campaignsFromScript's grouping step over the given index; returns the time the search alone took (ms). */
async function groupThrough(ctx: AppContext, index: ScriptIndex, script: IndexedScript): Promise<number> {
  const s = performance.now();
  const { group } = await findScriptGroup(index, script.caller, [script]);
  const searchMs = performance.now() - s;
  if (group) await mergeCampaignGroups(ctx, [group], 'honeypot-transcripts');
  return searchMs;
}

const pg = onPostgres ? await createTestDatabase() : undefined;
try {
  const config = loadConfig({}, { dbPath: join(dir, 'scripts.db'), logLevel: 'silent', ...(pg ? { databaseUrl: pg.url, secretFile: join(dir, 'bench.secret') } : {}) });
  const ctx = await openApp(config, { logger: pino({ level: 'silent' }), skipIndex: true });
  await registerHoneypots(ctx, [LINE], CLI_OPERATOR);

  // --- fill: the transcripts with their index rows, in batches ---
  let t = performance.now();
  const at = new Date(ctx.now() - 86_400_000).toISOString();
  const readers = templates.map(() => new Set<string>());
  for (let i = 0; i < SCRIPTS; i += 1_000) {
    const batch = Array.from({ length: Math.min(1_000, SCRIPTS - i) }, (_, j) => {
      const { caller, text, template } = nextTranscript();
      if (template >= 0) readers[template]!.add(caller);
      const fp = JSON.stringify(minhash(text));
      return { id: `bench-${i + j}`, honeypot: LINE, org_id: CLI_OPERATOR.orgId, caller, text, fingerprint: fp, at, created_at: at };
    });
    await ctx.db.transaction().execute(async (trx) => {
      for (let k = 0; k < batch.length; k += 200) await trx.insertInto('honeypot_transcripts').values(batch.slice(k, k + 200)).execute();
      await indexScripts(trx, batch.map((r) => ({ id: `honeypot:${r.id}`, source: 'honeypot' as const, caller: r.caller, party: null, fingerprint: r.fingerprint, at })));
    });
  }
  const fillSecs = (performance.now() - t) / 1000;
  // The campaigns the corpus forms, stored once: one per campaign script, its readers as members
  // (what the one-at-a-time grouping leaves; regrouping the corpus with groupCampaigns fails outright
  // when one script has thousands of readings, see the reload-all row).
  t = performance.now();
  const atMs = Date.parse(at);
  const groups: CampaignGroup[] = readers.filter((r) => r.size >= MIN_MEMBERS).map((r) => {
    const members = [...r].sort();
    return { members, firstSeen: atMs, lastSeen: atMs, evidence: [{ kind: 'script' as const, count: members.length }], kinds: new Map(members.map((m) => [m, new Set(['script' as const])])) };
  });
  await mergeCampaignGroups(ctx, groups, 'bench');
  const campaignSecs = (performance.now() - t) / 1000;

  // --- new transcripts through POST /v1/honeypots/transcripts' operation, with the index ---
  const addMs: number[] = [];
  const indexMs: number[] = [];
  const pagedMs: number[] = [];
  const unpagedMs: number[] = [];
  const searchMs = new Map<ScriptIndex, number[]>();
  const paged = countingIndex(ctx, false);
  const unpaged = countingIndex(ctx, true);
  const oldMs: number[] = [];
  let oldFailed = '';
  for (let i = 0; i < NEW_WITH_INDEX; i++) {
    const { caller, text } = nextTranscript();
    let s = performance.now();
    const r = await addTranscript(ctx, { number: LINE, caller, text }, CLI_OPERATOR);
    addMs.push(performance.now() - s);
    // The grouping step alone, both ways, on the same store (the reload-all one only a few times: seconds each).
    const script = { id: `honeypot:${r.id}`, caller, fingerprint: minhash(text), at: Date.parse(r.at) };
    s = performance.now();
    await campaignsFromScript(ctx, script, true, 'honeypot-transcripts');
    indexMs.push(performance.now() - s);
    // The same step through the index paged and unpaged, alternating which goes first.
    for (const [which, ms] of i % 2 ? ([[unpaged, unpagedMs], [paged, pagedMs]] as const) : ([[paged, pagedMs], [unpaged, unpagedMs]] as const)) {
      s = performance.now();
      const search = await groupThrough(ctx, which, script);
      ms.push(performance.now() - s);
      searchMs.set(which, [...(searchMs.get(which) ?? []), search]);
    }
    if (i < NEW_RELOAD_ALL && !oldFailed) {
      s = performance.now();
      try {
        await reloadAllGroup(ctx, caller);
        oldMs.push(performance.now() - s);
      } catch (err) {
        oldFailed = `fails after ${fmt(performance.now() - s)} ms: ${(err as Error).message}`;
      }
    }
  }
  const stored = await ctx.db.selectFrom('script_bands').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const campaigns = await ctx.db.selectFrom('campaigns').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  await ctx.close();

  const oldRow = oldFailed ? `| grouping step reloading every fingerprint (the path replaced) | 1 | ${oldFailed} | |` : `| grouping step reloading every fingerprint (the path replaced) | ${oldMs.length} | ${fmt(median(oldMs))} | ${fmt(oldMs.reduce((a, b) => a + b, 0) / oldMs.length)} |`;
  const ratio = oldFailed ? 'not measurable (the reload-all path fails)' : `${fmt(median(oldMs) / median(indexMs))}×`;
  console.log(`## Script fingerprints: band index against reload-all (${onPostgres ? 'PostgreSQL' : 'SQLite'})

Machine: 2 cores shared with other sessions, load average at the end ${load()}.
Synthetic data: ${fmt(SCRIPTS)} honeypot transcripts (half the scripts of ${fmt(TEMPLATES)} campaigns, about ${fmt(SCRIPTS / 2 / TEMPLATES)} readings each, read by rotating numbers with other amounts and a few words changed, half one-off calls); ${fmt(Number(stored.n))} band keys stored, ${fmt(Number(campaigns.n))} campaigns.
Command: \`${onPostgres ? 'BENCH_SCRIPT_ENGINE=postgres ' : ''}${TEMPLATES !== 1_000 ? `BENCH_SCRIPT_TEMPLATES=${TEMPLATES} ` : ''}npm run bench -- script-index\`.

| measure | runs | median ms | mean ms |
|---|---:|---:|---:|
| new transcript, whole operation (write, index, reputation, grouping through the index) | ${addMs.length} | ${median(addMs).toFixed(1)} | ${(addMs.reduce((a, b) => a + b, 0) / addMs.length).toFixed(1)} |
| grouping step through the band index | ${indexMs.length} | ${median(indexMs).toFixed(1)} | ${(indexMs.reduce((a, b) => a + b, 0) / indexMs.length).toFixed(1)} |
| grouping step through the index, a page of ${CANDIDATES_PER_KEY} a band key (${fmt(paged.read / pagedMs.length)} candidate rows read a transcript) | ${pagedMs.length} | ${median(pagedMs).toFixed(1)} | ${(pagedMs.reduce((a, b) => a + b, 0) / pagedMs.length).toFixed(1)} |
| grouping step through the index unpaged, as before (${fmt(unpaged.read / unpagedMs.length)} candidate rows read a transcript) | ${unpagedMs.length} | ${median(unpagedMs).toFixed(1)} | ${(unpagedMs.reduce((a, b) => a + b, 0) / unpagedMs.length).toFixed(1)} |
${oldRow}

Reload-all over the index (grouping step, medians): ${ratio}. Unpaged over paged (medians): ${(median(unpagedMs) / median(pagedMs)).toFixed(1)}×; the search alone (findScriptGroup, without storing the campaign), median / mean ms: paged ${median(searchMs.get(paged)!).toFixed(1)} / ${mean(searchMs.get(paged)!).toFixed(1)}, unpaged ${median(searchMs.get(unpaged)!).toFixed(1)} / ${mean(searchMs.get(unpaged)!).toFixed(1)}. Filling the store took ${fillSecs.toFixed(0)} s (transcripts and index rows), storing the campaigns ${campaignSecs.toFixed(0)} s.
`);
} finally {
  await pg?.drop();
  rmSync(dir, { recursive: true, force: true });
}
