// The payments check's hot state: what the transfer check reads without touching the database
// (flags by account, enrolments, per-payer history and known payees), plus the area's settings.
// It is the payments area's state on the AppContext (ctx.area), loaded once on first use and kept
// current by the operations that write it. On several nodes each keeps its own copy, and every write also goes to the change log (CHANGE_KINDS) so the
// other nodes reload what changed (docs/payments.md, docs/scaling.md).
import { areaState } from '../../app-context.js';
import type { AppContext } from '../../app-context.js';
import type { Config } from '../../config.js';
import { addAmount } from '../../payments/index.js';
import type { AmountHistory, PayeeFlag, FlagLevel } from '../../payments/index.js';
import { allLiveFlags, flagsByIds } from '../../store/payments/flags.js';
import { allHistory, allKnownPayees, allPayers, historiesOf, knownPayeePairs, payersByKeys } from '../../store/payments/transfers.js';
import { allGuardianSubscribers, guardiansOfSubscriber } from '../../store/payments/outbox.js';
import { activeFrozenAccounts, freezeStates } from '../../store/payments/freezes.js';
import type { PayeeFlagsTable } from '../../store/payments/schema.js';

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

/** The settings an operator tunes come from the config (CALLSHIELD_RISKY_CALL_WINDOW_MINUTES, ...; see src/config.ts). */
export function settingsFromConfig(config: Config): PaymentsSettings {
  return {
    riskyWindowMs: config.riskyCallWindowMinutes * 60_000,
    holdDeadlineMs: config.holdDeadlineHours * 3_600_000,
    freezeTtlMs: config.freezeHours * 3_600_000,
    webhookBaseDelayMs: 5_000,
    webhookMaxDelayMs: 3_600_000,
    webhookMaxAttempts: config.webhookMaxAttempts,
    webhookTimeoutMs: config.webhookTimeoutMs,
    dispatchIntervalMs: 1_000,
    guardianAlertRisk: config.guardianAlertRisk,
  };
}

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
  /** Account → the active freezes on it (freeze id → expiry in ms): a transfer to it is blocked (FREEZE_ACTIVE). */
  readonly frozen: Map<string, Map<string, number>>;
}

/**
 * Change log kinds (ctx.publish / ctx.onChange) and their keys: a flag by its id; an enrolment by
 * the payer key (the keyed hash); a completed payment by "payerKey|currency|account" (history and
 * known payee; the payer key is base64url and the currency three letters, so the account is the
 * rest); guardians by the hashed subscriber; a freeze (approved, released, expired) by its id.
 */
export const CHANGE_KINDS = { flag: 'payments.flag', payer: 'payments.payer', history: 'payments.history', guardians: 'payments.guardians', freeze: 'payments.freeze' } as const;

export function paymentKey(payerKey: string, currency: string, account: string): string {
  return `${payerKey}|${currency}|${account}`;
}

/** The payments area on one context: its settings, its state once loading began. */
interface PaymentsArea {
  settings: PaymentsSettings | undefined;
  state: Promise<PaymentsState> | undefined;
}

const PAYMENTS = areaState<PaymentsArea>('payments', () => ({ settings: undefined, state: undefined }));

export function configurePayments(ctx: AppContext, overrides: Partial<PaymentsSettings>): PaymentsSettings {
  const area = ctx.area(PAYMENTS);
  area.settings = { ...paymentsSettings(ctx), ...overrides };
  return area.settings;
}

