import { randomUUID } from 'node:crypto';

/**
 * A UUIDv7 (RFC 9562 §5.7): the first 48 bits are the Unix time in ms, the rest random. Ids of the
 * transfer-check log and of reports are inserted at the end of their primary-key index instead of
 * at a random leaf, so a commit dirties one or two index pages, not one per row: less WAL to write
 * and to checkpoint on SQLite, fewer page splits on PostgreSQL, on the hot paths of every transfer
 * and every report. The
 * random bits come from randomUUID's pooled entropy (a v4 UUID's variant bits are already RFC 9562's).
 */
export function timeOrderedId(now: number = Date.now()): string {
  const r = randomUUID();
  const time = (Math.max(0, Math.floor(now)) % 2 ** 48).toString(16).padStart(12, '0');
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${r.slice(15, 18)}-${r.slice(19, 23)}-${r.slice(24)}`;
}
