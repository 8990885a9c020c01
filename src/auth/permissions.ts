import type { Role } from './roles.js';

// Who may do what: the single source of the README's role × endpoint table, and of the test that
// checks every cell of it. A role that is not listed gets 403.
export const PERMISSIONS = {
  'screen': ['carrier', 'platform', 'app', 'admin'],
  'screen.batch': ['carrier', 'platform', 'admin'],
  'identifiers.read': ['carrier', 'platform', 'bank', 'police', 'regulator', 'app', 'business', 'admin'],
  'blocklist.read': ['carrier', 'platform', 'app', 'admin'],
  'lookup.range': ['carrier', 'platform', 'app'],
  'reports.create': ['app', 'platform', 'admin'],
  'feedback.create': ['app', 'platform', 'admin'],
  'lists.upload': ['police', 'regulator', 'carrier', 'bank', 'platform', 'admin'],
  'lists.read': ['police', 'regulator', 'carrier', 'bank', 'platform', 'admin'],
  'policies.write': ['app', 'admin'],
  'policies.read': ['app', 'admin'],
  'appeals.create': ['business', 'carrier', 'platform', 'admin'],
  'appeals.read': ['business', 'carrier', 'platform', 'regulator', 'admin'],
  'appeals.decide': ['regulator', 'admin'],
  'bursts.read': ['regulator', 'admin'],
  'bursts.decide': ['regulator', 'admin'],
  'audit.read': ['regulator', 'admin'],
  // Checkpoints and consistency proofs show no entry: every organisation may witness the log.
  'audit.witness': ['carrier', 'platform', 'bank', 'police', 'regulator', 'app', 'business', 'admin'],
  // One entry, or its inclusion proof: regulators and admins any, others those about themselves
  // (src/audit/visibility.ts decides per entry).
  'audit.entries': ['carrier', 'platform', 'bank', 'police', 'regulator', 'app', 'business', 'admin'],
  'orgs.manage': ['admin'],
  // An admin revokes any key; every other key may revoke only itself (operations/keys.ts revokeKey).
  'keys.revoke': ['carrier', 'platform', 'bank', 'police', 'regulator', 'app', 'business', 'admin'],
  // --- stir (STIR/SHAKEN) ---
  'stir.sign': ['carrier', 'admin'],
  'stir.verify': ['carrier', 'platform', 'admin'],
  'stir.signers': ['carrier', 'admin'],
  'stir.traceback': ['police', 'regulator', 'admin'],
  // --- conversation ---
  'calls.guard': ['app', 'platform', 'carrier', 'admin'],
  'messages.score': ['app', 'platform', 'carrier', 'bank', 'admin'],
  // --- payments ---
  'payees.flag': ['police', 'bank', 'admin'],
  'payees.read': ['police', 'bank', 'regulator', 'admin'],
  'payees.check': ['app', 'bank', 'platform', 'police', 'regulator', 'admin'],
  'payees.report': ['app', 'admin'],
  'payers.enrol': ['bank', 'admin'],
  'transfers.check': ['bank', 'admin'],
  'holds.read': ['bank', 'regulator', 'admin'],
  'holds.decide': ['bank', 'admin'],
  'freezes.file': ['police'],
  'freezes.read': ['police', 'bank', 'regulator', 'admin'],
  'freezes.acknowledge': ['bank'],
  'subscribers.signal': ['app', 'admin'],
  'guardians.write': ['app', 'admin'],
  'guardians.read': ['app', 'admin'],
  'family.alert': ['app', 'admin'],
  'cases.file': ['app', 'police', 'admin'],
  'cases.read': ['police', 'regulator', 'app', 'admin'],
  'webhooks.manage': ['carrier', 'platform', 'bank', 'police', 'regulator', 'app', 'business', 'admin'],
  // --- joint response ---
  'namespaces.claim': ['platform'],
  'namespaces.read': ['platform', 'regulator', 'admin'],
  'namespaces.decide': ['admin'],
  'tasks.read': ['carrier', 'platform', 'bank', 'police', 'regulator', 'admin'],
  'tasks.act': ['carrier', 'platform', 'bank', 'police'],
  // --- governance ---
  'dnc.register': ['app', 'carrier', 'admin'],
  'dnc.scrub': ['business', 'carrier', 'admin'],
  'consents.write': ['business', 'admin'],
  'consents.withdraw': ['app', 'admin'],
  'consents.read': ['business', 'carrier', 'regulator', 'admin'],
  'holders.write': ['carrier', 'admin'],
  'holders.read': ['carrier', 'regulator', 'admin'],
  'complaints.create': ['app', 'carrier', 'admin'],
  'complaints.read': ['app', 'carrier', 'regulator', 'admin'],
  'complaints.decide': ['carrier', 'admin'],
  'escalations.read': ['regulator', 'carrier', 'admin'],
  'cdr.upload': ['carrier', 'admin'],
  // Progress of the streamed call-record consumers (serve --cdr-nats).
  'cdr.streams.read': ['carrier', 'regulator', 'admin'],
  // Honeypot lines: registered and removed by their owner (an admin any); the list shows each party its own.
  'honeypots.write': ['carrier', 'regulator', 'admin'],
  'campaigns.read': ['police', 'regulator', 'carrier', 'admin'],
  'stats.read': ['regulator', 'admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function allows(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

/** Roles that see every organisation's records of a kind, not only their own. */
export const OVERSEERS: readonly Role[] = ['regulator', 'admin'];