export function paymentsSettings(ctx: AppContext): PaymentsSettings {
  const area = ctx.area(PAYMENTS);
  return (area.settings ??= settingsFromConfig(ctx.config));
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

/** Sets what one freeze means for the transfer check: its accounts are frozen while it is active and unexpired. */
export function rememberFreeze(state: PaymentsState, freeze: { id: string; status: string; expires_at: string | null; accounts: readonly string[] }): void {
  for (const account of freeze.accounts) {
    const on = state.frozen.get(account);
    on?.delete(freeze.id);
    if (on && on.size === 0) state.frozen.delete(account);
  }
  if (freeze.status !== 'active' || !freeze.expires_at) return;
  const until = Date.parse(freeze.expires_at);
  for (const account of freeze.accounts) {
    let on = state.frozen.get(account);
    if (!on) state.frozen.set(account, (on = new Map()));
    on.set(freeze.id, until);
  }
}

/** Whether an account is under an active freeze now (an expired one counts no more, even before the sweep marks it). */
export function isFrozen(state: PaymentsState, account: string, now: number): boolean {
  const on = state.frozen.get(account);
  if (!on) return false;
  for (const until of on.values()) if (until > now) return true;
  return false;
}

async function load(ctx: AppContext): Promise<PaymentsState> {
  const state: PaymentsState = { flags: new Map(), payers: new Map(), history: new Map(), payees: new Map(), guardianSubscribers: new Set(), alertedCalls: new Set(), frozen: new Map() };
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
  for await (const page of activeFrozenAccounts(ctx.db, at)) {
    for (const r of page) rememberFreeze(state, { id: r.freeze_id, status: 'active', expires_at: r.expires_at, accounts: [r.account] });
  }
  return state;
}

/** The state for this context, loaded from the store on first use. */
export function paymentsState(ctx: AppContext): Promise<PaymentsState> {
  const area = ctx.area(PAYMENTS);
  let p = area.state;
  if (!p) {
    const loading = (p = load(ctx));
    area.state = loading;
    loading.catch(() => {
      if (area.state === loading) area.state = undefined;
    });
    followChanges(ctx);
  }
  return p;
}

/**
 * How this node applies the payments writes of every node (its own included, a second time): each
 * step reloads the item from the store, so applying it again changes nothing. Before the state is
 * first used there is nothing to update (the load reads the store fresh); while it loads, the step
 * waits for the load, so a write committed after the load read its table is not missed.
 */
function followChanges(ctx: AppContext): void {
  const whenLoaded =
    (apply: (state: PaymentsState, keys: string[]) => Promise<void>) =>
    async (keys: string[]): Promise<void> => {
      const p = ctx.area(PAYMENTS).state;
      if (!p) return;
      let state: PaymentsState;
      try {
        state = await p;
      } catch {
        return; // the load failed: the next use loads afresh
      }
      await apply(state, keys);
    };
  // This node missed change-log entries: a state in use is loaded again from the store and
  // replaces the old one when complete (the next checks read the new one).
  ctx.onReload('payments', async () => {
    const area = ctx.area(PAYMENTS);
    if (!area.state) return;
    const fresh = await load(ctx);
    area.state = Promise.resolve(fresh);
  });
  ctx.onChange(
    CHANGE_KINDS.flag,
    whenLoaded(async (state, ids) => {
      const now = ctx.now();
      for (const row of await flagsByIds(ctx.db, ids)) {
        // The same rule as the load (allLiveFlags): revoked or expired flags are not kept.
        forgetFlag(state, row.account, row.id);
        if (row.revoked_at === null && (row.expires_at === null || Date.parse(row.expires_at) > now)) rememberFlag(state, row);
      }
    }),
  );
  ctx.onChange(
    CHANGE_KINDS.payer,
    whenLoaded(async (state, payerKeys) => {
      const found = new Map((await payersByKeys(ctx.db, payerKeys)).map((r) => [r.payer_key, r.subscriber_hash]));
      for (const k of payerKeys) {
        const subscriber = found.get(k);
        if (subscriber === undefined) state.payers.delete(k);
        else state.payers.set(k, subscriber);
      }
    }),
  );
  ctx.onChange(
    CHANGE_KINDS.history,
    whenLoaded(async (state, keys) => {
      const pairs = keys.map((key) => {
        const a = key.indexOf('|');
        const b = key.indexOf('|', a + 1);
        return { payerKey: key.slice(0, a), currency: key.slice(a + 1, b), account: key.slice(b + 1) };
      });
      const wanted = new Set(pairs.map((p) => `${p.payerKey}|${p.currency}`));
      for (const r of await historiesOf(ctx.db, [...new Set(pairs.map((p) => p.payerKey))])) {
        const k = `${r.payer_key}|${r.currency}`;
        if (!wanted.has(k)) continue;
        // The count only grows. A node's own check updates memory before its write commits, so a
        // row with fewer payments than memory is older than what this node already holds.
        const mine = state.history.get(k);
        if (mine && mine.count > Number(r.count)) continue;
        state.history.set(k, { count: Number(r.count), mean: Number(r.mean), recent: (JSON.parse(r.recent) as number[]).map(Number) });
      }
      for (const r of await knownPayeePairs(ctx.db, pairs)) {
        let set = state.payees.get(r.payer_key);
        if (!set) state.payees.set(r.payer_key, (set = new Set()));
        set.add(r.account);
      }
    }),
  );
  ctx.onChange(
    CHANGE_KINDS.freeze,
    whenLoaded(async (state, ids) => {
      for (const f of await freezeStates(ctx.db, ids)) rememberFreeze(state, f);
    }),
  );
  ctx.onChange(
    CHANGE_KINDS.guardians,
    whenLoaded(async (state, subscriberHashes) => {
      for (const h of subscriberHashes) {
        const rows = await guardiansOfSubscriber(ctx.db, h);
        if (rows.some((row) => (JSON.parse(row.guardians) as unknown[]).length > 0)) state.guardianSubscribers.add(h);
        else state.guardianSubscribers.delete(h);
      }
    }),
  );
}
