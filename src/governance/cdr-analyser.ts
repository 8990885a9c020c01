import type { Category } from '../reputation/index.js';
import { CDR_THRESHOLDS } from './cdr-thresholds.js';
import type { CdrThresholds } from './cdr-thresholds.js';
import { fastE164Digits, fastE164DigitsAt } from './fast-e164.js';
import { NumberSlots } from './number-slots.js';

export interface CallerFeatures {
  readonly calls: number;
  /** Most calls in any sliding 60-minute window (5-minute steps). */
  readonly peakHour: number;
  /** Distinct callees (exact up to 4, then a HyperLogLog estimate). */
  readonly distinctCallees: number;
  readonly shortShare: number;
  readonly answerRate: number;
  readonly sequentialShare: number;
  readonly nightShare: number;
  readonly dncShare: number;
  readonly attestationCShare: number;
  readonly firstAt: number;
  readonly lastAt: number;
}

export interface PatternFlag {
  /** E.164 of the caller. */
  readonly caller: string;
  readonly category: Category;
  readonly pattern: 'robocall' | 'sequential-dialling' | 'harassment' | 'dnc-marketing';
  /** The readable reason, e.g. "1,240 calls in an hour to 1,180 distinct numbers, 92% under 10 s". */
  readonly origin: string;
  readonly features: CallerFeatures;
  /** The label column of a generated file, when present (for evaluation only). */
  readonly label?: string;
}

export interface CdrIssue {
  readonly line: number;
  readonly reason: string;
}

export interface AnalyserOptions {
  /** Local time offset for the night share, minutes east of UTC (480 for China). */
  readonly utcOffsetMinutes?: number;
  /** Is this callee (E.164 digits as an integer) on the do-not-call list? */
  readonly onDnc?: (digits: number) => boolean;
  /** Parses a number that is not canonical E.164 (national formats); returns the digits or throws. */
  readonly parseOther?: (raw: string, field: string) => number;
  /** Keep at most this many malformed-line reports (all are counted). */
  readonly maxIssues?: number;
  /** Read the label column of a generated file (only for evaluation; costs a string per row). */
  readonly readLabels?: boolean;
  /** When a caller's pattern becomes evidence (default CDR_THRESHOLDS). */
  readonly thresholds?: CdrThresholds;
  /** Every parsed call (caller and callee digits, ms), for collectors such as the campaign grouping. */
  readonly onRecord?: (caller: number, callee: number, at: number) => void;
  /** Is this callee (E.164 digits) a honeypot line? Calls to one are kept in `honeypotHits` (issue 15). */
  readonly honeypot?: (digits: number) => boolean;
}

/** A call to a honeypot line seen in the records (digits of caller and callee, ms). */
export interface CdrHoneypotHit {
  readonly caller: number;
  readonly callee: number;
  readonly at: number;
}

const BUCKET_MS = 5 * 60_000;
const RING = 12; // 12 × 5 minutes = one hour
const INLINE = 4;
// Offsets in a caller's STRIDE doubles. One record, not an array per field: a call then touches
// 4 cache lines instead of about 15, and an array per field measured 5-14% slower (BENCHMARKS.md).
const F_CALLS = 0, F_SHORT = 1, F_ANSWERED = 2, F_NIGHT = 3, F_SEQ = 4, F_DNC = 5, F_ATT_C = 6, F_PEAK = 7;
const F_WINDOW = 8, F_INLINE_N = 9, F_LABEL = 10, F_LAST_CALLEE = 11, F_HEAD = 12, F_FIRST = 13, F_LAST = 14, F_SKETCH = 15;
const F_RING = 16; // RING buckets
const F_INLINE = F_RING + RING; // INLINE callees
const STRIDE = 32;
/** A caller in delta(): slot and number (two doubles), then its record. */
const DELTA_ENTRY = 16 + STRIDE * 8;
// HyperLogLog (Flajolet et al. 2007) with 256 one-byte registers: 256 bytes per caller past four
// distinct callees, standard error about 6.5%, with the linear-counting correction for small counts.
const HLL_M = 256;
const HLL_ALPHA = 0.7213 / (1 + 1.079 / HLL_M);
/** 2^-r for every byte a register can hold (ranks go to 25): a look-up instead of Math.pow 256 times a caller's estimate. */
const TWO_TO_MINUS = Float64Array.from({ length: 256 }, (_, r) => 2 ** -r);
const TWO32 = 4294967296;
const HEADER = ['caller', 'callee', 'start', 'duration', 'answered', 'attestation'] as const;
const MAX_DURATION_S = 86_400 * 2;

