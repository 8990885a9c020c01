// Which audit entries an organisation may read (regulators and admins read all of them). The
// entries' fields are part of the signed tree, so the rule is computed from them at read time and
// cannot drift from what was recorded. An entry is about an organisation when:
//
// 1. the organisation made it: its actor is "<name> (<role>) / <person>", as operations/actor.ts writes
//    it (entries written before people were recorded end at "(<role>)");
// 2. its subject is the organisation itself: "org:<name>" (keys issued to it, its webhook);
// 3. its details name the organisation as the party concerned: `bank`, `business` or `org` equal
//    to its name, or one of `accounts[].bank` (a freeze filed against that bank's accounts).
//
// Organisation names are unique (orgs.name), so a name identifies one organisation.

export interface OrgRef {
  readonly name: string;
  readonly role: string;
}

export interface EntryParties {
  readonly actor: string;
  readonly subject: string;
  /** The JSON text of the details, as stored. */
  readonly details: string;
}

const NAMING_FIELDS = ['bank', 'business', 'org'] as const;

export function isEntryAbout(entry: EntryParties, org: OrgRef): boolean {
  const by = `${org.name} (${org.role})`;
  if (entry.actor === by || entry.actor.startsWith(`${by} / `)) return true;
  if (entry.subject === `org:${org.name}`) return true;
  let details: unknown;
  try {
    details = JSON.parse(entry.details);
  } catch {
    return false; // details are written by JSON.stringify; anything else names nobody
  }
  if (typeof details !== 'object' || details === null) return false;
  const d = details as Record<string, unknown>;
  if (NAMING_FIELDS.some((f) => d[f] === org.name)) return true;
  return Array.isArray(d.accounts) && d.accounts.some((a) => typeof a === 'object' && a !== null && (a as { bank?: unknown }).bank === org.name);
}
