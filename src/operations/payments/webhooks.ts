import { randomBytes } from 'node:crypto';
import type { AppContext } from '../../app-context.js';
import { CallshieldError } from '../../errors.js';
import { isOverseer } from '../../payments/index.js';
import { findEndpoint, listDeliveries as storeList, upsertEndpoint } from '../../store/payments/outbox.js';
import { describeActor } from '../actor.js';
import type { Actor } from '../actor.js';
import { literalHostRefusal } from '../outbound-fetch.js';
import { inTransaction } from '../write.js';

/**
 * A webhook URL as registered: absolute http(s), no credentials, and (unless
 * CALLSHIELD_ALLOW_PRIVATE_FETCH) no host written as a private, loopback or metadata address.
 * Names are resolved and checked again at every delivery (src/operations/outbound-fetch.ts).
 */
export function checkWebhookUrl(value: unknown, field: string, allowPrivate: boolean): string {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw new CallshieldError('PAYMENTS_INVALID_WEBHOOK', `${field} must be an absolute http(s) URL`, { field });
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password || String(value).length > 2000) {
    throw new CallshieldError('PAYMENTS_INVALID_WEBHOOK', `${field} must be an http(s) URL without credentials, at most 2000 characters`, { field });
  }
  const refused = allowPrivate ? undefined : literalHostRefusal(url);
  if (refused !== undefined) {
    throw new CallshieldError('PAYMENTS_INVALID_WEBHOOK', `${field} points at a ${refused} address; webhooks go only to public addresses`, { field });
  }
  return url.toString();
}

/**
 * Broadcast events an endpoint may subscribe to, beyond the events addressed to its organisation
 * (which it always gets): `audit.checkpoint` makes the organisation a witness of the audit log.
 */
export const SUBSCRIBABLE_EVENTS = ['audit.checkpoint'] as const;

/**
 * An organisation registers (or replaces, subscriptions included) its webhook endpoint; the signing
 * secret is shown once.
 */
export async function setWebhook(ctx: AppContext, input: { url: string; secret?: string; events?: string[] }, actor: Actor): Promise<{ url: string; secret: string; events: string[] }> {
  const url = checkWebhookUrl(input.url, 'url', ctx.config.allowPrivateFetch);
  const events = [...new Set(input.events ?? [])];
  for (const e of events) {
    if (!(SUBSCRIBABLE_EVENTS as readonly string[]).includes(e)) {
      throw new CallshieldError('PAYMENTS_INVALID_WEBHOOK', `events may name ${SUBSCRIBABLE_EVENTS.join(', ')}; not "${e}"`, { field: 'events' });
    }
  }
  if (input.secret !== undefined && (typeof input.secret !== 'string' || input.secret.length < 16 || input.secret.length > 200)) {
    throw new CallshieldError('PAYMENTS_INVALID_WEBHOOK', 'secret must be 16-200 characters (or leave it out to get a random one)', { field: 'secret' });
  }
  const secret = input.secret ?? randomBytes(32).toString('hex');
  const at = new Date(ctx.now()).toISOString();
  await inTransaction(ctx, async ({ db, audit }) => {
    await upsertEndpoint(db, { org_id: actor.orgId, url, secret, created_at: at, updated_at: at, events: events.length ? JSON.stringify(events) : null });
    await audit({ actor: describeActor(actor), action: 'webhook.set', subject: `org:${actor.orgName}`, details: { url, secretChosen: input.secret !== undefined, events }, at });
  });
  return { url, secret, events };
}

export async function getWebhook(ctx: AppContext, actor: Actor): Promise<{ url: string | null; updatedAt: string | null; events: string[] }> {
  const e = await findEndpoint(ctx.db, actor.orgId);
  return { url: e?.url ?? null, updatedAt: e?.updated_at ?? null, events: e?.events ? (JSON.parse(e.events) as string[]) : [] };
}

export interface DeliveryView {
  id: string;
  eventId: string;
  event: string;
  url: string;
  status: string;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
  log: { attempt: number; at: string; statusCode: number | null; error: string | null; ms: number }[];
}

/** The delivery log: an organisation sees what was sent to it; regulators and admins see all. */
export async function listDeliveries(ctx: AppContext, actor: Actor, query: { status?: string; limit?: number }): Promise<DeliveryView[]> {
  const rows = await storeList(ctx.db, { ...(isOverseer(actor.role) ? {} : { orgId: actor.orgId }), ...(query.status ? { status: query.status } : {}), ...(query.limit ? { limit: query.limit } : {}) });
  return rows.map(({ row, attempts }) => ({
    id: row.id,
    eventId: row.event_id,
    event: row.event_type,
    url: row.url,
    status: row.status,
    attempts: Number(row.attempts),
    nextAttemptAt: row.status === 'pending' ? row.next_attempt_at : null,
    lastStatus: row.last_status === null ? null : Number(row.last_status),
    lastError: row.last_error,
    createdAt: row.created_at,
    deliveredAt: row.delivered_at,
    log: attempts.map((a) => ({ attempt: Number(a.attempt), at: a.at, statusCode: a.status_code === null ? null : Number(a.status_code), error: a.error, ms: Number(a.duration_ms) })),
  }));
}