function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}
function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** 2026-11-01T08:15:30Z (fast), any other ISO-8601 date-time, or seconds since the epoch. */
function two(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -100;
}

// Days in each month (February's 29th is checked against the year): without it "2026-02-31" was
// read as 3 March, both here and by Date.parse.
const MONTH_DAYS = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
function realDay(y: number, mo: number, da: number): boolean {
  return da <= MONTH_DAYS[mo]! && (mo !== 2 || da < 29 || (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)));
}

/** YYYY-MM-DDTHH:MM:SSZ at offset o of s, or NaN. */
function parseStartAt(s: string, o: number): number {
  if (s.charCodeAt(o + 19) !== 90 /* Z */ || s.charCodeAt(o + 10) !== 84 /* T */ || s.charCodeAt(o + 4) !== 45 || s.charCodeAt(o + 7) !== 45) return NaN;
  const y = two(s, o) * 100 + two(s, o + 2);
  const mo = two(s, o + 5);
  const da = two(s, o + 8);
  const h = two(s, o + 11);
  const mi = two(s, o + 14);
  const se = two(s, o + 17);
  if (mo >= 1 && mo <= 12 && da >= 1 && da <= 31 && h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && se >= 0 && se <= 60 && y >= 1970 && realDay(y, mo, da)) return Date.UTC(y, mo - 1, da, h, mi, se);
  return NaN;
}

function parseStart(s: string): number {
  if (s.length === 20) return parseStartAt(s, 0);
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(s)) return realDay(Number(s.slice(0, 4)), Number(s.slice(5, 7)), Number(s.slice(8, 10))) ? Date.parse(s) : NaN;
  if (/^\d{9,10}$/.test(s)) return Number(s) * 1000;
  return NaN;
}

function parseAnswered(s: string): number {
  switch (s) {
    case '1': case 'true': case 'Y': case 'y': case 'yes': case 'TRUE': return 1;
    case '0': case 'false': case 'N': case 'n': case 'no': case 'FALSE': return 0;
    default: return -1;
  }
}

function hash32(n: number): number {
  let h = Math.imul((n >>> 0) ^ Math.imul(Math.floor(n / TWO32), 0x85ebca6b), 0x9e3779b1);
  h ^= h >>> 15;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 13;
  h = Math.imul(h, 0x27d4eb2f);
  h ^= h >>> 16;
  return h >>> 0;
}

function hllAdd(pool: Uint8Array, off: number, callee: number): void {
  const h = hash32(callee);
  const w = (h << 8) >>> 0;
  const rank = w === 0 ? 25 : Math.clz32(w) + 1;
  const r = off + (h >>> 24);
  if (rank > pool[r]!) pool[r] = rank;
}

/**
 * Streams call detail records line by line and keeps per-caller counters in one typed array (256
 * bytes a caller, whatever the number of records): totals, a ring of twelve 5-minute buckets
 * for the sliding hour, the last callee for sequential dialling, and a 256-byte HyperLogLog of
 * callees only for callers past four distinct callees. Records are not kept. The sliding hour assumes
 * records come roughly in time order, as switches write them; a record more than an hour older
 * than the caller's latest counts in every total but not in the peak hour.
 */
