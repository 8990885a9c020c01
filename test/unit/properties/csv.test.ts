// Property tests for CSV out and in: every export goes through src/csv-writer.ts, which must read back
// (with csv-parse, an independent RFC 4180 reader) to exactly what was written, with formula-leading
// cells neutralised and nothing else changed; the CSV import parsers read our own output back.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { csvLine, neutraliseCell, toCsv } from '../../../src/csv-writer.js';
import { parseListCsv } from '../../../src/operations/reputation/lists.js';
import { parseHoldersCsv } from '../../../src/operations/governance/holders.js';
import { numbersOfCsv } from '../../../src/operations/governance/dnc.js';
import { CdrAnalyser } from '../../../src/governance/cdr-analyser.js';
import { check, valueOrCatalogued } from './check.js';

// OWASP "CSV Injection" (= + - @ tab CR) and OWASP ASVS 5.0 requirement 1.2.10 (which adds NUL).
const FORMULA_START = /^[=+\-@\t\r\0]/;
const SIGNED_NUMBER = /^[+-]\d+(?:\.\d+)?$/;
const cellText = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: fc.constantFrom(...'=+-@\t\r\n\0,"\' a1.;|!()'), maxLength: 12 }),
  fc.stringMatching(/^[+-]\d{1,15}(\.\d{1,3})?$/),
);
const cell = fc.oneof({ weight: 6, arbitrary: cellText }, { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double({ noNaN: true }), fc.constant(null), fc.constant(undefined), fc.boolean()) });

describe('CSV writer properties', () => {
  it('csv-parse reads every row back cell for cell, neutralised and otherwise unchanged', () =>
    check(fc.property(fc.integer({ min: 1, max: 5 }).chain((w) => fc.array(fc.array(cell, { minLength: w, maxLength: w }), { minLength: 1, maxLength: 5 })), (rows) => {
      const text = rows.map(csvLine).join('');
      const back = parse(text, { relax_column_count: false }) as string[][];
      assert.deepEqual(back, rows.map((r) => r.map((v) => neutraliseCell(v === null || v === undefined ? '' : String(v)))));
    }), 600));

  it('no cell read back starts with a formula character unless it is only a signed number; one quote undoes the neutralising', () =>
    check(fc.property(fc.array(cell, { minLength: 1, maxLength: 6 }), (cells) => {
      const [back] = parse(csvLine(cells)) as string[][];
      back!.forEach((v, i) => {
        const original = cells[i] === null || cells[i] === undefined ? '' : String(cells[i]);
        if (FORMULA_START.test(v)) assert.match(v, SIGNED_NUMBER, `formula-leading cell ${JSON.stringify(v)}`);
        assert.ok(v === original || v === `'${original}`, JSON.stringify([v, original]));
      });
    }), 1000));

  it('toCsv writes a header row and one row per object, columns in the order given', () =>
    check(fc.property(fc.uniqueArray(fc.stringMatching(/^[a-z][a-zA-Z]{0,8}$/), { minLength: 1, maxLength: 4 }), fc.array(fc.dictionary(fc.stringMatching(/^[a-z][a-zA-Z]{0,8}$/), cellText), { maxLength: 4 }), (columns, rows) => {
      const back = parse(toCsv(rows, columns)) as string[][];
      assert.deepEqual(back[0], columns);
      assert.deepEqual(back.slice(1), rows.map((r) => columns.map((c) => neutraliseCell(r[c] ?? ''))));
    }), 500));
});

// Values as an import should see them after our writer and the import's own trimming: csv-parse's
// `trim` removes whitespace around a field, so only unquoted cells lose theirs.
const written = (v: string): string => {
  const n = neutraliseCell(v);
  return /[",\r\n]/.test(n) ? n : n.trim();
};
const e164 = fc.stringMatching(/^\+86 ?1[3-9]\d{9}$/);
const freeText = fc.string({ unit: fc.constantFrom(...'ab ,"\'=+-@;é漢1'), minLength: 1, maxLength: 16 }).filter((s) => written(s) !== '');

describe('CSV import parsers read our own output back', () => {
  it('partner lists: identifier, category, reason, expiresAt', () =>
    check(fc.property(fc.array(fc.record({ identifier: fc.oneof(e164, fc.emailAddress()), category: fc.constantFrom('fraud', 'robocall'), reason: freeText, expiresAt: fc.constant('2031-01-01T00:00:00.000Z') }), { minLength: 1, maxLength: 5 }), (rows) => {
      const back = parseListCsv(toCsv(rows, ['identifier', 'category', 'reason', 'expiresAt']));
      assert.deepEqual(back, rows.map((r) => ({ identifier: written(r.identifier), category: r.category, reason: written(r.reason), expiresAt: r.expiresAt })));
    }), 500));

  it('holder blocks: holder, identityLevel, use, number', () =>
    check(fc.property(fc.array(fc.record({ holder: freeText, identityLevel: fc.constantFrom('declared', 'verified'), use: fc.constantFrom('marketing', 'notifications'), number: e164 }), { minLength: 1, maxLength: 5 }), (rows) => {
      const back = parseHoldersCsv(toCsv(rows, ['holder', 'identityLevel', 'use', 'number']));
      assert.deepEqual(back, rows.map((r) => ({ holder: written(r.holder), identityLevel: r.identityLevel, use: r.use, number: written(r.number) })));
    }), 500));

  it('dnc scrub input: the number column of a CSV with other columns, in any position, CRLF or LF', () =>
    check(fc.property(fc.array(fc.tuple(e164, freeText), { minLength: 1, maxLength: 5 }), fc.boolean(), fc.boolean(), (rows, numberFirst, crlf) => {
      const lines = [numberFirst ? ['number', 'name'] : ['name', 'number'], ...rows.map(([n, name]) => (numberFirst ? [n, name] : [name, n]))];
      const text = lines.map(csvLine).join('').replaceAll('\n', crlf ? '\r\n' : '\n');
      assert.deepEqual(numbersOfCsv(text), rows.map(([n]) => written(n)));
    }), 500));

  it('the import parsers give rows or a catalogued CSV error for any text', () =>
    check(fc.property(fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: fc.constantFrom(...'identifier,holder,number,use\n\r"\' =+\u0000\uFEFF'), maxLength: 80 })), (text) => {
      valueOrCatalogued(() => parseListCsv(text), ['REPUTATION_INVALID_LIST']);
      valueOrCatalogued(() => parseHoldersCsv(text), ['GOVERNANCE_INVALID_CSV']);
      valueOrCatalogued(() => numbersOfCsv(text), ['GOVERNANCE_INVALID_CSV']);
    }), 1000));
});

