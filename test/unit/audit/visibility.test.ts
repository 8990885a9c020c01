import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isEntryAbout } from '../../../src/audit/index.js';

const bank = { name: 'First Bank', role: 'bank' };

describe('isEntryAbout', () => {
  const entry = (actor: string, subject: string, details: unknown) => ({ actor, subject, details: typeof details === 'string' ? details : JSON.stringify(details) });

  it('the organisation made it', () => {
    assert.equal(isEntryAbout(entry('First Bank (bank)', 'hold:1', {}), bank), true);
    assert.equal(isEntryAbout(entry('First Bank (police)', 'hold:1', {}), bank), false, 'same name, other role: another organisation');
    assert.equal(isEntryAbout(entry('First Bank Two (bank)', 'hold:1', {}), bank), false);
    assert.equal(isEntryAbout(entry('First Bank (bank) / officer 7', 'hold:1', {}), bank), true, 'entries name the person after the organisation');
    assert.equal(isEntryAbout(entry('First Bank (bank)x / officer 7', 'hold:1', {}), bank), false);
  });

  it('its subject is the organisation', () => {
    assert.equal(isEntryAbout(entry('local operator (admin)', 'org:First Bank', { role: 'bank' }), bank), true);
    assert.equal(isEntryAbout(entry('local operator (admin)', 'org:First Bank Two', {}), bank), false);
  });

  it('its details name the organisation as the bank, business or org concerned', () => {
    const police = 'City Police (police)';
    assert.equal(isEntryAbout(entry(police, 'freeze:1', { accounts: [{ account: 'x', bank: 'Other' }, { account: 'y', bank: 'First Bank' }] }), bank), true);
    assert.equal(isEntryAbout(entry(police, 'freeze:1', { accounts: [{ account: 'x', bank: 'Other' }] }), bank), false);
    assert.equal(isEntryAbout(entry(police, 'x:1', { bank: 'First Bank' }), bank), true);
    assert.equal(isEntryAbout(entry(police, 'x:1', { note: 'First Bank' }), bank), false, 'a mention in free text is not enough');
  });

  it('details that are not a JSON object name nobody', () => {
    assert.equal(isEntryAbout(entry('x (app)', 'y', 'not json'), bank), false);
    assert.equal(isEntryAbout(entry('x (app)', 'y', '"First Bank"'), bank), false);
    assert.equal(isEntryAbout(entry('x (app)', 'y', { accounts: 'First Bank' }), bank), false);
  });
});
