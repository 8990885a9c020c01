// A/B of `screen()` between an older checkout and this one, in one process over the same index,
// callers and callees, alternating rounds (the shared machine's load falls on both alike).
//   node --import tsx bench/support/ab-screen.ts /path/to/old/checkout [rounds]
// Used for issue 14's "screening must not drop by more than 5 % for subscribers without rules".
const [oldRoot, roundsText] = process.argv.slice(2);
if (!oldRoot) throw new Error('usage: ab-screen.ts OLD_CHECKOUT [ROUNDS]');
const ROUNDS = Number(roundsText ?? 16);
const N = Number(process.env.AB_IDENTIFIERS ?? 200_000);
const CALLS = 200_000;

async function load(root: string) {
  const m = async (p: string) => import(`${root}/src/${p}`);
  const rep = await m('reputation/index.ts');
  const ident = await m('identity/index.ts');
  const scr = await m('operations/screening/screen.ts');
  const app = await m('app-context.ts');
  const sc = await m('screening/index.ts');
  const cfg = await m('config.ts');
  const now = Date.now();
  const index = new rep.ReputationIndex();
  const reps = [1, 2, 6, 12].map((k: number) => rep.scoreEvidence(Array.from({ length: k }, (_, i) => ({ source: 'crowd', category: 'fraud', at: now - 1000, reporter: `r${i}` })), now));
  for (let i = 0; i < N; i++) index.set(`+86139${String(i).padStart(8, '0')}`, reps[i & 3]);
  const hash = (c: string) => ident.hashIdentifier('bench', c);
  const ctx = { config: cfg.loadConfig({}, { dbPath: ':memory:' }), index, policies: new sc.PolicyBook(), hash, now: () => now, area: app.createAreaStates(), logger: { warn() {}, error() {}, info() {}, debug() {} } };
  // An app whose subscribers have policies without any of the new rules (half the callees).
  const policy = sc.compilePolicy({ contacts: ['+8613911112222'] }, hash, 'CN');
  const callees = Array.from({ length: 1000 }, (_, i) => `+86138${String(i).padStart(8, '0')}`);
  callees.forEach((c, i) => i % 2 === 0 && ctx.policies.set('bench-app', hash(c), policy));
  return { screen: scr.screen, ctx, callees };
}

const callers = Array.from({ length: 100_000 }, (_, i) => (i % 10 === 9 ? `+86137${String(i).padStart(8, '0')}` : `+86139${String((i * 7919) % N).padStart(8, '0')}`));
const sides = { old: await load(oldRoot), new: await load(new URL('../..', import.meta.url).pathname.replace(/\/$/, '')) };
function round(side: typeof sides.old, asker: string): number {
  const t = performance.now();
  let sink = 0;
  for (let i = 0; i < CALLS; i++) sink += side.screen(side.ctx, { caller: callers[i % callers.length], callee: side.callees[i % side.callees.length], channel: 'pstn' }, asker).score;
  if (sink < 0) console.log(sink);
  return CALLS / ((performance.now() - t) / 1000);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const asker of ['bench-carrier', 'bench-app']) {
  for (const s of Object.values(sides)) round(s, asker); // warm-up
  const r = { old: [] as number[], new: [] as number[] };
  for (let k = 0; k < ROUNDS; k++) {
    const order = k % 2 === 0 ? (['old', 'new'] as const) : (['new', 'old'] as const);
    for (const o of order) r[o].push(round(sides[o], asker));
  }
  console.log(`${asker}: old median ${Math.round(median(r.old))}/s, new median ${Math.round(median(r.new))}/s, ratio ${(median(r.new) / median(r.old)).toFixed(3)}`);
}
