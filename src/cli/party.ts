import type { AppContext } from '../app-context.js';
import { allows } from '../auth/index.js';
import type { Permission } from '../auth/index.js';
import { CallshieldError } from '../errors.js';
import { CLI_OPERATOR } from '../operations/actor.js';
import type { Actor } from '../operations/actor.js';
import { listKeys } from '../operations/keys.js';
import { findOrgByName } from '../store/orgs.js';

export interface PartyOption {
  org?: string;
  person?: string;
}

/**
 * Who a CLI command acts for. With --org it is that organisation, held to the same permission and
 * ownership rules as its API keys (the operations check ownership; this checks the role may do it).
 * A write names the person with --person, who must hold a live key of that organisation, so the
 * audit log names the same people as the HTTP path. Without --org, the local operator (an admin).
 */
export async function partyActor(ctx: AppContext, opts: PartyOption, permission: Permission, write: boolean): Promise<Actor> {
  if (opts.org === undefined) {
    if (write && !allows(CLI_OPERATOR.role, permission)) throw new CallshieldError('REQUEST_INVALID', `name the organisation that acts with --org (and the person with --person)`, { field: 'org' });
    return opts.person !== undefined ? { ...CLI_OPERATOR, person: opts.person } : CLI_OPERATOR;
  }
  const org = await findOrgByName(ctx.db, opts.org);
  if (!org) throw new CallshieldError('REQUEST_NOT_FOUND', `no organisation named "${opts.org}"`, { field: 'org' });
  if (!allows(org.role, permission)) throw new CallshieldError('AUTH_FORBIDDEN', `a ${org.role} organisation may not do that (${permission})`, { field: 'org' });
  if (!write) return { orgId: org.id, orgName: org.name, role: org.role, person: opts.person ?? 'local operator' };
  if (opts.person === undefined) throw new CallshieldError('AUTH_PERSON_REQUIRED', `name the person of "${org.name}" who acts with --person (a staff or badge number)`, { field: 'person' });
  const live = (await listKeys(ctx, { org: org.name })).some((k) => k.person === opts.person && (k.status === 'active' || k.status === 'rotating'));
  if (!live) throw new CallshieldError('AUTH_INVALID_PERSON', `"${opts.person}" holds no live key of "${org.name}"`, { field: 'person' });
  return { orgId: org.id, orgName: org.name, role: org.role, person: opts.person };
}