export class CdrAnalyser {
  readonly issues: CdrIssue[] = [];
  malformed = 0;
  rows = 0;
  private columns: number[] = [0, 1, 2, 3, 4, 5];
  private labelColumn = -1;
  private width = 6;
  private sawHeader = false;
  private readonly slotOf = new NumberSlots();
  private defaultOrder = true;
  private n = 0;
  private cap = 0;
  /** One caller's counters in STRIDE adjacent doubles (four cache lines), so a record touches one place. */
  private st = new Float64Array(0);
  private pool = new Uint8Array(HLL_M * 1024);
  private poolUsed = 0;
  private readonly callerDigits: number[] = [];
  private readonly labels: string[] = [''];
  private readonly offsetMs: number;
  private readonly maxIssues: number;
  private readonly onDnc: ((digits: number) => boolean) | null;
  private readonly honeypot: ((digits: number) => boolean) | null;
  private readonly onRecord: ((caller: number, callee: number, at: number) => void) | null;
  /** Calls to honeypot lines since the last drainHoneypotHits() (at most 100,000 kept; later ones are dropped). */
  private hits: CdrHoneypotHit[] = [];
  // Slots changed since the last changedSlots() (only once trackChanges() was called): the streamed
  // consumer checkpoints just these callers.
  private dirty: Uint8Array | null = null;
  private dirtyList: number[] = [];
  private readonly readLabels: boolean;
  private readonly t: CdrThresholds;

  constructor(private readonly opts: AnalyserOptions = {}) {
    this.t = opts.thresholds ?? CDR_THRESHOLDS;
    this.offsetMs = (opts.utcOffsetMinutes ?? 480) * 60_000;
    this.maxIssues = opts.maxIssues ?? 1000;
    this.onDnc = opts.onDnc ?? null;
    this.honeypot = opts.honeypot ?? null;
    this.onRecord = opts.onRecord ?? null;
    this.readLabels = opts.readLabels === true;
    this.grow(1024);
  }

  /** The honeypot calls seen since the last call, and forgets them. */
  drainHoneypotHits(): CdrHoneypotHit[] {
    const out = this.hits;
    this.hits = [];
    return out;
  }

  get callers(): number {
    return this.n;
  }

  private grow(cap: number): void {
    const st = new Float64Array(cap * STRIDE);
    st.set(this.st);
    this.st = st;
    this.cap = cap;
    if (this.dirty !== null) {
      const d = new Uint8Array(cap);
      d.set(this.dirty);
      this.dirty = d;
    }
  }

  private issue(line: number, reason: string): void {
    this.malformed++;
    if (this.issues.length < this.maxIssues) this.issues.push({ line, reason });
  }

  private number(raw: string, field: string): number {
    const v = fastE164Digits(raw);
    if (v >= 0) return v;
    if (!this.opts.parseOther) throw new Error(`${field} "${raw}" is not an E.164 number`);
    return this.opts.parseOther(raw, field);
  }

  /** One line of the CSV (without its line break); `lineNo` is 1-based. */
  addLine(line: string, lineNo: number): void {
    if (line.length === 0 || (line.length === 1 && line.charCodeAt(0) === 13)) return;
    if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
    if (!this.sawHeader) {
      this.sawHeader = true;
      if (this.readHeader(line, lineNo)) return;
    }
    if (this.defaultOrder && this.fastLine(line)) return;
    const f = line.split(',');
    if (f.length < this.width) {
      this.issue(lineNo, `expected ${this.width} columns (${HEADER.join(', ')}), found ${f.length}`);
      return;
    }
    const c = this.columns;
    let caller: number;
    let callee: number;
    let field = 'caller';
    try {
      caller = this.number(f[c[0]!]!.trim(), field);
      field = 'callee';
      callee = this.number(f[c[1]!]!.trim(), field);
    } catch (err) {
      const message = (err as Error).message;
      this.issue(lineNo, message.startsWith(field) ? message : `${field}: ${message}`);
      return;
    }
    const at = parseStart(f[c[2]!]!.trim());
    if (Number.isNaN(at)) {
      this.issue(lineNo, `start "${f[c[2]!]}" is not an ISO-8601 date-time`);
      return;
    }
    const durText = f[c[3]!]!.trim();
    const duration = durText === '' ? NaN : Number(durText);
    if (!(duration >= 0) || duration > MAX_DURATION_S) {
      this.issue(lineNo, `duration "${durText}" is not a number of seconds`);
      return;
    }
    const answered = parseAnswered(f[c[4]!]!.trim());
    if (answered < 0) {
      this.issue(lineNo, `answered "${f[c[4]!]}" must be 1/0, true/false or Y/N`);
      return;
    }
    const att = f[c[5]!]!.trim();
    if (att !== '' && att !== 'A' && att !== 'B' && att !== 'C') {
      this.issue(lineNo, `attestation "${att}" must be A, B, C or empty`);
      return;
    }
    this.rows++;
    this.record(caller, callee, at, duration, answered === 1, att === 'C', this.readLabels && this.labelColumn >= 0 ? (f[this.labelColumn] ?? '').trim() : '');
  }

