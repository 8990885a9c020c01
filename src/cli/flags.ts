import { readFileSync } from 'node:fs';
import { CallshieldError } from '../errors.js';
import type { ErrorCode } from '../errors.js';

export interface WholeNumberRule {
  min: number;
  /** Left out: no upper bound (up to Number.MAX_SAFE_INTEGER). */
  max?: number;
  /** The error's code: each command keeps the one its API counterpart answers with. */
  code: ErrorCode;
  /** The error's field (default: the flag without its dashes). */
  field?: string;
  /** What the number is, for the message (default "a whole number"). */
  noun?: string;
}

/**
 * A flag's whole number, or a CallshieldError naming the flag, the range and what was given.
 * Digits only, with an optional sign: "", "1e3", "0x10" and "2.0" are refused, where Number()
 * would have taken them as 0, 1000, 16 and 2.
 */
export function wholeNumberFlag(value: string, flag: string, rule: WholeNumberRule): number {
  const text = value.trim();
  const n = /^[+-]?\d+$/.test(text) ? Number(text) : NaN;
  const max = rule.max ?? Number.MAX_SAFE_INTEGER;
  if (!Number.isSafeInteger(n) || n < rule.min || n > max) {
    const range = rule.max === undefined ? `${rule.min} or more` : `from ${rule.min} to ${rule.max}`;
    throw new CallshieldError(rule.code, `${flag} must be ${rule.noun ?? 'a whole number'} ${range}, got "${value}"`, { field: rule.field ?? flag.replace(/^--/, '') });
  }
  return n;
}

/**
 * The text of a file a flag names, or REQUEST_INVALID_BODY naming the field, the file and why
 * (the errno code, e.g. ENOENT), not a stack trace.
 */
export function readFlagFile(file: string, field: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new CallshieldError('REQUEST_INVALID_BODY', `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { field, cause: err });
  }
}
