import type { FlagLevel } from './types.js';

// Who sees what (shared/DESIGN.md: every party sees only what its role allows). Roles are plain
// strings here so the domain does not depend on the auth module.
const OVERSEERS = new Set(['regulator', 'admin']);

export interface Viewer {
  readonly role: string;
  readonly orgId: string;
}

/** Police, regulators and admins see every flag; a bank sees its own and police-confirmed ones. */
export function canSeeFlag(viewer: Viewer, flag: { orgId: string; level: FlagLevel; source: string }): boolean {
  if (viewer.role === 'police' || OVERSEERS.has(viewer.role)) return true;
  if (viewer.role === 'bank') return flag.orgId === viewer.orgId || flag.level === 'confirmed';
  return false;
}

/** A police unit (its organisation) sees its own freezes; regulators and admins see all. */
export function canSeeFreezeAsUnit(viewer: Viewer, freeze: { orgId: string }): boolean {
  return OVERSEERS.has(viewer.role) || (viewer.role === 'police' && freeze.orgId === viewer.orgId);
}

/** A bank sees an active (or ended) freeze only if one of its accounts is addressed to it. */
export function canSeeFreezeAsBank(viewer: Viewer, freeze: { status: string }, bankOrgIds: readonly string[]): boolean {
  return viewer.role === 'bank' && freeze.status !== 'pending' && bankOrgIds.includes(viewer.orgId);
}

export function isOverseer(role: string): boolean {
  return OVERSEERS.has(role);
}
