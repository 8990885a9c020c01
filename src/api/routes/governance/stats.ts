import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../../app-context.js';
import { complaintStats, reportStats, toCsv, topIdentifierStats, violationStats } from '../../../operations/governance/stats.js';
import { jsonOrCsv } from '../schemas.js';
import * as R from './responses.js';
import { day } from './schemas.js';

const rangeQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { from: day, to: day, format: { type: 'string', enum: ['json', 'csv'] } },
} as const;
const limitedQuery = { ...rangeQuery, properties: { ...rangeQuery.properties, limit: { type: 'string', pattern: '^[1-9]\\d{0,2}$' } } } as const;

type RangeQuery = { from?: string; to?: string; format?: 'json' | 'csv'; limit?: string };

function csv(reply: FastifyReply, name: string, rows: readonly Record<string, unknown>[], columns: readonly string[]): FastifyReply {
  return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`).send(toCsv(rows, columns));
}

// Built for the console's charts: every series is a flat list of {day, category, count} rows that a
// chart library can pivot, and the same rows come as CSV with ?format=csv.
export async function governanceStatsRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  const range = (q: RangeQuery) => ({ ...(q.from ? { from: q.from } : {}), ...(q.to ? { to: q.to } : {}) });
  const limit = (q: RangeQuery) => (q.limit ? { limit: Math.min(500, Number(q.limit)) } : {});

  app.get<{ Querystring: RangeQuery }>(
    '/v1/stats/reports',
    { config: { permission: 'stats.read' }, schema: { tags: ['stats'], summary: 'Reports by day and category (?from=YYYY-MM-DD&to=YYYY-MM-DD, default the last 30 days; ?format=csv)', querystring: rangeQuery, response: jsonOrCsv(R.getStatsReports) } },
    async (request, reply) => {
      const r = await reportStats(ctx, range(request.query));
      return request.query.format === 'csv' ? csv(reply, 'reports-by-day', r.days, ['day', 'category', 'count']) : r;
    },
  );
  app.get<{ Querystring: RangeQuery }>(
    '/v1/stats/complaints',
    { config: { permission: 'stats.read' }, schema: { tags: ['stats'], summary: 'Complaints by day and category, per carrier and per number holder (?format=csv gives the daily rows)', querystring: limitedQuery, response: jsonOrCsv(R.getStatsComplaints) } },
    async (request, reply) => {
      const r = await complaintStats(ctx, { ...range(request.query), ...limit(request.query) });
      return request.query.format === 'csv' ? csv(reply, 'complaints-by-day', r.days, ['day', 'category', 'count', 'violations']) : r;
    },
  );
  app.get<{ Querystring: RangeQuery }>(
    '/v1/stats/complaints/carriers',
    { config: { permission: 'stats.read' }, schema: { tags: ['stats'], summary: 'Complaints per carrier (CSV with ?format=csv)', querystring: rangeQuery, response: jsonOrCsv(R.getStatsComplaintsCarriers) } },
    async (request, reply) => {
      const r = await complaintStats(ctx, range(request.query));
      return request.query.format === 'csv' ? csv(reply, 'complaints-by-carrier', r.carriers, ['carrier', 'count', 'violations', 'open']) : { from: r.from, to: r.to, carriers: r.carriers };
    },
  );
  app.get<{ Querystring: RangeQuery }>(
    '/v1/stats/complaints/holders',
    { config: { permission: 'stats.read' }, schema: { tags: ['stats'], summary: 'Complaints per number holder (CSV with ?format=csv)', querystring: limitedQuery, response: jsonOrCsv(R.getStatsComplaintsHolders) } },
    async (request, reply) => {
      const r = await complaintStats(ctx, { ...range(request.query), ...limit(request.query) });
      return request.query.format === 'csv' ? csv(reply, 'complaints-by-holder', r.holders, ['holder', 'count', 'violations', 'confirmed']) : { from: r.from, to: r.to, holders: r.holders };
    },
  );
  app.get<{ Querystring: RangeQuery }>(
    '/v1/stats/violations',
    { config: { permission: 'stats.read' }, schema: { tags: ['stats'], summary: 'Consent and number-use violations found in complaints, by day and kind', querystring: rangeQuery, response: jsonOrCsv(R.getStatsViolations) } },
    async (request, reply) => {
      const r = await violationStats(ctx, range(request.query));
      return request.query.format === 'csv' ? csv(reply, 'violations-by-day', r.days, ['day', 'violation', 'count']) : r;
    },
  );
  app.get<{ Querystring: RangeQuery }>(
    '/v1/stats/top-identifiers',
    { config: { permission: 'stats.read' }, schema: { tags: ['stats'], summary: 'Most reported and complained-about identifiers (?limit=20)', querystring: limitedQuery, response: jsonOrCsv(R.getStatsTopIdentifiers) } },
    async (request, reply) => {
      const r = await topIdentifierStats(ctx, { ...range(request.query), ...limit(request.query) });
      return request.query.format === 'csv' ? csv(reply, 'top-identifiers', r.identifiers, ['identifier', 'reports', 'complaints', 'total', 'topCategory', 'score']) : r;
    },
  );
}