  /**
   * The common case without splitting the line: columns in the default order, canonical E.164,
   * YYYY-MM-DDTHH:MM:SSZ, whole seconds, 1/0, A/B/C/empty. Anything else returns false and the
   * general path parses the line (and reports it, with its line number, if it is malformed).
   */
  private fastLine(line: string): boolean {
    const c1 = line.indexOf(',');
    const c2 = line.indexOf(',', c1 + 1);
    const c3 = line.indexOf(',', c2 + 1);
    const c4 = line.indexOf(',', c3 + 1);
    const c5 = line.indexOf(',', c4 + 1);
    if (c5 < 0) return false;
    let c6 = line.indexOf(',', c5 + 1);
    if (c6 < 0) c6 = line.length;
    const caller = fastE164DigitsAt(line, 0, c1);
    if (caller < 0) return false;
    const callee = fastE164DigitsAt(line, c1 + 1, c2);
    if (callee < 0) return false;
    if (c3 - c2 !== 21) return false;
    const at = parseStartAt(line, c2 + 1);
    if (at !== at) return false;
    if (c4 - c3 < 2 || c4 - c3 > 7) return false;
    let duration = 0;
    for (let i = c3 + 1; i < c4; i++) {
      const d = line.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return false;
      duration = duration * 10 + d;
    }
    // The general path's bound (two days); past it the general path reports the line as malformed.
    if (duration > MAX_DURATION_S) return false;
    if (c5 - c4 !== 2) return false;
    const ans = line.charCodeAt(c4 + 1);
    if (ans !== 48 && ans !== 49) return false;
    const attLen = c6 - c5 - 1;
    let attC = false;
    if (attLen === 1) {
      const a = line.charCodeAt(c5 + 1);
      if (a < 65 || a > 67) return false;
      attC = a === 67;
    } else if (attLen !== 0) return false;
    this.rows++;
    this.record(caller, callee, at, duration, ans === 49, attC, this.readLabels && this.labelColumn === 6 && c6 < line.length ? line.slice(c6 + 1).trim() : '');
    return true;
  }

  private readHeader(line: string, lineNo: number): boolean {
    const cols = line.split(',').map((s) => s.trim().toLowerCase());
    if (!cols.includes('caller')) return false; // no header: the default column order
    const missing = HEADER.filter((h) => !cols.includes(h));
    if (missing.length) {
      this.issue(lineNo, `the header lacks ${missing.join(', ')}`);
      throw new HeaderError(`the CSV header lacks the column(s) ${missing.join(', ')}; expected ${HEADER.join(', ')}`);
    }
    this.columns = HEADER.map((h) => cols.indexOf(h));
    this.defaultOrder = this.columns.every((c, i) => c === i);
    this.labelColumn = cols.indexOf('label');
    this.width = Math.max(...this.columns) + 1;
    return true;
  }

  private slot(caller: number): number {
    let s = this.slotOf.get(caller);
    if (s < 0) {
      s = this.n++;
      if (s >= this.cap) this.grow(this.cap * 2);
      this.slotOf.set(caller, s);
      this.callerDigits.push(caller);
      const b = s * STRIDE;
      this.st[b + F_HEAD] = -Infinity;
      this.st[b + F_FIRST] = Infinity;
      this.st[b + F_LAST] = -Infinity;
      this.st[b + F_LAST_CALLEE] = -1;
      this.st[b + F_SKETCH] = -1;
    }
    return s;
  }

