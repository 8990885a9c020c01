import { CallshieldError } from '../errors.js';

// Every party that shares callshield. `business` is an enterprise that holds numbers and may appeal
// a label on them; the other roles are named in shared/DESIGN.md.
export const ROLES = ['carrier', 'platform', 'bank', 'police', 'regulator', 'app', 'business', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function parseRole(value: unknown, field = 'role'): Role {
  if (typeof value === 'string' && (ROLES as readonly string[]).includes(value)) return value as Role;
  throw new CallshieldError('AUTH_INVALID_ROLE', `role must be one of ${ROLES.join(', ')}`, { field });
}

// Roles whose keys are held by accountable people (officers, fraud staff, inspectors): their keys
// must name the person (a staff or badge number), because freezes, releases and decisions are
// theirs, and two-person rules compare people.
export const PERSONAL_ROLES: ReadonlySet<Role> = new Set<Role>(['police', 'bank', 'regulator']);

const PERSON = /^[\p{L}\p{N}][\p{L}\p{N} ._:@#\/-]{0,63}$/u;

/** A staff or badge number, or a system name: 1-64 letters, digits, spaces and . _ : @ # / -. */
export function parsePerson(value: unknown, role: Role, field = 'person'): string | undefined {
  if (value === undefined || value === null || value === '') {
    if (PERSONAL_ROLES.has(role)) {
      throw new CallshieldError('AUTH_PERSON_REQUIRED', `a ${role} key names the person who holds it (a staff or badge number)`, { field });
    }
    return undefined;
  }
  if (typeof value !== 'string' || !PERSON.test(value.trim())) {
    throw new CallshieldError('AUTH_INVALID_PERSON', 'a person is 1-64 letters, digits, spaces and . _ : @ # / - (a staff or badge number, or a system name)', { field });
  }
  return value.trim();
}

const ORG_NAME = /^[\p{L}\p{N}][\p{L}\p{N} ._&'()-]{0,99}$/u;

export function parseOrgName(value: unknown, field = 'org'): string {
  if (typeof value !== 'string' || !ORG_NAME.test(value.trim())) {
    throw new CallshieldError('AUTH_INVALID_ORG', 'organisation names are 1-100 letters, digits, spaces and . _ & \' ( ) -', { field });
  }
  return value.trim();
}
