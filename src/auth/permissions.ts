import type { Role } from './roles.js';

// Who may do what: the single source of the README's role × endpoint table, and of the test that
// checks every cell of it. A role that is not listed gets 403.
export const PERMISSIONS = {
  'screen': ['carrier', 'platform', 'app', 'admin'],
  'screen.batch': ['carrier', 'platform', 'admin'],
  'identifiers.read': ['carrier', 'platform', 'bank', 'police', 'regulator', 'app', 'business', 'admin'],
  'reports.create': ['app', 'platform', 'admin'],
  'feedback.create': ['app', 'platform', 'admin'],
  'lists.upload': ['police', 'regulator', 'carrier', 'bank', 'platform', 'admin'],
  'lists.read': ['police', 'regulator', 'carrier', 'bank', 'platform', 'admin'],
  'policies.write': ['app', 'admin'],
  'policies.read': ['app', 'admin'],
  'appeals.create': ['business', 'carrier', 'platform', 'admin'],
  'appeals.read': ['business', 'carrier', 'platform', 'regulator', 'admin'],
  'appeals.decide': ['regulator', 'admin'],
  'audit.read': ['regulator', 'admin'],
  'orgs.manage': ['admin'],
  // --- stir (STIR/SHAKEN) ---
  // --- conversation ---
  // --- payments ---
  // --- governance ---
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function allows(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

/** Roles that see every organisation's records of a kind, not only their own. */
export const OVERSEERS: readonly Role[] = ['regulator', 'admin'];
