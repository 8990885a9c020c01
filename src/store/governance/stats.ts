import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

// Aggregates for the regulator's console. Days are the first ten characters of the ISO-8601 UTC
// time (substr works the same on SQLite and PostgreSQL, and the columns are text on both).
export interface Range {
  from: string;
  /** Exclusive upper bound (the day after the last day asked for). */
  to: string;
}

const day = sql<string>`substr(occurred_at, 1, 10)`;

export async function reportsByDay(db: Kysely<Database>, r: Range): Promise<{ day: string; category: string; count: number }[]> {
  const rows = await db
    .selectFrom('reports')
    .select([day.as('day'), 'category', (eb) => eb.fn.countAll<number>().as('count')])
    .where('occurred_at', '>=', r.from)
    .where('occurred_at', '<', r.to)
    .groupBy([day, 'category'])
    .orderBy(day)
    .orderBy('category')
    .execute();
  return rows.map((x) => ({ day: x.day, category: x.category, count: Number(x.count) }));
}

export async function complaintsByDay(db: Kysely<Database>, r: Range): Promise<{ day: string; category: string; count: number; violations: number }[]> {
  const rows = await db
    .selectFrom('governance_complaints')
    .select([day.as('day'), 'category', (eb) => eb.fn.countAll<number>().as('count'), (eb) => eb.fn.sum<number>('violation').as('violations')])
    .where('occurred_at', '>=', r.from)
    .where('occurred_at', '<', r.to)
    .groupBy([day, 'category'])
    .orderBy(day)
    .orderBy('category')
    .execute();
  return rows.map((x) => ({ day: x.day, category: x.category, count: Number(x.count), violations: Number(x.violations ?? 0) }));
}

export async function complaintsByCarrier(db: Kysely<Database>, r: Range): Promise<{ carrierOrgId: string | null; carrier: string | null; count: number; violations: number; open: number }[]> {
  const rows = await db
    .selectFrom('governance_complaints')
    .leftJoin('orgs', 'orgs.id', 'governance_complaints.carrier_org_id')
    .select([
      'governance_complaints.carrier_org_id as carrierOrgId',
      'orgs.name as carrier',
      (eb) => eb.fn.countAll<number>().as('count'),
      (eb) => eb.fn.sum<number>('governance_complaints.violation').as('violations'),
      (eb) => eb.fn.sum<number>(eb.case().when('governance_complaints.status', '=', 'open').then(1).else(0).end()).as('open'),
    ])
    .where('governance_complaints.occurred_at', '>=', r.from)
    .where('governance_complaints.occurred_at', '<', r.to)
    .groupBy(['governance_complaints.carrier_org_id', 'orgs.name'])
    .orderBy('count', 'desc')
    .execute();
  return rows.map((x) => ({ carrierOrgId: x.carrierOrgId, carrier: x.carrier, count: Number(x.count), violations: Number(x.violations ?? 0), open: Number(x.open ?? 0) }));
}

export async function complaintsByHolder(db: Kysely<Database>, r: Range, limit: number): Promise<{ holder: string | null; holderId: string | null; count: number; violations: number; confirmed: number }[]> {
  const rows = await db
    .selectFrom('governance_complaints')
    .select([
      'holder',
      'holder_id as holderId',
      (eb) => eb.fn.countAll<number>().as('count'),
      (eb) => eb.fn.sum<number>('violation').as('violations'),
      (eb) => eb.fn.sum<number>(eb.case().when('status', 'in', ['warned', 'suspended']).then(1).else(0).end()).as('confirmed'),
    ])
    .where('occurred_at', '>=', r.from)
    .where('occurred_at', '<', r.to)
    .groupBy(['holder_id', 'holder'])
    .orderBy('count', 'desc')
    .limit(limit)
    .execute();
  return rows.map((x) => ({ holder: x.holder, holderId: x.holderId, count: Number(x.count), violations: Number(x.violations ?? 0), confirmed: Number(x.confirmed ?? 0) }));
}

/** Violation code combinations per day; the caller splits them into single codes. */
export async function violationsByDay(db: Kysely<Database>, r: Range): Promise<{ day: string; violations: string; count: number }[]> {
  const rows = await db
    .selectFrom('governance_complaints')
    .select([day.as('day'), 'violations', (eb) => eb.fn.countAll<number>().as('count')])
    .where('occurred_at', '>=', r.from)
    .where('occurred_at', '<', r.to)
    .where('violation', '=', 1)
    .groupBy([day, 'violations'])
    .orderBy(day)
    .execute();
  return rows.map((x) => ({ day: x.day, violations: x.violations, count: Number(x.count) }));
}

export async function topReported(db: Kysely<Database>, r: Range, limit: number): Promise<{ identifier: string; count: number }[]> {
  const rows = await db
    .selectFrom('reports')
    .select(['caller as identifier', (eb) => eb.fn.countAll<number>().as('count')])
    .where('occurred_at', '>=', r.from)
    .where('occurred_at', '<', r.to)
    .groupBy('caller')
    .orderBy('count', 'desc')
    .orderBy('caller')
    .limit(limit)
    .execute();
  return rows.map((x) => ({ identifier: x.identifier, count: Number(x.count) }));
}

export async function topComplained(db: Kysely<Database>, r: Range, limit: number): Promise<{ identifier: string; count: number }[]> {
  const rows = await db
    .selectFrom('governance_complaints')
    .select(['caller as identifier', (eb) => eb.fn.countAll<number>().as('count')])
    .where('occurred_at', '>=', r.from)
    .where('occurred_at', '<', r.to)
    .groupBy('caller')
    .orderBy('count', 'desc')
    .orderBy('caller')
    .limit(limit)
    .execute();
  return rows.map((x) => ({ identifier: x.identifier, count: Number(x.count) }));
}

/** Top categories of the reports about a set of identifiers. */
export async function reportCategories(db: Kysely<Database>, identifiers: string[], r: Range): Promise<{ identifier: string; category: string; count: number }[]> {
  if (identifiers.length === 0) return [];
  const rows = await db
    .selectFrom('reports')
    .select(['caller as identifier', 'category', (eb) => eb.fn.countAll<number>().as('count')])
    .where('caller', 'in', identifiers)
    .where('occurred_at', '>=', r.from)
    .where('occurred_at', '<', r.to)
    .groupBy(['caller', 'category'])
    .execute();
  return rows.map((x) => ({ identifier: x.identifier, category: x.category, count: Number(x.count) }));
}
