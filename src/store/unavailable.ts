// Errors that mean "the database is not reachable right now" rather than "this request is wrong":
// they become 503 STORE_UNAVAILABLE with Retry-After, so clients retry instead of giving up.
const CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', '57P01', '57P02', '57P03', '08000', '08003', '08006', '08001', '08004', 'SQLITE_BUSY', 'SQLITE_LOCKED']);

export function isStoreUnavailable(err: unknown): boolean {
  const e = err as { code?: string; message?: string; errors?: unknown[] } | undefined;
  if (!e) return false;
  if (e.code && CODES.has(e.code)) return true;
  if (Array.isArray(e.errors) && e.errors.some(isStoreUnavailable)) return true; // AggregateError from net
  const m = e.message ?? '';
  return /Connection terminated|connection (?:is )?closed|Client has encountered a connection error|timeout exceeded when trying to connect/i.test(m);
}
