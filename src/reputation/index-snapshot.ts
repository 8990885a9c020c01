// The hot index as text, so a restarting node reads its last state instead of re-scoring every
// identifier from the store (10 M identifiers: seconds instead of many minutes). One header line
// (JSON), then one line per identifier: `identifier TAB packed [TAB claimed organisation]`, and a
// last line `#mac <hex>`: an HMAC of everything before it under the deployment's secret, so a file
// changed on disk by someone without the secret file is refused, not believed.
import { createHmac } from 'node:crypto';
import type { Hmac } from 'node:crypto';

export const SNAPSHOT_FORMAT = 'callshield-index-snapshot/1';

export interface SnapshotHeader {
  format: typeof SNAPSHOT_FORMAT;
  /** Every change-log entry up to this one is in the snapshot (later ones may be too: harmless). */
  seq: number;
  writtenAt: string;
  identifiers: number;
}

// Tabs and line breaks cannot appear in canonical identifiers or organisation names as stored,
// but a snapshot line must never be ambiguous: such a value is written JSON-quoted.
const needsQuote = /[\t\n\r"]/;
const field = (v: string): string => (needsQuote.test(v) ? JSON.stringify(v) : v);
/** One field of a snapshot line as written by snapshotLine (JSON-quoted when it had to be). */
export const parseSnapshotField = (v: string): string => (v.startsWith('"') ? (JSON.parse(v) as string) : v);

export function snapshotLine(canonical: string, packed: number, claimed: string | undefined): string {
  return claimed ? `${field(canonical)}\t${packed}\t${field(claimed)}\n` : `${field(canonical)}\t${packed}\n`;
}

export function parseSnapshotLine(line: string): [canonical: string, packed: number, claimed: string | undefined] {
  const a = line.indexOf('\t');
  if (a <= 0) throw new Error('snapshot line without a tab');
  const b = line.indexOf('\t', a + 1);
  const packed = Number(line.slice(a + 1, b < 0 ? undefined : b));
  if (!Number.isInteger(packed) || packed < 0 || packed > 0x7fffffff) throw new Error('snapshot line with a bad packed value');
  return [parseSnapshotField(line.slice(0, a)), packed, b < 0 ? undefined : parseSnapshotField(line.slice(b + 1))];
}

export function parseSnapshotHeader(line: string): SnapshotHeader {
  const h = JSON.parse(line) as Partial<SnapshotHeader>;
  if (h.format !== SNAPSHOT_FORMAT || !Number.isInteger(h.seq) || typeof h.writtenAt !== 'string' || !Number.isInteger(h.identifiers)) {
    throw new Error(`not a ${SNAPSHOT_FORMAT} header`);
  }
  return h as SnapshotHeader;
}

/** The MAC key of snapshots, derived from the deployment's hash secret (never stored). */
export function snapshotMacKey(secret: string): Buffer {
  return createHmac('sha256', secret).update('callshield index snapshot v1').digest();
}

export function snapshotMac(key: Buffer): Hmac {
  return createHmac('sha256', key);
}
