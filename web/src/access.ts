// Which pages a role may see: mirrors the server's own table (src/auth/permissions.ts, imported at
// build time so the two cannot drift). The server still checks every request; this only hides what
// would be refused.
import { PERMISSIONS } from '../../src/auth/permissions.js';
import type { Role } from '../../src/auth/roles.js';

export type PageId = 'home' | 'lookup' | 'report' | 'appeals' | 'screen' | 'live' | 'bank' | 'police' | 'campaigns' | 'tasks' | 'case' | 'regulator' | 'audit';

const table = PERMISSIONS as unknown as Record<string, readonly Role[] | undefined>;

/** undefined when the server defines no such permission (a part still being built). */
export function can(role: Role, permission: string): boolean {
  return table[permission]?.includes(role) ?? false;
}

interface PageRule {
  /** The page shows if the role has any of these. */
  any: readonly string[];
  /** Roles that have one of them but use another page for it (a bank reads freezes on the bank page). */
  except?: readonly Role[];
  /** Until the area's permissions exist, the roles the issue names for it. */
  fallback?: readonly Role[];
}

export const PAGE_RULES: Record<Exclude<PageId, 'home'>, PageRule> = {
  lookup: { any: ['identifiers.read'] },
  report: { any: ['reports.create'] },
  appeals: { any: ['appeals.create', 'appeals.read', 'appeals.decide'] },
  screen: { any: ['screen'] },
  live: { any: ['calls.guard'] },
  bank: { any: ['transfers.check', 'holds.read', 'holds.decide'], fallback: ['bank', 'admin'] },
  police: { any: ['freezes.file', 'freezes.read'], except: ['bank'], fallback: ['police', 'admin'] },
  campaigns: { any: ['campaigns.read', 'honeypots.write'] },
  tasks: { any: ['tasks.read'] },
  case: { any: ['cases.read'], except: ['app'] },
  regulator: { any: ['stats.read'], fallback: ['regulator', 'admin'] },
  audit: { any: ['audit.read'] },
};

export const PAGE_ORDER: PageId[] = ['home', 'lookup', 'report', 'appeals', 'screen', 'live', 'bank', 'police', 'campaigns', 'tasks', 'case', 'regulator', 'audit'];

export function mayOpen(role: Role, page: PageId): boolean {
  if (page === 'home') return true;
  const rule = PAGE_RULES[page];
  const known = rule.any.filter((p) => table[p] !== undefined);
  if (known.length === 0) return rule.fallback?.includes(role) ?? false;
  if (rule.except?.includes(role)) return false;
  return known.some((p) => can(role, p));
}

export function pagesFor(role: Role): PageId[] {
  return PAGE_ORDER.filter((p) => mayOpen(role, p));
}
