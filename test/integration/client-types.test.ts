// packages/client's hand-written types against the server's /openapi.json: every response field the
// client declares is in the operation's schema (the ones it relies on required there), and every
// request field it sends is a property of the operation's body.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { CHECKED_BODIES, CHECKED_SHAPES } from '../../packages/client/src/types.js';

let t: TestServer;
before(async () => {
  t = await startTestServer();
});
after(async () => {
  await t?.close();
});

describe('packages/client types match /openapi.json', () => {
  it('response fields', async () => {
    const doc = (await t.call('GET', '/openapi.json')).body;
    for (const [method, path, status, fields, required] of CHECKED_SHAPES) {
      const op = doc.paths[path]?.[method];
      assert.ok(op, `${method} ${path} is in the document`);
      const schema = op.responses[status].content['application/json'].schema;
      for (const f of fields) assert.ok(f in schema.properties, `${method} ${path}: ${f} is a documented field`);
      for (const f of required) assert.ok(schema.required.includes(f), `${method} ${path}: ${f} is required`);
    }
  });
  it('request bodies', async () => {
    const doc = (await t.call('GET', '/openapi.json')).body;
    for (const [method, path, fields] of CHECKED_BODIES) {
      const schema = doc.paths[path][method].requestBody.content['application/json'].schema;
      for (const f of fields) assert.ok(f in schema.properties, `${method} ${path}: body field ${f}`);
    }
  });
});
