import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import { isCallshieldError } from '../../../src/errors.js';
import { parseIdentityHeader, selectShakenIdentity } from '../../../src/stir/identity-header.js';
import { encodePassportPart, signPassport } from '../../../src/stir/passport-sign.js';
import { parsePassport } from '../../../src/stir/passport-parse.js';
import { handleVerificationRequest } from '../../../src/stir/verification-request.js';
import { verifyIdentity } from '../../../src/stir/verify-identity.js';
import type { VerificationResult } from '../../../src/stir/types.js';
import { createPrng, createTestResolver, getTestPki, X5U } from './fixtures.js';

const VERSTATS = new Set(['TN-Validation-Passed', 'TN-Validation-Failed', 'No-TN-Validation']);
const CODES = new Set([403, 428, 436, 437, 438]);
const ALPHABET = 'AZaz09-_.;,<>="\' \t:/@+%\\{}[]\u0000é漢\u{1F600}';
const ODD_VALUES: unknown[] = [null, 0, -1, 1.5, 1e21, '', 'x', 'A', [], [1], ['12155551213'], {}, { tn: 5 }, { tn: ['1'] }, { tn: '1' }, { uri: [] }, true, 'x'.repeat(5000)];

function expectResultShape(result: VerificationResult, input: unknown): void {
  assert.ok(VERSTATS.has(result.verstat), `bad verstat for ${String(input)}`);
  if (result.verstat !== 'TN-Validation-Passed') assert.ok(result.reasonCode !== undefined && CODES.has(result.reasonCode), `bad reason for ${String(input)}`);
}

function expectCallshieldErrorOrValue(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    assert.ok(isCallshieldError(err), `non-catalogued exception: ${String(err)}`);
  }
}

test('thousands of random and mutated Identity headers and tokens give a verstat or a CallshieldError', async () => {
  const rand = createPrng(0x5eed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
  const { signer, leaf } = await getTestPki();
  const key = createPrivateKey(leaf.privateKeyPem);
  const { resolver } = await createTestResolver();
  const now = Date.now();
  const iat = Math.floor(now / 1000);
  const good = signer.signIdentity({ attest: 'A', dest: { tn: ['12155551213'] }, iat, orig: { tn: '12155551212' }, origid: 'fuzz' });
  const goodPayload: Record<string, unknown> = { attest: 'A', dest: { tn: ['12155551213'] }, iat, orig: { tn: '12155551212' }, origid: 'fuzz' };

  const randomString = (max: number): string => {
    let s = '';
    const n = Math.floor(rand() * max);
    for (let i = 0; i < n; i++) s += pick([...ALPHABET]);
    return s;
  };
  const mutate = (text: string): string => {
    const chars = [...text];
    const edits = 1 + Math.floor(rand() * 4);
    for (let e = 0; e < edits; e++) {
      const at = Math.floor(rand() * (chars.length + 1));
      const op = Math.floor(rand() * 5);
      if (op === 0) chars.splice(at, 1);
      else if (op === 1) chars.splice(at, 0, pick([...ALPHABET]));
      else if (op === 2) chars[at] = pick([...ALPHABET]);
      else if (op === 3) chars.splice(at);
      else chars.splice(at, 0, ...chars.slice(0, Math.floor(rand() * 20)));
    }
    return chars.join('');
  };
  const structured = (): string => {
    // Well-signed tokens with odd claim values, so the checks behind the signature are reached.
    const payload = { ...goodPayload };
    const claim = pick(['attest', 'dest', 'iat', 'orig', 'origid', 'extra']);
    if (rand() < 0.2) delete payload[claim];
    else payload[claim] = pick(ODD_VALUES);
    const header = rand() < 0.3 ? { alg: pick(['ES256', 'none', 'RS256', 5]), ppt: pick(['shaken', 'div', null]), typ: pick(['passport', 'JWT']), x5u: pick([X5U, 'http://x', 7]) } : undefined;
    const jws = signPassport(payload as never, X5U, key, header ? encodePassportPart(header) : undefined);
    return `${jws};info=<${X5U}>;alg=ES256;ppt=shaken`;
  };

  let passed = 0;
  const N = 4000;
  for (let i = 0; i < N; i++) {
    const kind = i % 4;
    const input = kind === 0 ? randomString(200) : kind === 1 ? mutate(good) : kind === 2 ? structured() : [mutate(good), randomString(50), good.replace('ppt=shaken', 'ppt=div')];
    const result = await verifyIdentity(input, { now, from: '12155551212', to: ['12155551213'] }, { certificates: resolver });
    expectResultShape(result, input);
    if (result.verstat === 'TN-Validation-Passed') passed++;
    for (const value of typeof input === 'string' ? [input] : input) {
      expectCallshieldErrorOrValue(() => parseIdentityHeader(value));
      expectCallshieldErrorOrValue(() => parsePassport(value.split(';')[0] ?? ''));
    }
    expectCallshieldErrorOrValue(() => selectShakenIdentity(input));
  }
  // Some mutations (e.g. in an ignored parameter) leave the token valid; most must not pass.
  assert.ok(passed < N / 4, `${passed} of ${N} passed`);
  assert.equal((await verifyIdentity(good, { now }, { certificates: resolver })).verstat, 'TN-Validation-Passed');
});

test('random ATIS verification request bodies get a status and a body, never an exception', async () => {
  const rand = createPrng(42);
  const { resolver } = await createTestResolver();
  const now = Date.now();
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
  for (let i = 0; i < 1000; i++) {
    const request: Record<string, unknown> = { from: { tn: '1' }, to: { tn: ['2'] }, time: Math.floor(now / 1000), identity: 'a.b.c;info=<https://x.example/c>' };
    for (const k of Object.keys(request)) if (rand() < 0.3) request[k] = pick(ODD_VALUES);
    const body = rand() < 0.1 ? pick(ODD_VALUES) : rand() < 0.1 ? JSON.stringify(request).slice(0, Math.floor(rand() * 60)) : { verificationRequest: request };
    const out = await handleVerificationRequest(body, { certificates: resolver }, now);
    assert.ok([200, 400].includes(out.status), `status ${out.status}`);
    assert.ok(typeof out.body === 'object' && out.body !== null);
  }
});
