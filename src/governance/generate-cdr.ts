import { seededRandom } from '../seeded-random.js';

// Synthetic call detail records with labelled, injected patterns. The data is made up: it drives
// the tests, the benchmark and the precision/recall figures in docs/governance.md, and says
// nothing about real traffic. Same (calls, seed) → the same file, byte for byte.
//
// Injected callers (the label column names them; the importer ignores it, `import cdr --evaluate`
// reads it):
// - robocall: bursts of 80-500 calls within about an hour, 85% under 10 s, a quarter answered,
//   half of them walking a number range in order; and slower diallers (30-90 calls an hour for
//   hours, always the next number). Bursts under 100 an hour and slow diallers under 40 are
//   meant to be missed.
// - harassment: 8-40 calls to one or two people over the period, mostly at night, many hung up.
//   Those under 12 calls are meant to be missed.
// Hard negatives labelled normal: call centres (60-150 calls an hour for a working day, long
// answered calls to different people) and family callers (5-14 calls to one or two numbers in a
// day; those reaching 12 are meant to be false positives).

export interface GenerateOptions {
  calls: number;
  seed: number;
  /** Local midnight of the first day, ms since epoch (default 2026-10-01 00:00 at UTC+8). */
  start?: number;
  utcOffsetMinutes?: number;
}

export const CDR_HEADER = 'caller,callee,start,duration,answered,attestation,label';

const DAY = 86_400_000;
const HOUR = 3_600_000;
// Relative call volume by local hour: quiet nights, busy days.
const HOURLY = [0.12, 0.08, 0.05, 0.05, 0.05, 0.1, 0.3, 0.7, 1, 1, 1, 1, 0.9, 1, 1, 1, 1, 0.95, 0.9, 0.85, 0.7, 0.5, 0.3, 0.18];

interface Event {
  t: number;
  caller: number;
  callee: number;
  dur: number;
  ans: number;
  att: string;
  label: string;
}

