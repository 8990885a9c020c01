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
  const metaOf = preparedQuery('test_meta_of', (db, engine) => {
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
});
