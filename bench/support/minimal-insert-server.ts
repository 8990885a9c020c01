// The baseline for the write paths (issue 17): a minimal Fastify server in its own process that
// checks the Authorization header and inserts one row with better-sqlite3 in WAL mode: the report
// (the same columns callshield stores, the same body) for POST /v1/reports, the check for POST
// /v1/transfers/check. Prints one JSON line {url, key, appKey} (one key for both).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import Database from 'better-sqlite3';

const db = new Database(join(mkdtempSync(join(tmpdir(), 'callshield-minimal-')), 'min.db'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec(`create table reports (id text primary key, caller text not null, reporter text not null, category text not null,
  comment text, channel text, claimed_org text, occurred_at text not null, created_at text not null)`);
db.exec('create index reports_caller on reports (caller, occurred_at)');
const insert = db.prepare('insert into reports values (?, ?, ?, ?, ?, ?, ?, ?, ?)');
db.exec('create table checks (id text primary key, payer text not null, payee text not null, amount integer not null, currency text, channel text, created_at text not null)');
const insertCheck = db.prepare('insert into checks values (?, ?, ?, ?, ?, ?, ?)');
const appKey = `min_${randomUUID()}`;
const app = Fastify();
app.post('/v1/reports', async (request, reply) => {
  if (request.headers.authorization !== `Bearer ${appKey}`) return reply.code(401).send({ error: 'unauthorised' });
  const b = request.body as Record<string, string | undefined>;
  const id = randomUUID();
  const at = new Date().toISOString();
  insert.run(id, b.caller, b.reporter, b.category, b.comment ?? null, b.channel ?? null, b.claimedOrganization ?? null, b.occurredAt ?? at, at);
  return reply.code(201).send({ id });
});
app.post('/v1/transfers/check', async (request, reply) => {
  if (request.headers.authorization !== `Bearer ${appKey}`) return reply.code(401).send({ error: 'unauthorised' });
  const b = request.body as Record<string, string | number | undefined>;
  const id = randomUUID();
  insertCheck.run(id, String(b.payer), String(b.payeeAccount), Number(b.amount), b.currency ?? null, b.channel ?? null, new Date().toISOString());
  return { id, action: 'allow' };
});
const url = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ url, key: appKey, appKey })}\n`);
