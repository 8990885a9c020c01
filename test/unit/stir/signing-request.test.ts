import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SERVICE_EXCEPTIONS } from '../../../src/stir/atis-82.js';
import type { ServiceExceptionBody } from '../../../src/stir/atis-82.js';
import { handleSigningRequest } from '../../../src/stir/signing-request.js';
import { getTestPki } from './fixtures.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function request(now: number, overrides: Record<string, unknown> = {}) {
  return { signingRequest: { attest: 'A', dest: { tn: ['12155551213'] }, iat: Math.floor(now / 1000), orig: { tn: '12155551212' }, ...overrides } };
}

test('signing: ATIS-1000082 request → signingResponse.identity, origid generated and traced', async () => {
  const { signer } = await getTestPki();
  const now = Date.now();
  const out = handleSigningRequest(request(now), signer, now);
  assert.equal(out.status, 200);
  const identity = (out.body as { signingResponse: { identity: string } }).signingResponse.identity;
  assert.match(identity, /;info=<https:\/\/cr\.example\.test\/shaken-1234\.pem>;alg=ES256;ppt=shaken$/);
  assert.match(out.origid ?? '', UUID);
  assert.equal(out.trace?.direction, 'signed');
  assert.equal(out.trace?.spc, '1234');
  assert.equal(out.trace?.origid, out.origid);
  assert.equal(out.trace?.signedAt, now);
  assert.ok(!JSON.stringify(out).includes('PRIVATE KEY'));
});

test('signing: a given origid is kept; attest is upper-cased; TNs are canonicalised', async () => {
  const { signer } = await getTestPki();
  const now = Date.now();
  const out = handleSigningRequest(JSON.stringify(request(now, { attest: 'b', origid: 'abc-1', orig: { tn: '+1 215-555-1212' } })), signer, now);
  assert.equal(out.status, 200);
  assert.equal(out.origid, 'abc-1');
  assert.equal(out.trace?.attest, 'B');
  assert.equal(out.trace?.orig, '12155551212');
});

test('signing request errors use the serviceException shape and status', async () => {
  const { signer } = await getTestPki();
  const now = Date.now();
  const cases: [unknown, number, string, string[]][] = [
    [undefined, 400, 'SVC4000', []],
    ['{not json', 400, 'SVC4006', ['invalid JSON body']],
    [{}, 400, 'SVC4001', ['signingRequest']],
    [{ signingRequest: { attest: 'A' } }, 400, 'SVC4001', ['dest']],
    [request(now, { attest: 'D' }), 400, 'SVC4005', ['attest', 'not A, B or C']],
    [request(now, { iat: Math.floor(now / 1000) - 3600 }), 400, 'SVC4005', ['iat', "more than 60 s from the server's clock"]],
    [request(now, { orig: { tn: 'abc' } }), 400, 'SVC4005', ['orig', "'tn' is not a telephone number"]],
    [request(now, { dest: { tn: [] } }), 400, 'SVC4005', ['dest', "'tn' is not a non-empty array"]],
    [request(now, { extra: 1 }), 400, 'SVC4005', ['extra', 'unknown parameter']],
  ];
  for (const [body, status, messageId, variables] of cases) {
    const out = handleSigningRequest(body, signer, now);
    assert.equal(out.status, status, JSON.stringify(body));
    const exception = (out.body as ServiceExceptionBody).requestError.serviceException;
    assert.equal(exception.messageId, messageId);
    assert.deepEqual(exception.variables, variables);
    assert.equal(exception.text, Object.values(SERVICE_EXCEPTIONS).find((e) => e.messageId === messageId)?.text);
    assert.equal(out.trace, undefined);
  }
  assert.equal(handleSigningRequest(request(now), undefined, now).status, 500);
});
