import { createHash } from 'node:crypto';
import { labelOf } from '../reputation/index.js';
import type { Category, HotReputation } from '../reputation/index.js';
import { listedAction } from './range-answer.js';

/**
 * The two lists a device or switch downloads (GET /v1/blocklist): `block` holds the identifiers
 * whose action for a subscriber without a policy is `block` or `silence`; `identify` the ones that
 * are only shown (`label`, `warn`), with their label, for a phone's caller identification.
 */
export const BLOCKLISTS = ['block', 'identify'] as const;
export type BlocklistName = (typeof BLOCKLISTS)[number];

export interface BlocklistEntry {
  readonly list: BlocklistName;
  readonly identifier: string;
  readonly category: Category | null;
  readonly label: string;
}

/** Which list an identifier of the index belongs to, if any. */
export function blocklistEntryOf(canonical: string, r: HotReputation): BlocklistEntry | undefined {
  const action = listedAction(r);
  if (action === 'allow') return undefined;
  return { list: action === 'block' || action === 'silence' ? 'block' : 'identify', identifier: canonical, category: r.category, label: labelOf(r) };
}

/** A phone number's digits left-padded to 15 (E.164's maximum), so text order is numeric order; undefined for others. */
export function numberKey(canonical: string): string | undefined {
  return /^\+[1-9][0-9]{1,14}$/.test(canonical) ? canonical.slice(1).padStart(15, '0') : undefined;
}

/**
 * The digest a manifest signs for one list: SHA-256 (hex) over its entries in ascending identifier
 * order (JavaScript string order), one line each: `identifier\n` for `block`,
 * `identifier\tlabel\n` for `identify`. A client that applied every delta computes the same digest
 * over what it holds, and so knows its copy is the signed one.
 */
export function listDigest(list: BlocklistName, entries: Iterable<{ identifier: string; label: string }>): string {
  const sorted = [...entries].sort((a, b) => (a.identifier < b.identifier ? -1 : a.identifier > b.identifier ? 1 : 0));
  const h = createHash('sha256');
  for (const e of sorted) h.update(list === 'block' ? `${e.identifier}\n` : `${e.identifier}\t${e.label}\n`);
  return h.digest('hex');
}
