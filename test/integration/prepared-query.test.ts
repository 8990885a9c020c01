// preparedQuery (src/store/prepared-query.ts) compiles a read once per store and runs it with each
// call's values; listIn passes a list of identifiers as one parameter (JSON on SQLite, an array on
// PostgreSQL). On both engines: the rows are those of the plain kysely query for lists of every
// length, identifiers with quotes, commas, braces and backslashes included (they must not break
// out of the JSON or array literal), the query is built once, and it runs inside a transaction too.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { listIn, preparedQuery, valueAt } from '../../src/store/prepared-query.js';
import { startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';

describe('preparedQuery', () => {
  let t: TestServer;
  const keys = ['plain', 'with "quotes"', 'a,b', '{braces}', 'back\\slash', "it's", 'NULL', '', 'x'.repeat(300), '+8613800000001'];

  before(async () => {
    t = await startTestServer();
    await t.ctx.db.insertInto('meta').values(keys.map((k, i) => ({ key: `pq:${k}`, value: String(i) }))).execute();
  });
  after(async () => {
    await t?.close();
  });

  let builds = 0;
  const metaOf = preparedQuery((db, engine) => {
    builds++;
    return db.selectFrom('meta').select(['key', 'value']).where(listIn(engine, 'key', 0)).where('value', '!=', valueAt(1)).orderBy('key');
  });
  const plain = async (list: string[], not: string): Promise<{ key: string; value: string }[]> =>
    t.ctx.db.selectFrom('meta').select(['key', 'value']).where('key', 'in', list).where('value', '!=', not).orderBy('key').execute();

  it('gives the plain query\'s rows for every list, whatever its strings hold, and is built once', async () => {
    const lists = [
      keys.map((k) => `pq:${k}`),
      ['pq:with "quotes"', 'pq:a,b', 'absent'],
      ['pq:{braces}'],
      ['pq:back\\slash', "pq:it's", 'pq:NULL', 'pq:'],
      ['absent', 'also absent'],
      ['pq:plain', 'pq:plain'],
    ];
    for (const list of lists) {
      for (const not of ['3', '-1']) {
        const got = await metaOf(t.ctx.db, list, not);
        assert.deepEqual(got, await plain(list, not), JSON.stringify(list));
      }
    }
    assert.equal((await metaOf(t.ctx.db, keys.map((k) => `pq:${k}`), '-1')).length, keys.length);
    assert.equal(builds, 1, 'compiled once for the store');
  });

  it('runs in a transaction, on its connection, and sees the transaction\'s own writes', async () => {
    await t.ctx.db.transaction().execute(async (trx) => {
      await trx.insertInto('meta').values({ key: 'pq:in-trx', value: 'v' }).execute();
      const got = await metaOf(trx, ['pq:in-trx', 'pq:plain'], '-1');
      assert.deepEqual(got.map((r) => r.key).sort(), ['pq:in-trx', 'pq:plain']);
    });
  });

  it('PostgreSQL: the evidence reads are never kept as prepared statements, so no generic plan from a young table outlives its growth', async (tc) => {
    if (t.ctx.engine !== 'postgres') return tc.skip('plans are PostgreSQL\'s');
    const { loadEvidence } = await import('../../src/store/reputation/evidence.js');
    const { postgresPool } = await import('../../src/store/open-database.js');
    // loadEvidence's reads go out together over up to ten pool connections: 60 runs put more than
    // five on some connection, the count after which PostgreSQL may keep a prepared statement's
    // generic plan (made here on a nearly empty reports table, it would scan the table whole).
    for (let i = 0; i < 60; i++) await loadEvidence(t.ctx.db, [`+861380000${String(400 + i).padStart(4, '0')}`, '+8613800000499']);
    const pool = postgresPool(t.ctx.db)!;
    const clients = await Promise.all(Array.from({ length: pool.totalCount }, () => pool.connect()));
    try {
      for (const c of clients) {
        const r = await c.query<{ statement: string; generic_plans: string }>(`select statement, generic_plans from pg_prepared_statements where statement like '%= any(%'`);
        assert.deepEqual(r.rows, [], 'an evidence read kept as a prepared statement');
      }
    } finally {
      for (const c of clients) c.release();
    }
  });
});
