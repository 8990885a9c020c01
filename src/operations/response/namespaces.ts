import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../app-context.js';
import { CallshieldError } from '../../errors.js';
import { isOverseer } from '../../payments/index.js';
import { claimsOn, findNamespace, insertNamespace, listNamespaces as storeList, setNamespaceStatus } from '../../store/response/namespaces.js';
import type { PlatformNamespacesTable } from '../../store/response/schema.js';
import { describeActor } from '../actor.js';
import type { Actor } from '../actor.js';
import { inTransaction } from '../write.js';

export const MAX_NAMESPACES = 50;
const PLATFORM_NAME = /^[a-z0-9][a-z0-9.-]{0,63}$/;
const DOMAIN = /^(?=.{3,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export type NamespaceKind = 'account' | 'email-domain';

export interface NamespaceView {
  id: string;
  kind: NamespaceKind;
  value: string;
  platform: string;
  status: string;
  claimedBy: string;
  createdAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
}

function view(r: PlatformNamespacesTable): NamespaceView {
  return { id: r.id, kind: r.kind as NamespaceKind, value: r.value, platform: r.org_name, status: r.status, claimedBy: r.claimed_by, createdAt: r.created_at, decidedBy: r.decided_by, decidedAt: r.decided_at };
}

function checkValues(raw: unknown, field: string, shape: RegExp, what: string): string[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw) || raw.length > MAX_NAMESPACES) throw new CallshieldError('REQUEST_INVALID_BODY', `${field} must list at most ${MAX_NAMESPACES} items`, { field });
  return [
    ...new Set(
      raw.map((v, i) => {
        const s = typeof v === 'string' ? v.trim().toLowerCase().replace(/^@/, '') : '';
        if (!shape.test(s)) throw new CallshieldError('RESPONSE_INVALID_NAMESPACE', `${field}.${i} is not ${what}`, { field: `${field}.${i}` });
        return s;
      }),
    ),
  ];
}

/**
 * A platform claims the identifier spaces it answers for: account platform names (the <platform> of
 * account:<platform>:<id> callers) and e-mail domains. A space nobody holds is the platform's at
 * once; one another platform already holds stays pending until an admin decides.
 */
export async function claimNamespaces(ctx: AppContext, input: { accounts?: unknown; emailDomains?: unknown }, actor: Actor): Promise<NamespaceView[]> {
  const accounts = checkValues(input.accounts, 'accounts', PLATFORM_NAME, 'a platform name (a-z, 0-9, . and -)');
  const domains = checkValues(input.emailDomains, 'emailDomains', DOMAIN, 'an e-mail domain such as icloud.com');
  if (accounts.length + domains.length === 0) throw new CallshieldError('REQUEST_INVALID_BODY', 'name at least one account platform or e-mail domain', { field: 'accounts' });
  const at = new Date(ctx.now()).toISOString();
  const wanted: [NamespaceKind, string][] = [...accounts.map((v) => ['account', v] as [NamespaceKind, string]), ...domains.map((v) => ['email-domain', v] as [NamespaceKind, string])];
  return inTransaction(ctx, async ({ db, audit }) => {
    const out: NamespaceView[] = [];
    for (const [kind, value] of wanted) {
      const live = await claimsOn(db, kind, value);
      const mine = live.find((c) => c.org_id === actor.orgId);
      if (mine) {
        out.push(view(mine));
        continue;
      }
      const held = live.some((c) => c.status === 'approved');
      const row: PlatformNamespacesTable = { id: randomUUID(), org_id: actor.orgId, org_name: actor.orgName, kind, value, status: held ? 'pending' : 'approved', claimed_by: actor.person, created_at: at, decided_by: null, decided_at: null };
      await insertNamespace(db, row);
      await audit({ actor: describeActor(actor), action: 'namespace.claim', subject: `namespace:${kind}:${value}`, details: { id: row.id, status: row.status }, at });
      out.push(view(row));
    }
    return out;
  });
}

/** A platform sees its own claims; regulators and admins see every claim. */
export async function listNamespaces(ctx: AppContext, actor: Actor, query: { status?: string }): Promise<NamespaceView[]> {
  return (await storeList(ctx.db, { ...(isOverseer(actor.role) ? {} : { orgId: actor.orgId }), ...(query.status ? { status: query.status } : {}) })).map(view);
}

/** An admin decides a pending claim: approving it gives the space to the claimant (the former holder's claim is replaced). */
export async function decideNamespace(ctx: AppContext, id: string, decision: 'approve' | 'reject', actor: Actor): Promise<NamespaceView> {
  const at = new Date(ctx.now()).toISOString();
  const by = describeActor(actor);
  return inTransaction(ctx, async ({ db, audit }) => {
    const row = await findNamespace(db, id);
    if (!row) throw new CallshieldError('RESPONSE_NAMESPACE_NOT_FOUND', `no namespace claim ${id}`, { field: 'id' });
    if (row.status !== 'pending') throw new CallshieldError('RESPONSE_INVALID_STATE', `the claim is ${row.status}, not pending`, { field: 'id' });
    const to = decision === 'approve' ? 'approved' : 'rejected';
    if (decision === 'approve') {
      for (const other of await claimsOn(db, row.kind, row.value)) {
        if (other.id !== row.id && other.status === 'approved') await setNamespaceStatus(db, other.id, 'approved', 'replaced', by, at);
      }
    }
    if (!(await setNamespaceStatus(db, id, 'pending', to, by, at))) throw new CallshieldError('RESPONSE_INVALID_STATE', 'the claim was decided by someone else a moment ago', { field: 'id' });
    await audit({ actor: by, action: `namespace.${decision}`, subject: `namespace:${row.kind}:${row.value}`, details: { id, platform: row.org_name }, at });
    return view({ ...row, status: to, decided_by: by, decided_at: at });
  });
}