  /** One call. Exposed for callers that already hold parsed records (POST /v1/cdr, tests). */
  record(caller: number, callee: number, at: number, durationS: number, answered: boolean, attestationC: boolean, label = ''): void {
    const s = this.slot(caller);
    const b = s * STRIDE;
    if (this.dirty !== null && this.dirty[s] === 0) {
      this.dirty[s] = 1;
      this.dirtyList.push(s);
    }
    const T = this.t;
    const st = this.st; // after slot(), which replaces the array when it grows
    st[b + F_CALLS]!++;
    if (durationS < T.shortSeconds) st[b + F_SHORT]!++;
    if (answered) st[b + F_ANSWERED]!++;
    if (attestationC) st[b + F_ATT_C]!++;
    const hour = Math.floor((at + this.offsetMs) / 3_600_000) % 24;
    if (hour >= T.nightStartHour || hour < T.nightEndHour) st[b + F_NIGHT]!++;
    const prev = st[b + F_LAST_CALLEE]!;
    if (prev >= 0 && callee > prev && callee - prev <= T.sequentialStep) st[b + F_SEQ]!++;
    st[b + F_LAST_CALLEE] = callee;
    if (this.onDnc !== null && this.onDnc(callee)) st[b + F_DNC]!++;
    if (this.honeypot !== null && this.honeypot(callee) && this.hits.length < 100_000) this.hits.push({ caller, callee, at });
    if (this.onRecord !== null) this.onRecord(caller, callee, at);
    if (at < st[b + F_FIRST]!) st[b + F_FIRST] = at;
    if (at > st[b + F_LAST]!) st[b + F_LAST] = at;
    if (label) {
      let li = this.labels.indexOf(label);
      if (li < 0) li = this.labels.push(label) - 1;
      st[b + F_LABEL] = li;
    }

    // Sliding hour: a ring of twelve 5-minute buckets ending at the caller's latest bucket, with
    // its running sum.
    const bucket = Math.floor(at / BUCKET_MS);
    const head = st[b + F_HEAD]!;
    const ring = b + F_RING;
    if (bucket > head) {
      if (bucket - head >= RING) {
        st.fill(0, ring, ring + RING);
        st[b + F_WINDOW] = 0;
      } else {
        let sum = st[b + F_WINDOW]!;
        for (let k = head + 1; k <= bucket; k++) {
          const r = ring + (k % RING);
          sum -= st[r]!;
          st[r] = 0;
        }
        st[b + F_WINDOW] = sum;
      }
      st[b + F_HEAD] = bucket;
    }
    if (bucket > head - RING) {
      st[ring + (bucket % RING)]!++;
      const sum = ++st[b + F_WINDOW]!;
      if (sum > st[b + F_PEAK]!) st[b + F_PEAK] = sum;
    }

    // Distinct callees: exact for the first four, then a HyperLogLog in the shared pool.
    const off = st[b + F_SKETCH]!;
    if (off >= 0) {
      hllAdd(this.pool, off, callee);
      return;
    }
    const m = st[b + F_INLINE_N]!;
    const ib = b + F_INLINE;
    for (let k = 0; k < m; k++) if (st[ib + k] === callee) return;
    if (m < INLINE) {
      st[ib + m] = callee;
      st[b + F_INLINE_N] = m + 1;
      return;
    }
    if (this.poolUsed + HLL_M > this.pool.length) {
      const bigger = new Uint8Array(this.pool.length * 2);
      bigger.set(this.pool);
      this.pool = bigger;
    }
    const o = this.poolUsed;
    this.poolUsed += HLL_M;
    st[b + F_SKETCH] = o;
    for (let k = 0; k < INLINE; k++) hllAdd(this.pool, o, st[ib + k]!);
    hllAdd(this.pool, o, callee);
  }

  private distinct(s: number): number {
    const b = s * STRIDE;
    const off = this.st[b + F_SKETCH]!;
    if (off < 0) return this.st[b + F_INLINE_N]!;
    let sum = 0;
    let zeros = 0;
    for (let j = 0; j < HLL_M; j++) {
      const r = this.pool[off + j]!;
      sum += TWO_TO_MINUS[r]!;
      if (r === 0) zeros++;
    }
    let est = (HLL_ALPHA * HLL_M * HLL_M) / sum;
    if (est <= 2.5 * HLL_M && zeros > 0) est = HLL_M * Math.log(HLL_M / zeros);
    return Math.min(this.st[b + F_CALLS]!, Math.max(INLINE + 1, Math.round(est)));
  }

