import { createHash, randomUUID } from 'node:crypto';
import { en } from '../../i18n/messages/en.js';
import type { AppContext } from '../../app-context.js';
import { CallshieldError } from '../../errors.js';
import { parseIdentifier } from '../../identity/index.js';
import { checkAmount, checkCurrency, decideTransfer, parsePayeeAccount } from '../../payments/index.js';
import type { Language, TransferDecision } from '../../payments/index.js';
import { deletePayer, upsertPayer } from '../../store/payments/transfers.js';
import { checkWrites } from '../../store/payments/check-writes.js';
import { insertHold } from '../../store/payments/holds.js';
import { sealText } from '../sealed-text.js';
import { customerRefContext } from './holds.js';
import { describeActor } from '../actor.js';
import type { Actor } from '../actor.js';
import { enqueueEvent, guardianTargets, orgTargets } from './events.js';
import { CHANGE_KINDS, isFrozen, paymentKey, paymentsSettings, paymentsState, rememberPayment } from './state.js';
import { inTransaction } from '../write.js';
import { protectionOf } from '../screening/serving.js';
import { writeBatched } from '../write-batch.js';
import { timeOrderedId } from '../ids.js';

export const TRANSFER_CHANNELS = ['mobile', 'online', 'branch', 'atm', 'pos', 'api', 'other'] as const;

// A bank's own reference to its customer; opaque to us, but one spelling only.
const PAYER = /^[^\s\p{Cc}]{1,128}$/u;

export function checkPayer(value: unknown, field = 'payer'): string {
  if (typeof value !== 'string' || !PAYER.test(value)) {
    throw new CallshieldError('PAYMENTS_INVALID_PAYER', `${field} must be the bank's customer reference, 1-128 characters without spaces`, { field });
  }
  return value;
}

/** The payer reference is stored only as a keyed hash, scoped to the bank that owns it. */
export function payerKeyOf(ctx: AppContext, orgId: string, payer: string): string {
  return ctx.hash(`payer:${orgId}:${payer}`);
}

export function subscriberHashOf(ctx: AppContext, raw: unknown, field = 'subscriber'): string {
  const id = parseIdentifier(raw, { defaultRegion: ctx.config.defaultRegion }, field);
  if (id.kind === 'anonymous') throw new CallshieldError('IDENTITY_ANONYMOUS_NOT_ALLOWED', 'a subscriber needs an identifier', { field });
  return ctx.hash(id.canonical);
}

/** A bank links its customer reference to the subscriber identifier the customer enrolled with callshield. */
export async function enrolPayer(ctx: AppContext, input: { payer: string; subscriber: string }, actor: Actor): Promise<{ payer: string; enrolled: true }> {
  const payer = checkPayer(input.payer);
  const subscriberHash = subscriberHashOf(ctx, input.subscriber);
  const payerKey = payerKeyOf(ctx, actor.orgId, payer);
  const state = await paymentsState(ctx);
  const at = new Date(ctx.now()).toISOString();
  await inTransaction(ctx, async ({ db, audit, publish }) => {
    await upsertPayer(db, { payer_key: payerKey, org_id: actor.orgId, subscriber_hash: subscriberHash, created_at: at, updated_at: at });
    await audit({ actor: describeActor(actor), action: 'payer.enrol', subject: `payer:${payerKey.slice(0, 16)}`, details: {}, at });
    publish(CHANGE_KINDS.payer, [payerKey]);
  });
  state.payers.set(payerKey, subscriberHash);
  return { payer, enrolled: true };
}

export async function unenrolPayer(ctx: AppContext, payerRaw: string, actor: Actor): Promise<{ payer: string; enrolled: false }> {
  const payer = checkPayer(payerRaw);
  const payerKey = payerKeyOf(ctx, actor.orgId, payer);
  const state = await paymentsState(ctx);
  const at = new Date(ctx.now()).toISOString();
  await inTransaction(ctx, async ({ db, audit, publish }) => {
    if (!(await deletePayer(db, payerKey))) throw new CallshieldError('PAYMENTS_PAYER_NOT_FOUND', 'this payer is not enrolled by your bank', { field: 'payer' });
    await audit({ actor: describeActor(actor), action: 'payer.unenrol', subject: `payer:${payerKey.slice(0, 16)}`, details: {}, at });
    publish(CHANGE_KINDS.payer, [payerKey]);
  });
  state.payers.delete(payerKey);
  return { payer, enrolled: false };
}

