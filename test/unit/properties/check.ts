// Shared settings for the property tests (not a test file itself). Every property runs with a fixed
// seed so a failure reproduces; fast-check prints the seed, the path and the shrunk counterexample.
// CALLSHIELD_PROPERTY_SEED=<n> explores another part of the input space; CALLSHIELD_PROPERTY_RUNS
// multiplies the number of runs (e.g. 10 for a longer local session).
import fc from 'fast-check';
import assert from 'node:assert/strict';
import { isCallshieldError } from '../../../src/errors.js';

export const SEED = Number(process.env.CALLSHIELD_PROPERTY_SEED ?? 0x18c0ffee);
const FACTOR = Number(process.env.CALLSHIELD_PROPERTY_RUNS ?? 1);

export function check<Ts>(property: fc.IProperty<Ts> | fc.IAsyncProperty<Ts>, numRuns: number): void | Promise<void> {
  return fc.assert(property as fc.IProperty<Ts>, { seed: SEED, numRuns: Math.max(1, Math.round(numRuns * FACTOR)), includeErrorInReport: true });
}

/** Runs fn; a thrown error must be a CallshieldError whose code is one of `codes`. Returns the value or undefined. */
export function valueOrCatalogued<T>(fn: () => T, codes: readonly string[]): T | undefined {
  try {
    return fn();
  } catch (err) {
    assert.ok(isCallshieldError(err), `not a CallshieldError: ${String(err)}`);
    assert.ok(codes.includes(err.code), `unexpected code ${err.code}: ${err.message}`);
    return undefined;
  }
}

/** Strings built from characters that matter to the parsers (delimiters, escapes, controls, non-ASCII). */
export function nastyString(alphabet: string, maxLength = 40): fc.Arbitrary<string> {
  return fc.string({ unit: fc.constantFrom(...Array.from(alphabet)), maxLength });
}

/**
 * A valid input with a few pieces inserted, deleted or replaced (the fuzzer's "mutated" inputs).
 * `pieces` is a string of single characters or a list of tokens (e.g. percent escapes).
 */
export function mutated(valid: fc.Arbitrary<string>, pieces: string | readonly string[]): fc.Arbitrary<string> {
  const ch = fc.constantFrom(...(typeof pieces === 'string' ? Array.from(pieces) : pieces));
  const edit = fc.tuple(fc.nat(), fc.constantFrom('insert', 'delete', 'replace'), ch);
  return fc.tuple(valid, fc.array(edit, { minLength: 1, maxLength: 4 })).map(([s, edits]) => {
    let out = s;
    for (const [at, op, c] of edits) {
      const i = out.length === 0 ? 0 : at % (out.length + 1);
      if (op === 'insert') out = out.slice(0, i) + c + out.slice(i);
      else if (op === 'delete') out = out.slice(0, i) + out.slice(i + 1);
      else out = out.slice(0, i) + c + out.slice(i + 1);
    }
    return out;
  });
}
