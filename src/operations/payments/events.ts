// Events go into the outbox in the same transaction as the change that causes them; the
// dispatcher (payments-dispatcher.ts) delivers them later. One row per receiving endpoint.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AppContext } from '../../app-context.js';
import { endpointsOfRole, findEndpoint, guardiansOfSubscriber, insertOutbox } from '../../store/payments/outbox.js';
import type { Database } from '../../store/schema.js';
import type { OutboxTable } from '../../store/payments/schema.js';
import { orgLanguages } from '../../store/orgs.js';
import { parseLocale } from '../../i18n/locale.js';
import { localise } from '../../i18n/render.js';
import type { Locale } from '../../i18n/types.js';

export interface Target {
  readonly url: string;
  /** "org:<id>" or "subscriber:<hash>" */
  readonly secretRef: string;
  /** Whose delivery log shows it. */
  readonly orgId: string;
}

export interface Guardian {
  name: string;
  contact: string;
  webhookUrl?: string;
}

export async function orgTargets(db: Kysely<Database>, orgIds: Iterable<string>): Promise<Target[]> {
  const out: Target[] = [];
  for (const id of new Set(orgIds)) {
    const e = await findEndpoint(db, id);
    if (e) out.push({ url: e.url, secretRef: `org:${id}`, orgId: id });
  }
  return out;
}

export async function roleTargets(db: Kysely<Database>, role: string): Promise<Target[]> {
  return (await endpointsOfRole(db, role)).map((e) => ({ url: e.url, secretRef: `org:${e.org_id}`, orgId: e.org_id }));
}

/**
 * A subscriber's family, as each app that serves them named it: each guardian's own webhook (signed
 * with that list's secret), and the app itself (signed with the app's secret) so that it can reach
 * guardians without one by push or SMS. One entry per app, so that no app's event names another
 * app's guardians.
 */
export async function guardianTargets(db: Kysely<Database>, subscriberHash: string): Promise<{ orgId: string; targets: Target[]; guardians: Guardian[] }[]> {
  const out = [];
  for (const row of await guardiansOfSubscriber(db, subscriberHash)) {
    const guardians = JSON.parse(row.guardians) as Guardian[];
    if (guardians.length === 0) continue;
    const targets: Target[] = [];
    for (const g of guardians) if (g.webhookUrl) targets.push({ url: g.webhookUrl, secretRef: `subscriber:${row.org_id}:${subscriberHash}`, orgId: row.org_id });
    targets.push(...(await orgTargets(db, [row.org_id])));
    out.push({ orgId: row.org_id, targets, guardians });
  }
  return out;
}

/** Writes one event for each target, in the caller's transaction. */
export async function enqueueEvent(
  ctx: AppContext,
  db: Kysely<Database>,
  type: string,
  data: Record<string, unknown>,
  targets: readonly Target[],
  dedupeKey?: string,
): Promise<string> {
  const eventId = randomUUID();
  const at = new Date(ctx.now()).toISOString();
  const seen = new Set<string>();
  const rows: OutboxTable[] = [];
  // Each receiving organisation reads the event in its own language (PUT /v1/org/settings): the
  // labels, reasons' texts and advice inside `data` are rendered for it; codes stay as they are.
  const languages = await orgLanguages(db, [...new Set(targets.map((t) => t.orgId))]);
  // An organisation that set none gets the event as the domain wrote it.
  const payloads = new Map<Locale | null, string>();
  const payloadFor = (orgId: string): string => {
    const setting = languages.get(orgId) ?? null;
    const locale = setting === null ? null : parseLocale(setting);
    let p = payloads.get(locale);
    if (p === undefined) payloads.set(locale, (p = JSON.stringify({ id: eventId, type, createdAt: at, data: locale === null ? data : localise(data, locale) })));
    return p;
  };
  for (const t of targets) {
    const k = `${t.url}\u0000${t.secretRef}`;
    if (seen.has(k)) continue;
    seen.add(k);
    const id = randomUUID();
    rows.push({
      id,
      event_id: eventId,
      event_type: type,
      payload: payloadFor(t.orgId),
      url: t.url,
      secret_ref: t.secretRef,
      org_id: t.orgId,
      status: 'pending',
      attempts: 0,
      next_attempt_at: at,
      last_status: null,
      last_error: null,
      dedupe_key: dedupeKey ? `${dedupeKey}|${rows.length}` : null,
      created_at: at,
      delivered_at: null,
    });
  }
  await insertOutbox(db, rows);
  return eventId;
}