export interface TransferCheckInput {
  payer: string;
  payeeAccount: string;
  amount: number;
  currency: string;
  channel: string;
}

export interface TransferCheckResponse {
  checkId: string;
  decision: TransferDecision['decision'];
  score: number;
  reasons: { code: string; text: string }[];
  message?: string;
  coolingOffSeconds?: number;
  holdId?: string;
  holdDeadline?: string;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

function requestHash(input: TransferCheckInput): string {
  // Fixed field order: the same request always hashes the same however its JSON was laid out.
  return createHash('sha256').update(JSON.stringify([input.payer, input.payeeAccount, input.amount, input.currency, input.channel])).digest('hex');
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed/.test(e?.message ?? '');
}

/**
 * The bank's question before a transfer leaves. Everything the decision needs is read from memory
 * (flags, enrolment, the risky-call mark, the payer's history); the one transaction records the
 * check (and the hold, its audit entry and its notifications when there is one).
 */
export async function checkTransfer(
  ctx: AppContext,
  input: TransferCheckInput,
  actor: Actor,
  idempotencyKey?: string,
): Promise<{ response: TransferCheckResponse; replayed: boolean }> {
  if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
    throw new CallshieldError('REQUEST_INVALID_BODY', 'Idempotency-Key must be 1-200 printable ASCII characters', { field: 'idempotency-key' });
  }
  const payer = checkPayer(input.payer);
  const account = parsePayeeAccount(input.payeeAccount, 'payeeAccount');
  const amount = checkAmount(input.amount);
  const currency = checkCurrency(input.currency);
  if (!(TRANSFER_CHANNELS as readonly string[]).includes(input.channel)) {
    throw new CallshieldError('REQUEST_INVALID_BODY', `channel must be one of ${TRANSFER_CHANNELS.join(', ')}`, { field: 'channel' });
  }
  const state = await paymentsState(ctx);
  const settings = paymentsSettings(ctx);
  const now = ctx.now();
  const payerKey = payerKeyOf(ctx, actor.orgId, payer);
  const subscriberHash = state.payers.get(payerKey);
  const protection = subscriberHash ? protectionOf(ctx, subscriberHash) : undefined;
  const mark = subscriberHash ? ctx.riskyCalls.get(subscriberHash) : undefined;
  const language: Language = protection?.language ?? 'en';
  const decision = decideTransfer({
    amount,
    now,
    riskyCall: mark,
    riskyWindowMs: settings.riskyWindowMs,
    payeeFlags: state.flags.get(account.canonical) ?? [],
    payeeFrozen: isFrozen(state, account.canonical, now),
    knownPayee: state.payees.get(payerKey)?.has(account.canonical) ?? false,
    history: state.history.get(`${payerKey}|${currency}`),
    guardianMode: protection?.guardianMode ?? false,
    language,
    enrolled: subscriberHash !== undefined,
  });

  const checkId = timeOrderedId(now);
  const at = new Date(now).toISOString();
  const response: TransferCheckResponse = { checkId, decision: decision.decision, score: decision.score, reasons: decision.reasons };
  if (decision.message) response.message = decision.message;
  if (decision.coolingOffSeconds !== undefined) response.coolingOffSeconds = decision.coolingOffSeconds;
  const holdId = decision.decision === 'hold' ? randomUUID() : undefined;
  if (holdId) {
    response.holdId = holdId;
    response.holdDeadline = new Date(now + settings.holdDeadlineMs).toISOString();
  }
  const hash = requestHash({ payer, payeeAccount: input.payeeAccount, amount, currency, channel: input.channel });
  const completes = decision.decision === 'allow';
  let remembered = false;

