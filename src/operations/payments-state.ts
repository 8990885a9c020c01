// The payments check's hot state: what the transfer check reads without touching the database
// (flags by account, enrolments, per-payer history and known payees), plus the area's settings.
// It lives beside the AppContext (one per context, like the conversation guard's call registry),
// is loaded once on first use and is kept current by the operations that write it. On several
// nodes each keeps its own copy: docs/payments.md says what that means for freshness.
import type { AppContext } from '../app-context.js';
import { addAmount } from '../payments/index.js';
import type { AmountHistory, PayeeFlag, FlagLevel } from '../payments/index.js';
import { allLiveFlags } from '../store/payments-flags.js';
import { allHistory, allKnownPayees, allPayers } from '../store/payments-transfers.js';
import { allGuardianSubscribers } from '../store/payments-outbox.js';
import type { PayeeFlagsTable } from '../store/schema-payments.js';

export interface PaymentsSettings {
  /** How long a risky-call mark still counts after its last update (default 30 minutes). */
  riskyWindowMs: number;
  /** Time a bank has for the call-back check before a hold returns the money (default 24 h). */
  holdDeadlineMs: number;
  /** A freeze's life after approval unless extended (default 48 h). */
  freezeTtlMs: number;
  /** Webhook retry: first delay, cap, attempts before a delivery is parked as dead (still kept). */
  webhookBaseDelayMs: number;
  webhookMaxDelayMs: number;
  webhookMaxAttempts: number;
  webhookTimeoutMs: number;
  /** How often the dispatcher looks for due deliveries, deadlines and high-risk calls. */
  dispatchIntervalMs: number;
  /** A risky-call mark at or above this risk notifies the subscriber's guardians. */
  guardianAlertRisk: number;
}

export const DEFAULT_SETTINGS: Readonly<PaymentsSettings> = Object.freeze({
  riskyWindowMs: 30 * 60_000,
  holdDeadlineMs: 24 * 3_600_000,
  freezeTtlMs: 48 * 3_600_000,
  webhookBaseDelayMs: 5_000,
  webhookMaxDelayMs: 3_600_000,
  webhookMaxAttempts: 25,
  webhookTimeoutMs: 5_000,
  dispatchIntervalMs: 1_000,
  guardianAlertRisk: 0.8,
});

export interface FlagEntry extends PayeeFlag {
  readonly account: string;
}

export interface PaymentsState {
  readonly flags: Map<string, FlagEntry[]>;
  /** payer key → hashed subscriber */
  readonly payers: Map<string, string>;
  /** "payerKey|currency" → history of completed payments */
  readonly history: Map<string, AmountHistory>;
  /** payer key → accounts paid before */
  readonly payees: Map<string, Set<string>>;
  /** Subscribers who named guardians. */
  readonly guardianSubscribers: Set<string>;
  /** Risky calls whose guardians were already alerted (also deduplicated in the outbox). */
  readonly alertedCalls: Set<string>;
}

const settings = new WeakMap<AppContext, PaymentsSettings>();
const states = new WeakMap<AppContext, Promise<PaymentsState>>();

export function configurePayments(ctx: AppContext, overrides: Partial<PaymentsSettings>): PaymentsSettings {
  const next = { ...paymentsSettings(ctx), ...overrides };
  settings.set(ctx, next);
  return next;
}

export function paymentsSettings(ctx: AppContext): PaymentsSettings {
  return settings.get(ctx) ?? DEFAULT_SETTINGS;
}

export function flagEntryOf(row: PayeeFlagsTable): FlagEntry {
  return {
    id: row.id,
    account: row.account,
    level: row.level as FlagLevel,
    source: row.source,
    orgId: row.org_id,
    expiresAt: row.expires_at ? Date.parse(row.expires_at) : undefined,
    reporter: row.reporter_hash,
  };
}

export function rememberFlag(state: PaymentsState, row: PayeeFlagsTable): void {
  const list = state.flags.get(row.account) ?? [];
  list.push(flagEntryOf(row));
  state.flags.set(row.account, list);
}

export function forgetFlag(state: PaymentsState, account: string, id: string): void {
  const list = (state.flags.get(account) ?? []).filter((f) => f.id !== id);
  if (list.length) state.flags.set(account, list);
  else state.flags.delete(account);
}

export function rememberPayment(state: PaymentsState, payerKey: string, currency: string, account: string, amount: number): void {
  const k = `${payerKey}|${currency}`;
  state.history.set(k, addAmount(state.history.get(k), amount));
  let set = state.payees.get(payerKey);
  if (!set) state.payees.set(payerKey, (set = new Set()));
  set.add(account);
}

async function load(ctx: AppContext): Promise<PaymentsState> {
  const state: PaymentsState = { flags: new Map(), payers: new Map(), history: new Map(), payees: new Map(), guardianSubscribers: new Set(), alertedCalls: new Set() };
  const at = new Date(ctx.now()).toISOString();
  for await (const page of allLiveFlags(ctx.db, at)) for (const row of page) rememberFlag(state, row);
  for await (const page of allPayers(ctx.db)) for (const r of page) state.payers.set(r.k, r.subscriber_hash);
  for await (const page of allHistory(ctx.db)) {
    for (const r of page) state.history.set(`${r.payer_key}|${r.currency}`, { count: Number(r.count), mean: Number(r.mean), recent: (JSON.parse(r.recent) as number[]).map(Number) });
  }
  for await (const page of allKnownPayees(ctx.db)) {
    for (const r of page) {
      let set = state.payees.get(r.payer_key);
      if (!set) state.payees.set(r.payer_key, (set = new Set()));
      set.add(r.account);
    }
  }
  for (const s of await allGuardianSubscribers(ctx.db)) state.guardianSubscribers.add(s);
  return state;
}

/** The state for this context, loaded from the store on first use. */
export function paymentsState(ctx: AppContext): Promise<PaymentsState> {
  let p = states.get(ctx);
  if (!p) {
    p = load(ctx);
    states.set(ctx, p);
    p.catch(() => states.delete(ctx));
  }
  return p;
}
