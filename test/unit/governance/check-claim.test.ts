import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkClaim } from '../../../src/governance/index.js';

const icbc = { name: 'Industrial and Commercial Bank of China (ICBC)', use: 'customer-service', verified: true } as const;
const acme = { name: 'Acme Marketing Ltd', use: 'marketing', verified: false } as const;

describe('checkClaim', () => {
  it('no claim, nothing to check', () => {
    assert.equal(checkClaim(icbc, undefined), null);
    assert.equal(checkClaim(icbc, '  '), null);
  });
  it('a claim naming the holder fits', () => {
    assert.equal(checkClaim(icbc, 'ICBC customer service')?.consistent, true);
    assert.equal(checkClaim(icbc, 'Industrial and Commercial Bank of China')?.consistent, true);
    assert.equal(checkClaim(icbc, 'bank customer service')?.consistent, true);
  });
  it('a claim naming someone else is an impersonation sign', () => {
    const c = checkClaim(acme, 'ICBC customer service');
    assert.equal(c?.consistent, false);
    assert.equal(c?.reason.code, 'CLAIM_NOT_HOLDER');
    assert.match(c!.reason.text, /Acme Marketing Ltd/);
    assert.equal(checkClaim(acme, 'bank customer service')?.consistent, false);
    assert.equal(checkClaim(icbc, 'Alipay customer service')?.consistent, false);
  });
  it('a claim from an unregistered number is an impersonation sign', () => {
    assert.equal(checkClaim(undefined, 'China Banking Regulatory Commission')?.reason.code, 'CLAIM_UNREGISTERED');
  });
  it('handles Chinese names', () => {
    const holder = { name: '中国工商银行', use: 'customer-service', verified: true } as const;
    assert.equal(checkClaim(holder, '工商银行客服')?.consistent, true);
    assert.equal(checkClaim(holder, '支付宝客服')?.consistent, false);
  });
});
