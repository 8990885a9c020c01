// Keeps the catalogue, docs/errors.md and the problem type URIs in step (fastify's errors.test.js).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { catalogue, CallshieldError } from '../../src/errors.js';
import { problemType } from '../../src/api/problem.js';

const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
const documented = new Map([...doc.matchAll(/^\| `([A-Z_]+)` \| (\d+) \|/gm)].map((m) => [m[1]!, Number(m[2])]));

describe('error catalogue', () => {
  it('docs/errors.md lists every code with its status, and nothing else', () => {
    assert.deepEqual([...documented.keys()].sort(), Object.keys(catalogue).sort());
    for (const [code, spec] of Object.entries(catalogue)) assert.equal(documented.get(code), spec.status, code);
  });
  it('every status is a 4xx or 5xx, and ours-flagged codes are 5xx', () => {
    for (const [code, spec] of Object.entries(catalogue)) {
      assert.ok(spec.status >= 400 && spec.status < 600, code);
      if ((spec as { ours?: boolean }).ours) assert.ok(spec.status >= 500, code);
    }
  });
  it('a CallshieldError carries its code, field and status', () => {
    const e = new CallshieldError('IDENTITY_INVALID_NUMBER', 'bad', { field: 'caller' });
    assert.equal(e.status, 400);
    assert.equal(e.field, 'caller');
    assert.equal(e.ours, false);
    assert.equal(problemType(e.code), 'https://callshield.dev/problems/identity-invalid-number');
  });
});
