import { CallshieldError } from '../errors.js';
import { parseIdentifier } from '../identity/index.js';
import { callingCodeOf } from './fast-e164.js';
import type { NumberBlock } from './types.js';

export interface BlockInput {
  number?: string | undefined;
  prefix?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

// A prefix must reach past the country code: nobody holds all of +86.
const MIN_PREFIX_DIGITS = 4;
// A range is a lease of consecutive numbers; a hundred million is already a whole network.
const MAX_RANGE = 100_000_000;

function phoneDigits(raw: string, region: string, field: string): string {
  const id = parseIdentifier(raw, { defaultRegion: region }, field);
  if (id.kind !== 'phone') throw new CallshieldError('GOVERNANCE_INVALID_BLOCK', `${field} must be a phone number`, { field });
  return id.canonical.slice(1);
}

/** Exactly one of number, prefix, or from + to; numbers in any format the identity parser accepts. */
export function parseBlock(input: BlockInput, region: string, field: string): NumberBlock {
  const given = [input.number !== undefined, input.prefix !== undefined, input.from !== undefined || input.to !== undefined].filter(Boolean).length;
  if (given !== 1) {
    throw new CallshieldError('GOVERNANCE_INVALID_BLOCK', 'give exactly one of number, prefix, or from and to', { field });
  }
  if (input.number !== undefined) {
    const d = phoneDigits(input.number, region, `${field}.number`);
    return { kind: 'number', first: d, last: d };
  }
  if (input.prefix !== undefined) {
    const p = input.prefix.replace(/[\s-]/g, '');
    if (!/^\+[1-9]\d*$/.test(p) || p.length - 1 > 15) {
      throw new CallshieldError('GOVERNANCE_INVALID_BLOCK', 'prefix must be "+" and digits in international form, e.g. +8610955', { field: `${field}.prefix` });
    }
    const digits = p.slice(1);
    if (callingCodeOf(digits) === 0) {
      throw new CallshieldError('GOVERNANCE_INVALID_BLOCK', `prefix ${p} does not start with a country calling code`, { field: `${field}.prefix` });
    }
    if (digits.length < MIN_PREFIX_DIGITS) {
      throw new CallshieldError('GOVERNANCE_INVALID_BLOCK', `prefix needs at least ${MIN_PREFIX_DIGITS} digits`, { field: `${field}.prefix` });
    }
    return { kind: 'prefix', first: digits, last: digits };
  }
  if (input.from === undefined) throw new CallshieldError('GOVERNANCE_INVALID_BLOCK', 'a range needs from and to', { field: `${field}.from` });
  if (input.to === undefined) throw new CallshieldError('GOVERNANCE_INVALID_BLOCK', 'a range needs from and to', { field: `${field}.to` });
  const a = phoneDigits(input.from, region, `${field}.from`);
  const b = phoneDigits(input.to, region, `${field}.to`);
  if (a.length !== b.length) throw new CallshieldError('GOVERNANCE_INVALID_BLOCK', 'from and to must have the same number of digits', { field: `${field}.to` });
  if (Number(a) > Number(b)) throw new CallshieldError('GOVERNANCE_INVALID_BLOCK', 'from must not be after to', { field: `${field}.to` });
  if (Number(b) - Number(a) + 1 > MAX_RANGE) throw new CallshieldError('GOVERNANCE_INVALID_BLOCK', `a range holds at most ${MAX_RANGE.toLocaleString('en-US')} numbers`, { field: `${field}.to` });
  return { kind: 'range', first: a, last: b };
}

/** "+8613800138000", "+8610955…", "+8613800000000–+8613800009999". */
export function describeBlock(b: NumberBlock): string {
  if (b.kind === 'number') return `+${b.first}`;
  if (b.kind === 'prefix') return `+${b.first}…`;
  return `+${b.first}–+${b.last}`;
}

const POW10 = Array.from({ length: 17 }, (_, i) => 10 ** i);

/** The numeric interval a block covers among numbers of `length` digits, or null if none. */
export function intervalAt(b: NumberBlock, length: number): [number, number] | null {
  if (b.kind !== 'prefix') return b.first.length === length ? [Number(b.first), Number(b.last)] : null;
  if (length < b.first.length) return null;
  const k = POW10[length - b.first.length]!;
  const p = Number(b.first);
  return [p * k, (p + 1) * k - 1];
}

/** Do two blocks share at least one number? */
export function blocksOverlap(a: NumberBlock, b: NumberBlock): boolean {
  if (a.kind === 'prefix' && b.kind === 'prefix') return a.first.startsWith(b.first) || b.first.startsWith(a.first);
  const length = a.kind === 'prefix' ? b.first.length : a.first.length;
  const x = intervalAt(a, length);
  const y = intervalAt(b, length);
  return x !== null && y !== null && x[0] <= y[1] && y[0] <= x[1];
}

export { POW10 };