  featuresOf(s: number): CallerFeatures {
    const st = this.st;
    const b = s * STRIDE;
    const calls = st[b + F_CALLS]!;
    return {
      calls,
      peakHour: st[b + F_PEAK]!,
      distinctCallees: this.distinct(s),
      shortShare: st[b + F_SHORT]! / calls,
      answerRate: st[b + F_ANSWERED]! / calls,
      sequentialShare: calls > 1 ? st[b + F_SEQ]! / (calls - 1) : 0,
      nightShare: st[b + F_NIGHT]! / calls,
      dncShare: st[b + F_DNC]! / calls,
      attestationCShare: st[b + F_ATT_C]! / calls,
      firstAt: st[b + F_FIRST]!,
      lastAt: st[b + F_LAST]!,
    };
  }

  /** Applies the thresholds to every caller; returns the flagged ones with their reasons. */
  flags(): PatternFlag[] {
    const out: PatternFlag[] = [];
    for (let s = 0; s < this.n; s++) {
      const f = this.flagOf(s);
      if (f) out.push(f);
    }
    return out;
  }

  /** The number of the caller in slot `s` (+E.164). */
  callerAt(s: number): string {
    return `+${this.callerDigits[s]}`;
  }

  /** The flag of the caller in slot `s`, or null. */
  flagOf(s: number): PatternFlag | null {
    const T = this.t;
    if (this.st[s * STRIDE + F_CALLS]! < T.minCalls) return null;
    const f = this.featuresOf(s);
    const flag = classify(f, T);
    if (!flag) return null;
    const li = this.st[s * STRIDE + F_LABEL]!;
    return { caller: `+${this.callerDigits[s]}`, ...flag, features: f, ...(li ? { label: this.labels[li]! } : {}) };
  }

  /** From now on remember which callers change (see changedSlots). */
  trackChanges(): void {
    if (this.dirty === null) this.dirty = new Uint8Array(this.cap);
  }

  /**
   * The slots of the callers changed since the last call (ascending), and forgets them; a
   * checkpoint that then fails gives them back with markChanged.
   */
  changedSlots(): number[] {
    const out = this.dirtyList.sort((a, b) => a - b);
    this.dirtyList = [];
    if (this.dirty !== null) for (const s of out) this.dirty[s] = 0;
    return out;
  }

  markChanged(slots: readonly number[]): void {
    if (this.dirty === null) return;
    for (const s of slots) {
      if (this.dirty[s] === 0) {
        this.dirty[s] = 1;
        this.dirtyList.push(s);
      }
    }
  }

  /**
   * The next line may be a header again (each message of a call-record stream carries its file's
   * header, so the stream's column order follows each message, not the first file published).
   */
  expectHeader(): void {
    this.sawHeader = false;
    this.columns = [0, 1, 2, 3, 4, 5];
    this.defaultOrder = true;
    this.labelColumn = -1;
    this.width = 6;
  }

  /**
   * Every counter as bytes (the streamed consumer's checkpoint): a JSON head (totals, the first
   * issues, labels) and the per-caller records, caller numbers and distinct-callee sketches as
   * they are in memory. `CdrAnalyser.restore` gives back an analyser that continues exactly
   * where this one stood.
   */
  snapshot(): Uint8Array {
    const head = Buffer.from(JSON.stringify({ v: 1, n: this.n, poolUsed: this.poolUsed, rows: this.rows, malformed: this.malformed, issues: this.issues, labels: this.labels }), 'utf8');
    const headLen = (head.length + 7) & ~7;
    const stBytes = this.n * STRIDE * 8;
    const out = new Uint8Array(8 + headLen + stBytes + this.n * 8 + this.poolUsed);
    const view = new DataView(out.buffer);
    view.setUint32(0, head.length, true);
    out.set(head, 8);
    let o = 8 + headLen;
    out.set(new Uint8Array(this.st.buffer, 0, stBytes), o);
    o += stBytes;
    out.set(new Uint8Array(Float64Array.from(this.callerDigits).buffer), o);
    o += this.n * 8;
    out.set(this.pool.subarray(0, this.poolUsed), o);
    return out;
  }

