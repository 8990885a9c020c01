// The request and response shapes the client uses, written by hand from /openapi.json and checked
// against it by test/integration/client-types.test.ts (each *_FIELDS list must be in the document's
// schema of its operation, with the required ones required there too).

export type Action = 'allow' | 'label' | 'warn' | 'silence' | 'block';
export interface Reason {
  code: string;
  text: string;
}

export interface ScreenRequest {
  caller: string;
  callee: string;
  channel: 'pstn' | 'video' | 'voip';
  attestation?: 'A' | 'B' | 'C';
  verstat?: 'TN-Validation-Passed' | 'TN-Validation-Failed' | 'No-TN-Validation';
  at?: string;
}
export interface ScreenResponse {
  action: Action;
  score: number;
  category: string | null;
  label: string;
  reasons: Reason[];
  caller: string;
  callerKind: string;
  advice?: string;
}

export interface ReportRequest {
  caller: string;
  reporter: string;
  category: 'fraud' | 'impersonation' | 'harassment' | 'robocall' | 'spam-ad' | 'other';
  channel?: 'pstn' | 'video' | 'voip' | 'sms';
  comment?: string;
  claimedOrganization?: string;
  occurredAt?: string;
}
export interface FeedbackRequest {
  caller: string;
  reporter: string;
  verdict: 'not-spam';
}
export type Accepted = Record<string, unknown>;

export interface RangeEntry {
  suffix: string;
  action: Exclude<Action, 'allow'>;
  score: number;
  category: string | null;
  label: string;
}
export interface RangeAnswer {
  prefix: string;
  entries: RangeEntry[];
}

export interface BlocklistEntry {
  identifier: string;
  category: string | null;
  label: string;
}
export interface BlocklistFull {
  version: number;
  list: 'block' | 'identify';
  entries: BlocklistEntry[];
}
export interface BlocklistDelta {
  version: number;
  list: 'block' | 'identify';
  since: number;
  added: BlocklistEntry[];
  removed: string[];
}
export interface BlocklistManifest {
  version: number;
  createdAt: string;
  keyId: string;
  lists: Record<'block' | 'identify', { count: number; digest: string }>;
  payload: string;
  signature: string;
}

export interface CallStarted {
  callId: string;
  caller: string;
  callerKind: string;
  expiresAfterIdleSeconds: number;
}

/** Field lists the contract test checks against /openapi.json: [method, path, status, fields, required]. */
export const CHECKED_SHAPES = [
  ['post', '/v1/screen', '200', ['action', 'score', 'category', 'label', 'reasons', 'caller', 'callerKind', 'advice'], ['action', 'score', 'category', 'label', 'reasons']],
  ['get', '/v1/lookup/range/{prefix}', '200', ['prefix', 'entries'], ['prefix', 'entries']],
  ['get', '/v1/blocklist/manifest', '200', ['version', 'createdAt', 'keyId', 'lists', 'payload', 'signature'], ['version', 'payload', 'signature']],
  ['post', '/v1/calls', '201', ['callId', 'caller', 'callerKind', 'expiresAfterIdleSeconds'], ['callId']],
] as const;

/** Request bodies: every field the client sends must be a property of the operation's body schema. */
export const CHECKED_BODIES = [
  ['post', '/v1/screen', ['caller', 'callee', 'channel', 'attestation', 'verstat', 'at']],
  ['post', '/v1/reports', ['caller', 'reporter', 'category', 'channel', 'comment', 'claimedOrganization', 'occurredAt']],
  ['post', '/v1/feedback', ['caller', 'reporter', 'verdict']],
  ['post', '/v1/calls', ['caller', 'callee', 'channel', 'lang']],
] as const;