describe('CDR import: the fast path and the general path agree', () => {
  const HEADER = 'caller,callee,start,duration,answered,attestation';
  const record = fc.record({
    caller: fc.oneof(fc.stringMatching(/^\+861[3-9]\d{9}$/), fc.stringMatching(/^\+1[2-9]\d{9}$/), fc.stringMatching(/^\+?\d{4,17}$/)),
    callee: fc.stringMatching(/^\+861[3-9]\d{9}$/),
    start: fc.oneof(fc.date({ min: new Date('1969-12-31T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString().replace(/\.\d{3}Z$/, 'Z')), fc.stringMatching(/^20\d\d-[01]\d-[0-3]\dT[0-2]\d:[0-6]\d:[0-6]\dZ$/)),
    duration: fc.oneof(fc.integer({ min: 0, max: 999_999 }).map(String), fc.constantFrom('', '1.5', '-1', '1e3', ' 7')),
    answered: fc.constantFrom('1', '0', 'Y', 'true', 'x'),
    attestation: fc.constantFrom('A', 'B', 'C', '', 'D'),
  });
  // Same records, once in the default column order (the fast path) and once behind an extra first
  // column (the general path, which splits every line): the counts and every caller's features match.
  it('every record is accepted by both or refused by both, with the same features', () =>
    check(fc.property(fc.array(record, { minLength: 1, maxLength: 20 }), (recs) => {
      const fast = new CdrAnalyser();
      const general = new CdrAnalyser();
      fast.addLine(HEADER, 1);
      general.addLine(`id,${HEADER}`, 1);
      recs.forEach((r, i) => {
        const line = [r.caller, r.callee, r.start, r.duration, r.answered, r.attestation].join(',');
        fast.addLine(line, i + 2);
        general.addLine(`${i},${line}`, i + 2);
      });
      assert.equal(fast.rows, general.rows, 'rows');
      assert.equal(fast.malformed, general.malformed, 'malformed');
      assert.deepEqual(fast.issues.map((x) => x.line), general.issues.map((x) => x.line));
      assert.equal(fast.callers, general.callers);
      for (let s = 0; s < fast.callers; s++) assert.deepEqual(fast.featuresOf(s), general.featuresOf(s));
    }), 200));

  it('an accepted start time is the calendar date-time written, never a rolled-over impossible one', () => {
    // One analyser per path (they are large); each run is a new caller, so its first call is this one.
    const analysers = [new CdrAnalyser(), new CdrAnalyser()];
    analysers[0]!.addLine(HEADER, 1);
    analysers[1]!.addLine(`id,${HEADER}`, 1);
    let caller = 8613800000000;
    return check(fc.property(fc.stringMatching(/^(19[6-9]\d|20\d\d)-(0\d|1[0-3])-([0-3]\d)T([01]\d|2[0-4]):[0-5]\d:[0-5]\d(Z|\+08:00|\.5Z)$/), fc.boolean(), (start, general) => {
      const a = analysers[general ? 1 : 0]!;
      const rows = a.rows;
      a.addLine(`${general ? '1,' : ''}+${++caller},+8613900139000,${start},10,1,A`, 2);
      if (a.rows === rows) return;
      const at = a.featuresOf(a.callers - 1).firstAt;
      const local = start.endsWith('+08:00') ? at + 8 * 3_600_000 : at;
      assert.equal(new Date(local).toISOString().slice(0, 19), start.slice(0, 19), `${start} read as ${new Date(at).toISOString()}`);
    }), 500);
  });
});
