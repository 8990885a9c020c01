import type { AppContext } from '../app-context.js';
import { CallshieldError } from '../errors.js';
import { generateApiKey, hashApiKey, parseOrgName, parsePerson, parseRole } from '../auth/index.js';
import type { Role } from '../auth/index.js';
import { findOrgByName, insertApiKey, insertOrg } from '../store/orgs.js';
import type { OrgRow } from '../store/orgs.js';
import { describeActor } from './actor.js';
import type { Actor } from './actor.js';
import { inTransaction } from './write.js';

export interface CreatedKey {
  readonly org: OrgRow;
  readonly keyId: string;
  /** Shown once; only its hash is stored. */
  readonly key: string;
  /** The person behind the key (given, or `system:<org>` for a machine key). */
  readonly person: string;
  readonly orgCreated: boolean;
}

/** Creates a key for an organisation, creating the organisation on first use. */
export async function createApiKey(ctx: AppContext, input: { org: unknown; role: unknown; label?: unknown; person?: unknown }, actor: Actor): Promise<CreatedKey> {
  const name = parseOrgName(input.org, 'org');
  const role: Role = parseRole(input.role, 'role');
  // Machine keys without a person are named after their organisation's system.
  const person = parsePerson(input.person, role, 'person') ?? `system:${name}`;
  const label = typeof input.label === 'string' && input.label.trim() ? input.label.trim().slice(0, 100) : null;
  const key = generateApiKey();
  const at = new Date(ctx.now()).toISOString();
  return inTransaction(ctx, async ({ db, audit }) => {
    let org = await findOrgByName(db, name);
    let orgCreated = false;
    if (org && org.role !== role) {
      throw new CallshieldError('REQUEST_CONFLICT', `organisation "${name}" exists with role ${org.role}, not ${role}`, { field: 'role' });
    }
    if (!org) {
      org = await insertOrg(db, name, role, at);
      orgCreated = true;
    }
    const keyId = await insertApiKey(db, org.id, hashApiKey(key), key.slice(0, 8), label, person, at);
    await audit({ actor: describeActor(actor), action: 'key.create', subject: `org:${org.name}`, details: { role, keyId, person, orgCreated }, at });
    return { org, keyId, key, person, orgCreated };
  });
}
