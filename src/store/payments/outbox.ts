import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { OutboxTable, SubscriberGuardiansTable, WebhookAttemptsTable, WebhookEndpointsTable } from './schema.js';

export async function upsertEndpoint(db: Kysely<Database>, row: WebhookEndpointsTable): Promise<void> {
  await db
    .insertInto('webhook_endpoints')
    .values(row)
    .onConflict((oc) => oc.column('org_id').doUpdateSet({ url: row.url, secret: row.secret, updated_at: row.updated_at, events: row.events ?? null }))
    .execute();
}

export async function findEndpoint(db: Kysely<Database>, orgId: string): Promise<WebhookEndpointsTable | undefined> {
  return db.selectFrom('webhook_endpoints').selectAll().where('org_id', '=', orgId).executeTakeFirst();
}

/** Endpoints that subscribed to a broadcast event (their `events` JSON array names it). */
export async function endpointsSubscribedTo(db: Kysely<Database>, event: string): Promise<WebhookEndpointsTable[]> {
  const rows = await db.selectFrom('webhook_endpoints').selectAll().where('events', 'like', `%${JSON.stringify(event)}%`).execute();
  return rows.filter((r) => (JSON.parse(r.events ?? '[]') as string[]).includes(event));
}

/** Endpoints of every organisation of a role (e.g. all police units, for a victim's case). */
export async function endpointsOfRole(db: Kysely<Database>, role: string): Promise<WebhookEndpointsTable[]> {
  return db.selectFrom('webhook_endpoints').innerJoin('orgs', 'orgs.id', 'webhook_endpoints.org_id').selectAll('webhook_endpoints').where('orgs.role', '=', role).execute();
}

// Guardians are one list per (organisation, subscriber): each app names the family it tells, and
// no app sees or changes another's (migration 0011).
export async function upsertGuardians(db: Kysely<Database>, row: SubscriberGuardiansTable): Promise<void> {
  await db
    .insertInto('subscriber_guardians')
    .values(row)
    .onConflict((oc) => oc.columns(['org_id', 'subscriber_hash']).doUpdateSet({ guardians: row.guardians, updated_at: row.updated_at }))
    .execute();
}

export async function findGuardians(db: Kysely<Database>, subscriberHash: string, orgId: string): Promise<SubscriberGuardiansTable | undefined> {
  return db.selectFrom('subscriber_guardians').selectAll().where('subscriber_hash', '=', subscriberHash).where('org_id', '=', orgId).executeTakeFirst();
}

/** Every organisation's guardians of one subscriber (to tell each app's family of a risky call or a hold). */
export async function guardiansOfSubscriber(db: Kysely<Database>, subscriberHash: string): Promise<SubscriberGuardiansTable[]> {
  return db.selectFrom('subscriber_guardians').selectAll().where('subscriber_hash', '=', subscriberHash).orderBy('org_id').execute();
}

export async function allGuardianSubscribers(db: Kysely<Database>): Promise<string[]> {
  return (await db.selectFrom('subscriber_guardians').select('subscriber_hash').distinct().execute()).map((r) => r.subscriber_hash);
}

export async function insertOutbox(db: Kysely<Database>, rows: OutboxTable[]): Promise<void> {
  if (rows.length) await db.insertInto('outbox').values(rows).execute();
}

export async function outboxHasDedupe(db: Kysely<Database>, key: string): Promise<boolean> {
  return (await db.selectFrom('outbox').select('id').where('dedupe_key', '=', key).limit(1).executeTakeFirst()) !== undefined;
}

export async function dueOutbox(db: Kysely<Database>, at: string, limit: number): Promise<OutboxTable[]> {
  return db.selectFrom('outbox').selectAll().where('status', '=', 'pending').where('next_attempt_at', '<=', at).orderBy('next_attempt_at').limit(limit).execute();
}

/** Takes a due row for this dispatcher by moving its next attempt to the lease end; false if another took it. */
export async function claimOutbox(db: Kysely<Database>, id: string, seenNext: string, leaseUntil: string): Promise<boolean> {
  const r = await db.updateTable('outbox').set({ next_attempt_at: leaseUntil }).where('id', '=', id).where('status', '=', 'pending').where('next_attempt_at', '=', seenNext).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function recordAttempt(db: Kysely<Database>, attempt: WebhookAttemptsTable, update: Partial<OutboxTable>): Promise<void> {
  await db.insertInto('webhook_attempts').values(attempt).execute();
  await db.updateTable('outbox').set(update).where('id', '=', attempt.outbox_id).execute();
}

export async function secretOf(db: Kysely<Database>, ref: string): Promise<string | undefined> {
  const i = ref.indexOf(':');
  const kind = ref.slice(0, i);
  const id = ref.slice(i + 1);
  if (kind === 'org') return (await findEndpoint(db, id))?.secret;
  if (kind === 'subscriber') {
    // "subscriber:<org>:<hash>"; a delivery queued before migration 0011 names the hash alone.
    const at = id.lastIndexOf(':');
    if (at < 0) return (await guardiansOfSubscriber(db, id))[0]?.secret;
    return (await findGuardians(db, id.slice(at + 1), id.slice(0, at)))?.secret;
  }
  return undefined;
}

export async function listDeliveries(db: Kysely<Database>, opts: { orgId?: string; status?: string; limit?: number }): Promise<{ row: OutboxTable; attempts: WebhookAttemptsTable[] }[]> {
  let q = db.selectFrom('outbox').selectAll();
  if (opts.orgId) q = q.where('org_id', '=', opts.orgId);
  if (opts.status) q = q.where('status', '=', opts.status);
  const rows = await q.orderBy('created_at', 'desc').limit(Math.min(opts.limit ?? 100, 500)).execute();
  if (rows.length === 0) return [];
  const attempts = await db.selectFrom('webhook_attempts').selectAll().where('outbox_id', 'in', rows.map((r) => r.id)).orderBy('attempt').execute();
  return rows.map((row) => ({ row, attempts: attempts.filter((a) => a.outbox_id === row.id) }));
}
