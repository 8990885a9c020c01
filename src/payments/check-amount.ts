import { CallshieldError } from '../errors.js';
import { isCurrency } from './currencies.js';

/** Larger than any single payment a retail bank moves; above it the number is a mistake or an attack. */
export const MAX_AMOUNT = 1e12;

export function checkAmount(value: unknown, field = 'amount'): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new CallshieldError('PAYMENTS_INVALID_AMOUNT', `${field} must be a number`, { field });
  }
  if (value <= 0) throw new CallshieldError('PAYMENTS_INVALID_AMOUNT', `${field} must be greater than zero`, { field });
  if (value > MAX_AMOUNT) throw new CallshieldError('PAYMENTS_INVALID_AMOUNT', `${field} must be at most ${MAX_AMOUNT.toExponential()}`, { field });
  return value;
}

export function checkCurrency(value: unknown, field = 'currency'): string {
  if (!isCurrency(value)) {
    throw new CallshieldError('PAYMENTS_INVALID_CURRENCY', `${field} must be an ISO 4217 code such as CNY, EUR or USD`, { field });
  }
  return value;
}