/** Yields the CSV (header first) in chunks of about 4,000 lines. */
export function* generateCdr(opts: GenerateOptions): Generator<string> {
  const rnd = seededRandom(opts.seed);
  const calls = Math.max(0, Math.floor(opts.calls));
  const offset = (opts.utcOffsetMinutes ?? 480) * 60_000;
  const start = opts.start ?? Date.UTC(2026, 9, 1) - offset;
  const days = Math.max(1, Math.ceil(calls / 2_000_000));
  const int = (a: number, b: number): number => a + Math.floor(rnd() * (b - a + 1));
  const mobile = (prefix: number): number => prefix * 1e8 + Math.floor(rnd() * 1e8); // prefix: 5 digits like 86139
  const randomCallee = (): number => (8613 + int(0, 6)) * 1e9 + Math.floor(rnd() * 1e9);
  const daytime = (d: number): number => start + d * DAY + (9 + rnd() * 9) * HOUR;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const s = calls / 1_000_000;

  const events: Event[] = [];
  const patternCallers: { n: number; events: Event[] }[] = [];
  const add = (list: Event[], e: Event): void => void list.push(e);

  const robocallers = Math.max(4, Math.round(10 * s));
  const harassers = Math.max(4, Math.round(10 * s));
  const centres = Math.max(3, Math.round(5 * s));
  const families = Math.max(6, Math.round(20 * s));
  for (let i = 0; i < robocallers; i++) {
    const caller = mobile(86170);
    const list: Event[] = [];
    const sequential = rnd() < 0.5;
    let next = randomCallee();
    if (rnd() < 0.7) {
      for (let b = int(1, 3); b > 0; b--) {
        const size = int(80, 500);
        const t0 = daytime(int(0, days - 1));
        const span = (40 + rnd() * 30) * 60_000;
        for (let k = 0; k < size; k++) {
          const callee = sequential ? (next += int(1, 2)) : randomCallee();
          const short = rnd() < 0.85;
          add(list, { t: t0 + (span * k) / size + rnd() * 2000, caller, callee, dur: short ? int(1, 9) : int(10, 40), ans: rnd() < 0.25 ? 1 : 0, att: rnd() < 0.4 ? 'C' : 'B', label: 'robocall' });
        }
      }
    } else {
      const perHour = int(30, 90);
      const hours = int(2, 4);
      const t0 = daytime(int(0, days - 1));
      for (let k = 0; k < perHour * hours; k++) {
        add(list, { t: t0 + (k * HOUR) / perHour + rnd() * 1000, caller, callee: (next += 1), dur: rnd() < 0.4 ? int(2, 9) : int(10, 60), ans: rnd() < 0.35 ? 1 : 0, att: 'B', label: 'robocall' });
      }
    }
    patternCallers.push({ n: caller, events: list });
  }
  for (let i = 0; i < harassers; i++) {
    const caller = mobile(86171);
    const targets = Array.from({ length: int(1, 2) }, randomCallee);
    const list: Event[] = [];
    for (let k = int(8, 40); k > 0; k--) {
      const d = int(0, days - 1);
      const night = rnd() < 0.6;
      const local = night ? (22 + rnd() * 7) % 24 : 8 + rnd() * 14;
      const hungUp = rnd() < 0.3;
      add(list, { t: start + d * DAY + local * HOUR, caller, callee: pick(targets), dur: hungUp ? int(0, 5) : int(10, 120), ans: hungUp ? 0 : rnd() < 0.4 ? 1 : 0, att: 'A', label: 'harassment' });
    }
    patternCallers.push({ n: caller, events: list });
  }
  for (let i = 0; i < centres; i++) {
    const caller = 86400 * 1e7 + Math.floor(rnd() * 1e7); // a 400 service number
    const perHour = int(60, 150);
    const d = int(0, days - 1);
    const list: Event[] = [];
    for (let k = 0; k < perHour * 8; k++) {
      add(list, { t: start + d * DAY + 9 * HOUR + (k * HOUR) / perHour, caller, callee: randomCallee(), dur: rnd() < 0.05 ? int(3, 9) : int(30, 600), ans: rnd() < 0.7 ? 1 : 0, att: 'A', label: 'normal' });
    }
    patternCallers.push({ n: caller, events: list });
  }
  for (let i = 0; i < families; i++) {
    const caller = mobile(86135);
    const targets = Array.from({ length: int(1, 2) }, randomCallee);
    const d = int(0, days - 1);
    const list: Event[] = [];
    for (let k = int(5, 14); k > 0; k--) add(list, { t: daytime(d), caller, callee: pick(targets), dur: int(15, 900), ans: rnd() < 0.8 ? 1 : 0, att: 'A', label: 'normal' });
    patternCallers.push({ n: caller, events: list });
  }
  // Campaigns (issue 15), labelled campaign-N: an operation rotating through 20-60 numbers, each
  // used for 10-30 short calls over about half an hour and then dropped, all calling from one pool
  // of 150 targets; every other campaign spoofs its targets' neighbours instead (each number
  // differs from its callees only in the last four digits, and calls that exchange).
  const campaigns = Math.max(2, Math.round(3 * s));
  for (let k = 0; k < campaigns; k++) {
    const spoof = k % 2 === 1;
    const targets = Array.from({ length: 150 }, randomCallee);
    let t = daytime(int(0, days - 1));
    for (let n = int(20, 60); n > 0; n--) {
      const exchange = Math.floor(pick(targets) / 1e4) * 1e4;
      const caller = spoof ? exchange + int(0, 9999) : mobile(86172);
      const list: Event[] = [];
      let at = t;
      for (let j = int(10, 30); j > 0; j--) {
        at += int(20, 90) * 1000;
        const callee = spoof ? exchange + int(0, 9999) : pick(targets);
        add(list, { t: at, caller, callee, dur: rnd() < 0.8 ? int(1, 20) : int(21, 90), ans: rnd() < 0.3 ? 1 : 0, att: rnd() < 0.5 ? 'C' : 'B', label: `campaign-${k}` });
      }
      patternCallers.push({ n: caller, events: list });
      t += int(10, 20) * 60_000;
    }
  }
  // Small files cannot hold every injected caller: drop some until they are at most 40% of the rows.
  let total = patternCallers.reduce((a, p) => a + p.events.length, 0);
  while (total > calls * 0.4 && patternCallers.length > 0) {
    const i = Math.floor(rnd() * patternCallers.length);
    total -= patternCallers[i]!.events.length;
    patternCallers.splice(i, 1);
  }
  for (const p of patternCallers) for (const e of p.events) events.push(e);
  events.sort((a, b) => a.t - b.t);

  // Background: ordinary subscribers, times warped through the daily profile so they stay in order.
  const bg = calls - events.length;
  const pool = Array.from({ length: Math.min(200_000, Math.max(50, Math.round(bg / 30))) }, () => mobile(86139));
  const cum: number[] = [];
  let acc = 0;
  for (const w of HOURLY) cum.push((acc += w));
  const timeOf = (u: number): number => {
    const dayPos = u * days;
    const d = Math.floor(dayPos);
    const target = (dayPos - d) * acc;
    let h = 0;
    while (h < 23 && cum[h]! < target) h++;
    const before = h === 0 ? 0 : cum[h - 1]!;
    return start + d * DAY + (h + (target - before) / HOURLY[h]!) * HOUR;
  };
  const iso = (t: number): string => `${new Date(Math.floor(t / 1000) * 1000).toISOString().slice(0, 19)}Z`;
  const line = (e: Event): string => `+${e.caller},+${e.callee},${iso(e.t)},${e.dur},${e.ans},${e.att},${e.label}\n`;

  let out = `${CDR_HEADER}\n`;
  let lines = 0;
  let pi = 0;
  const bgEvent: Event = { t: 0, caller: 0, callee: 0, dur: 0, ans: 0, att: 'A', label: 'normal' };
  for (let i = 0; i < bg; i++) {
    const t = timeOf((i + rnd()) / bg);
    while (pi < events.length && events[pi]!.t <= t) {
      out += line(events[pi++]!);
      if (++lines % 4000 === 0) {
        yield out;
        out = '';
      }
    }
    bgEvent.t = t;
    bgEvent.caller = pool[Math.floor(rnd() * pool.length)]!;
    bgEvent.callee = randomCallee();
    bgEvent.dur = rnd() < 0.12 ? int(1, 9) : 10 + Math.floor(-Math.log(1 - rnd()) * 110);
    bgEvent.ans = rnd() < 0.78 ? 1 : 0;
    const a = rnd();
    bgEvent.att = a < 0.8 ? 'A' : a < 0.92 ? 'B' : 'C';
    out += line(bgEvent);
    if (++lines % 4000 === 0) {
      yield out;
      out = '';
    }
  }
  while (pi < events.length) out += line(events[pi++]!);
  if (out) yield out;
}
