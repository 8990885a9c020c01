// An organisation's own settings: for now the language its webhook events are written in (HTTP
// replies follow each request's Accept-Language instead). An organisation sets its own; the local
// operator (CLI) or an admin key may set any organisation's by name.
import type { AppContext } from '../app-context.js';
import { CallshieldError } from '../errors.js';
import { LOCALES } from '../i18n/types.js';
import type { Locale } from '../i18n/types.js';
import { parseLocale } from '../i18n/locale.js';
import { findOrgById, findOrgByName, orgLanguage, setOrgLanguage } from '../store/orgs.js';
import { describeActor } from './actor.js';
import type { Actor } from './actor.js';
import { inTransaction } from './write.js';

export interface OrgSettings {
  readonly org: string;
  /** null: not set, events go out as the domain writes them (English; advice in the subscriber's language). */
  readonly language: Locale | null;
}

const storedLocale = (v: string | null): Locale | null => (v === null ? null : parseLocale(v));

async function targetOrg(ctx: AppContext, actor: Actor, orgName: string | undefined): Promise<{ id: string; name: string }> {
  if (orgName === undefined || orgName === actor.orgName) {
    const own = await findOrgById(ctx.db, actor.orgId);
    if (own) return own;
    if (orgName === undefined) throw new CallshieldError('REQUEST_INVALID', 'the local operator belongs to no organisation: name one with --org', { field: 'org' });
  }
  if (actor.role !== 'admin') throw new CallshieldError('AUTH_FORBIDDEN', "only an admin may read or change another organisation's settings", { field: 'org' });
  const org = await findOrgByName(ctx.db, orgName!);
  if (!org) throw new CallshieldError('REQUEST_NOT_FOUND', `no organisation named "${orgName}"`, { field: 'org' });
  return org;
}

export async function getOrgSettings(ctx: AppContext, actor: Actor, orgName?: string): Promise<OrgSettings> {
  const org = await targetOrg(ctx, actor, orgName);
  return { org: org.name, language: storedLocale(await orgLanguage(ctx.db, org.id)) };
}

export async function setOrgSettings(ctx: AppContext, input: { language: string; org?: string }, actor: Actor): Promise<OrgSettings> {
  if (!(LOCALES as readonly string[]).includes(input.language)) {
    throw new CallshieldError('REQUEST_INVALID_BODY', `language must be one of ${LOCALES.join(', ')}`, { field: 'language' });
  }
  const language = input.language as Locale;
  const org = await targetOrg(ctx, actor, input.org);
  const at = new Date(ctx.now()).toISOString();
  return inTransaction(ctx, async ({ db, audit }) => {
    const before = storedLocale(await orgLanguage(db, org.id));
    if (before === language) return { org: org.name, language };
    await setOrgLanguage(db, org.id, language);
    await audit({ actor: describeActor(actor), action: 'org.settings', subject: `org:${org.name}`, details: { language, before }, at });
    return { org: org.name, language };
  });
}