  /**
   * The counters of these callers only, with the totals (an incremental checkpoint): the same
   * JSON head as snapshot(), then per caller its slot, number and record, and its callee sketch
   * when it has one. A sketch's place in the pool never changes once given, so applyDelta writes
   * it back at the same offset.
   */
  delta(slots: readonly number[]): Uint8Array {
    const head = Buffer.from(JSON.stringify({ v: 1, n: this.n, poolUsed: this.poolUsed, rows: this.rows, malformed: this.malformed, issues: this.issues, labels: this.labels }), 'utf8');
    const headLen = (head.length + 7) & ~7;
    let size = 8 + headLen;
    for (const s of slots) size += DELTA_ENTRY + (this.st[s * STRIDE + F_SKETCH]! >= 0 ? HLL_M : 0);
    const out = new Uint8Array(size);
    const view = new DataView(out.buffer);
    view.setUint32(0, head.length, true);
    out.set(head, 8);
    let o = 8 + headLen;
    const stBytes = new Uint8Array(this.st.buffer);
    for (const s of slots) {
      view.setFloat64(o, s, true);
      view.setFloat64(o + 8, this.callerDigits[s]!, true);
      out.set(stBytes.subarray(s * STRIDE * 8, (s + 1) * STRIDE * 8), o + 16);
      o += DELTA_ENTRY;
      const sk = this.st[s * STRIDE + F_SKETCH]!;
      if (sk >= 0) {
        out.set(this.pool.subarray(sk, sk + HLL_M), o);
        o += HLL_M;
      }
    }
    return out;
  }

  /** Applies a delta() taken after the snapshot (or the deltas) this analyser was restored from. */
  applyDelta(bytes: Uint8Array): void {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const headLen = view.getUint32(0, true);
    const head = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + 8, headLen).toString('utf8')) as { v: number; n: number; poolUsed: number; rows: number; malformed: number; issues: CdrIssue[]; labels: string[] };
    if (head.v !== 1) throw new Error(`unknown call-record analyser delta version ${head.v}`);
    let cap = this.cap;
    while (cap < head.n) cap *= 2;
    if (cap !== this.cap) this.grow(cap);
    let poolCap = this.pool.length;
    while (poolCap < head.poolUsed) poolCap *= 2;
    if (poolCap !== this.pool.length) {
      const bigger = new Uint8Array(poolCap);
      bigger.set(this.pool);
      this.pool = bigger;
    }
    const record = new Float64Array(STRIDE);
    const recordBytes = new Uint8Array(record.buffer);
    let o = 8 + ((headLen + 7) & ~7);
    while (o < bytes.length) {
      const s = view.getFloat64(o, true);
      const digits = view.getFloat64(o + 8, true);
      recordBytes.set(bytes.subarray(o + 16, o + DELTA_ENTRY));
      o += DELTA_ENTRY;
      this.st.set(record, s * STRIDE);
      if (this.callerDigits[s] === undefined) {
        // New since the base: slots are given in order, and a delta carries every new one.
        this.callerDigits[s] = digits;
        this.slotOf.set(digits, s);
      }
      const sk = record[F_SKETCH]!;
      if (sk >= 0) {
        this.pool.set(bytes.subarray(o, o + HLL_M), sk);
        o += HLL_M;
      }
    }
    this.n = head.n;
    this.poolUsed = head.poolUsed;
    this.rows = head.rows;
    this.malformed = head.malformed;
    this.issues.length = 0;
    this.issues.push(...head.issues);
    this.labels.length = 0;
    this.labels.push(...head.labels);
  }

  /** An analyser holding the counters of `snapshot()` (same options as the one that took it). */
  static restore(bytes: Uint8Array, opts: AnalyserOptions = {}): CdrAnalyser {
    const a = new CdrAnalyser(opts);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const headLen = view.getUint32(0, true);
    const head = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + 8, headLen).toString('utf8')) as { v: number; n: number; poolUsed: number; rows: number; malformed: number; issues: CdrIssue[]; labels: string[] };
    if (head.v !== 1) throw new Error(`unknown call-record analyser snapshot version ${head.v}`);
    let o = 8 + ((headLen + 7) & ~7);
    let cap = 1024;
    while (cap < head.n) cap *= 2;
    a.grow(cap);
    const stBytes = head.n * STRIDE * 8;
    new Uint8Array(a.st.buffer).set(bytes.subarray(o, o + stBytes));
    o += stBytes;
    const digits = new Float64Array(Uint8Array.prototype.slice.call(bytes, o, o + head.n * 8).buffer);
    o += head.n * 8;
    for (let s = 0; s < head.n; s++) {
      a.callerDigits.push(digits[s]!);
      a.slotOf.set(digits[s]!, s);
    }
    a.n = head.n;
    let poolCap = a.pool.length;
    while (poolCap < head.poolUsed) poolCap *= 2;
    if (poolCap !== a.pool.length) a.pool = new Uint8Array(poolCap);
    a.pool.set(bytes.subarray(o, o + head.poolUsed));
    a.poolUsed = head.poolUsed;
    a.rows = head.rows;
    a.malformed = head.malformed;
    a.issues.push(...head.issues);
    a.labels.length = 0;
    a.labels.push(...head.labels);
    return a;
  }

  /** Labels of every caller (from a generated file's label column), for precision/recall. */
  callerLabels(): Map<string, string> {
    const m = new Map<string, string>();
    for (let s = 0; s < this.n; s++) m.set(`+${this.callerDigits[s]}`, this.labels[this.st[s * STRIDE + F_LABEL]!] || 'normal');
    return m;
  }
}