  const knownPayee = state.payees.get(payerKey)?.has(account.canonical) ?? false;
  type Outcome = { response: TransferCheckResponse; replayed: boolean } | { conflict: true };
  const run = () =>
    writeBatched<Outcome>(ctx, async ({ db, audit, publish }) => {
      const writes = checkWrites(ctx.db, db);
      if (idempotencyKey !== undefined) {
        const prior = await writes.findCheckByKey(actor.orgId, idempotencyKey);
        if (prior) {
          // Not thrown here: a throw would roll back the other checks sharing this transaction.
          if (prior.request_hash !== hash) return { conflict: true };
          return { response: JSON.parse(prior.response) as TransferCheckResponse, replayed: true };
        }
      }
      await writes.insertCheck({
        id: checkId,
        org_id: actor.orgId,
        idempotency_key: idempotencyKey ?? null,
        request_hash: hash,
        payer_key: payerKey,
        account: account.canonical,
        amount: String(amount),
        currency,
        channel: input.channel,
        decision: decision.decision,
        response: JSON.stringify(response),
        created_at: at,
      });
      if (completes) {
        // Only an allowed transfer is a payment the customer made; a confirm or hold may be abandoned.
        // The history is updated here, when the writes of one batch run one after another, so two
        // payments of one payer in the same batch both count. Memory is updated first and only once
        // (a failed batch is retried job by job); if the write then fails, the statistic runs one
        // payment ahead in memory, which is harmless.
        if (!remembered) {
          remembered = true;
          rememberPayment(state, payerKey, currency, account.canonical, amount);
        }
        const history = state.history.get(`${payerKey}|${currency}`)!;
        await writes.upsertHistory({ payer_key: payerKey, currency, count: history.count, mean: String(history.mean), recent: JSON.stringify(history.recent), updated_at: at });
        if (!knownPayee) await writes.addKnownPayee(payerKey, account.canonical, at);
        // Every node's history and known payees follow; the batch's entries commit with it.
        publish(CHANGE_KINDS.history, [paymentKey(payerKey, currency, account.canonical)]);
      }
      if (holdId) {
        await insertHold(db, {
          id: holdId,
          check_id: checkId,
          org_id: actor.orgId,
          payer_key: payerKey,
          customer_ref: sealText(ctx.keyEncryptionKey, payer, customerRefContext(actor.orgId, holdId)),
          subscriber_hash: subscriberHash ?? null,
          account: account.canonical,
          amount: String(amount),
          currency,
          status: 'held',
          reasons: JSON.stringify(decision.reasons),
          deadline: response.holdDeadline!,
          steps: JSON.stringify([{ status: 'held', reason: decision.reasons.map((r) => r.code).join(', '), by: describeActor(actor), at }]),
          created_at: at,
          updated_at: at,
        });
        await audit({ actor: describeActor(actor), action: 'hold.create', subject: `hold:${holdId}`, details: { checkId, account: account.canonical, amount, currency, reasons: decision.reasons.map((r) => r.code) }, at });
        const data = { holdId, checkId, account: account.canonical, amount, currency, deadline: response.holdDeadline, reasons: decision.reasons };
        await enqueueEvent(ctx, db, 'hold.created', data, await orgTargets(db, [actor.orgId]));
        if (subscriberHash) {
          for (const family of await guardianTargets(db, subscriberHash)) {
            if (!family.targets.length) continue;
            await enqueueEvent(ctx, db, 'guardian.transfer-held', { holdId, amount, currency, guardians: family.guardians, text: en.advice.guardian.held }, family.targets);
          }
        }
      }
      if (decision.decision === 'block') {
        await audit({ actor: describeActor(actor), action: 'transfer.block', subject: `check:${checkId}`, details: { account: account.canonical, amount, currency }, at });
      }
      return { response, replayed: false };
    });

  let outcome: Outcome;
  try {
    outcome = await run();
  } catch (err) {
    // Two requests with one new key raced: the loser reads the winner's answer.
    if (idempotencyKey !== undefined && isUniqueViolation(err)) outcome = await run();
    else throw err;
  }
  if ('conflict' in outcome) {
    throw new CallshieldError('PAYMENTS_IDEMPOTENCY_CONFLICT', 'this Idempotency-Key was used with a different request; use a new key for a new transfer', { field: 'idempotency-key' });
  }
  return outcome;
}
