import { CallshieldError } from '../errors.js';

// Every party that shares callshield. `business` is an enterprise that holds numbers and may appeal
// a label on them; the other roles are named in shared/DESIGN.md.
export const ROLES = ['carrier', 'platform', 'bank', 'police', 'regulator', 'app', 'business', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function parseRole(value: unknown, field = 'role'): Role {
  if (typeof value === 'string' && (ROLES as readonly string[]).includes(value)) return value as Role;
  throw new CallshieldError('AUTH_INVALID_ROLE', `role must be one of ${ROLES.join(', ')}`, { field });
}

const ORG_NAME = /^[\p{L}\p{N}][\p{L}\p{N} ._&'()-]{0,99}$/u;

export function parseOrgName(value: unknown, field = 'org'): string {
  if (typeof value !== 'string' || !ORG_NAME.test(value.trim())) {
    throw new CallshieldError('AUTH_INVALID_ORG', 'organisation names are 1-100 letters, digits, spaces and . _ & \' ( ) -', { field });
  }
  return value.trim();
}
