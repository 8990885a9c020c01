import type { Role } from '../auth/index.js';

/** Who is acting: the organisation behind the API key and the person who holds it (or the local operator on the CLI). */
export interface Actor {
  readonly orgId: string;
  readonly orgName: string;
  readonly role: Role;
  readonly keyId?: string;
  /**
   * The person behind the key: a staff or badge number, or a system name for machine keys. Two-person
   * rules compare this, never key ids: one person holding two keys is still one person.
   */
  readonly person: string;
}

/** How audit entries and views name who acted: the organisation, its role and the person. */
export function describeActor(a: Actor): string {
  return `${a.orgName} (${a.role}) / ${a.person}`;
}

/** The person a key stands for; keys made before people were recorded count as a person each. */
export function personOfKey(person: string | null, keyId: string): string {
  return person ?? `key:${keyId}`;
}

/** The CLI acts as the local operator, with admin rights over its own database file. */
export const CLI_OPERATOR: Actor = Object.freeze({ orgId: 'cli', orgName: 'local operator', role: 'admin', person: 'local operator' });
