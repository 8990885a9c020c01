import { CallshieldError } from '../errors.js';
import { parseIdentifier } from '../identity/index.js';
import type { PolicyInput, SubscriberPolicy } from './types.js';

export const MAX_CONTACTS = 10_000;

/**
 * Checks a policy as the app sent it and replaces every contact and pinned business with its keyed
 * hash, so the raw address book never reaches the database.
 */
export function compilePolicy(input: PolicyInput, hash: (canonical: string) => string, defaultRegion: string): SubscriberPolicy {
  const hashAll = (list: string[] | undefined, field: string): Set<string> => {
    const out = new Set<string>();
    if (!list) return out;
    if (list.length > MAX_CONTACTS) {
      throw new CallshieldError('SCREENING_INVALID_POLICY', `${field} has more than ${MAX_CONTACTS} entries`, { field });
    }
    list.forEach((raw, i) => {
      const id = parseIdentifier(raw, { defaultRegion }, `${field}.${i}`);
      if (id.kind === 'anonymous') {
        throw new CallshieldError('IDENTITY_ANONYMOUS_NOT_ALLOWED', 'an anonymous caller cannot be a contact', { field: `${field}.${i}` });
      }
      out.add(hash(id.canonical));
    });
    return out;
  };
  return {
    contacts: hashAll(input.contacts, 'contacts'),
    pinnedBusinesses: hashAll(input.pinnedBusinesses, 'pinnedBusinesses'),
    silenceUnknownVideo: input.silenceUnknownVideo ?? false,
    guardianMode: input.guardianMode ?? false,
    paused: input.paused ?? false,
    blockWithheld: input.blockWithheld ?? false,
    language: input.language ?? 'en',
  };
}

/** The stored form: hashes as arrays. */
export function serialisePolicy(p: SubscriberPolicy): string {
  return JSON.stringify({ ...p, contacts: [...p.contacts], pinnedBusinesses: [...p.pinnedBusinesses] });
}

export function deserialisePolicy(json: string): SubscriberPolicy {
  const raw = JSON.parse(json) as Omit<SubscriberPolicy, 'contacts' | 'pinnedBusinesses'> & { contacts: string[]; pinnedBusinesses: string[] };
  return { ...raw, contacts: new Set(raw.contacts), pinnedBusinesses: new Set(raw.pinnedBusinesses) };
}

/** What GET shows back: counts instead of hashes. */
export function describePolicy(p: SubscriberPolicy): Record<string, unknown> {
  return {
    contacts: p.contacts.size,
    pinnedBusinesses: p.pinnedBusinesses.size,
    silenceUnknownVideo: p.silenceUnknownVideo,
    guardianMode: p.guardianMode,
    paused: p.paused,
    blockWithheld: p.blockWithheld,
    language: p.language,
  };
}