export class HeaderError extends Error {}

function classify(f: CallerFeatures, T: CdrThresholds): Pick<PatternFlag, 'category' | 'pattern' | 'origin'> | null {
  const volume = `${fmt(f.calls)} calls to ${fmt(f.distinctCallees)} distinct number${f.distinctCallees === 1 ? '' : 's'}`;
  if (f.peakHour >= T.robocallPeakHour && f.shortShare >= T.robocallShortShare) {
    const seq = f.sequentialShare >= T.sequentialShare ? `, ${pct(f.sequentialShare)} dialled in number order` : '';
    return {
      category: 'robocall',
      pattern: 'robocall',
      origin: `${fmt(f.peakHour)} calls in an hour at peak; ${volume}, ${pct(f.shortShare)} under ${T.shortSeconds} s, ${pct(f.answerRate)} answered${seq}`,
    };
  }
  if (f.peakHour >= T.sequentialPeakHour && f.sequentialShare >= T.sequentialShare) {
    return {
      category: 'robocall',
      pattern: 'sequential-dialling',
      origin: `Dials number ranges in order: ${pct(f.sequentialShare)} of ${fmt(f.calls)} calls went to the next number, up to ${fmt(f.peakHour)} an hour`,
    };
  }
  if (f.calls >= T.harassmentCalls && f.distinctCallees <= T.harassmentMaxDistinct && (f.nightShare >= T.harassmentNightShare || f.answerRate <= T.harassmentMaxAnswerRate)) {
    return {
      category: 'harassment',
      pattern: 'harassment',
      origin: `${fmt(f.calls)} calls to ${f.distinctCallees === 1 ? 'one number' : `${f.distinctCallees} numbers`}, ${pct(f.nightShare)} at night, ${pct(f.answerRate)} answered`,
    };
  }
  if (f.calls >= T.dncCalls && f.dncShare >= T.dncShare) {
    return {
      category: 'harassment',
      pattern: 'dnc-marketing',
      origin: `${pct(f.dncShare)} of ${fmt(f.calls)} calls went to numbers on the do-not-call list`,
    };
  }
  return null;
}

/** Precision and recall of the flags against the label column of a generated file, per pattern label. */
export function evaluateFlags(flags: readonly PatternFlag[], labels: ReadonlyMap<string, string>): { label: string; truth: number; flagged: number; truePositives: number; precision: number; recall: number }[] {
  const byLabel = new Map<string, { truth: number; flagged: number; tp: number }>();
  const get = (l: string) => {
    let e = byLabel.get(l);
    if (!e) byLabel.set(l, (e = { truth: 0, flagged: 0, tp: 0 }));
    return e;
  };
  // Campaign numbers (label campaign-N) are scored by evaluateCampaigns, not here.
  for (const l of labels.values()) if (l !== 'normal' && !l.startsWith('campaign')) get(l).truth++;
  for (const f of flags) {
    const predicted = f.category === 'robocall' ? 'robocall' : 'harassment';
    const e = get(predicted);
    e.flagged++;
    if (labels.get(f.caller) === predicted) e.tp++;
  }
  return [...byLabel.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([label, e]) => ({ label, truth: e.truth, flagged: e.flagged, truePositives: e.tp, precision: e.flagged ? e.tp / e.flagged : 1, recall: e.truth ? e.tp / e.truth : 1 }));
}
