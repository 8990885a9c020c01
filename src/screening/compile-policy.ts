import { CallshieldError } from '../errors.js';
import { parseIdentifier } from '../identity/index.js';
import type { PolicyInput, SubscriberPolicy, SubscriberRules } from './types.js';
import { validTimeZone } from './local-time.js';

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
  const rules = compileRules(input);
  return {
    contacts: hashAll(input.contacts, 'contacts'),
    pinnedBusinesses: hashAll(input.pinnedBusinesses, 'pinnedBusinesses'),
    silenceUnknownVideo: input.silenceUnknownVideo ?? false,
    guardianMode: input.guardianMode ?? false,
    paused: input.paused ?? false,
    blockWithheld: input.blockWithheld ?? false,
    language: input.language ?? 'en',
    ...(rules ? { rules } : {}),
  };
}

export const MAX_PREFIXES = 1_000;
const PREFIX = /^\+[1-9][0-9]{0,14}$/;
const HHMM = /^([01][0-9]|2[0-3]):([0-5][0-9])$/;

function invalid(field: string, message: string): CallshieldError {
  return new CallshieldError('SCREENING_INVALID_POLICY', message, { field });
}

/** The rules of a policy, checked; undefined when it sets none (screening then skips them). */
function compileRules(input: PolicyInput): SubscriberRules | undefined {
  const prefixes = (list: string[] | undefined, field: string): string[] => {
    if (!list) return [];
    if (list.length > MAX_PREFIXES) throw invalid(field, `${field} has more than ${MAX_PREFIXES} entries`);
    list.forEach((p, i) => {
      if (typeof p !== 'string' || !PREFIX.test(p)) throw invalid(`${field}.${i}`, `${field}.${i} must be an E.164 prefix: "+" and 1 to 15 digits, e.g. +1900`);
    });
    return [...new Set(list)];
  };
  const blockPrefixes = prefixes(input.blockPrefixes, 'blockPrefixes');
  const allowPrefixes = prefixes(input.allowPrefixes, 'allowPrefixes');
  const blockPrefixAction = input.blockPrefixAction ?? 'block';
  if (blockPrefixAction !== 'block' && blockPrefixAction !== 'silence') throw invalid('blockPrefixAction', 'blockPrefixAction must be block or silence');
  const ring = input.ringRepeatWithinMinutes ?? 0;
  if (!Number.isInteger(ring) || ring < 0 || ring > 1440) throw invalid('ringRepeatWithinMinutes', 'ringRepeatWithinMinutes must be whole minutes, 0 (off) to 1440');
  let quietHours: SubscriberRules['quietHours'];
  if (input.quietHours !== undefined) {
    const q = input.quietHours;
    const start = HHMM.exec(q.start ?? '');
    const end = HHMM.exec(q.end ?? '');
    if (!start) throw invalid('quietHours.start', 'quietHours.start must be HH:MM (24-hour)');
    if (!end) throw invalid('quietHours.end', 'quietHours.end must be HH:MM (24-hour)');
    if (typeof q.timeZone !== 'string' || !validTimeZone(q.timeZone)) throw invalid('quietHours.timeZone', 'quietHours.timeZone must be an IANA time zone, e.g. Europe/Berlin');
    const startMinute = Number(start[1]) * 60 + Number(start[2]);
    const endMinute = Number(end[1]) * 60 + Number(end[2]);
    if (startMinute === endMinute) throw invalid('quietHours.end', 'quietHours.end must differ from start');
    quietHours = { start: q.start, end: q.end, timeZone: q.timeZone, startMinute, endMinute };
  }
  const keepHistory = input.keepHistory ?? false;
  if (!blockPrefixes.length && !allowPrefixes.length && !ring && !quietHours && !keepHistory) return undefined;
  return { blockPrefixes, blockPrefixAction, allowPrefixes, ringRepeatWithinMinutes: ring, ...(quietHours ? { quietHours } : {}), keepHistory };
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
    blockPrefixes: [...(p.rules?.blockPrefixes ?? [])],
    blockPrefixAction: p.rules?.blockPrefixAction ?? 'block',
    allowPrefixes: [...(p.rules?.allowPrefixes ?? [])],
    ringRepeatWithinMinutes: p.rules?.ringRepeatWithinMinutes ?? 0,
    quietHours: p.rules?.quietHours ? { start: p.rules.quietHours.start, end: p.rules.quietHours.end, timeZone: p.rules.quietHours.timeZone } : null,
    keepHistory: p.rules?.keepHistory ?? false,
  };
}
