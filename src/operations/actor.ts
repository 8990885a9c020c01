import type { Role } from '../auth/index.js';

/** Who is acting: the organisation behind the API key (or the local operator on the CLI). */
export interface Actor {
  readonly orgId: string;
  readonly orgName: string;
  readonly role: Role;
  readonly keyId?: string;
}

export function describeActor(a: Actor): string {
  return `${a.orgName} (${a.role})`;
}

/** The CLI acts as the local operator, with admin rights over its own database file. */
export const CLI_OPERATOR: Actor = Object.freeze({ orgId: 'cli', orgName: 'local operator', role: 'admin' });
