// Writes and reads the hot-index snapshot file (format: reputation/index-snapshot.ts). Written to a
// temporary file and renamed, so a crash or a cut-short shutdown leaves the previous snapshot whole.
import { createReadStream, createWriteStream, openSync, readSync, closeSync, statSync, renameSync, rmSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { timingSafeEqual } from 'node:crypto';
import type { ReputationIndex } from '../reputation/hot-index.js';
import { SNAPSHOT_FORMAT, parseSnapshotField, parseSnapshotHeader, parseSnapshotLine, snapshotLine, snapshotMac } from '../reputation/index-snapshot.js';
import type { SnapshotHeader } from '../reputation/index-snapshot.js';

const MAC_LINE_BYTES = '#mac '.length + 64 + 1;
// Lines per write call; between batches the event loop runs, so a node keeps serving while it saves.
const BATCH = 20_000;

export async function writeIndexSnapshot(path: string, index: ReputationIndex, seq: number, at: Date, macKey: Buffer): Promise<SnapshotHeader> {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  const out = createWriteStream(tmp, { highWaterMark: 1 << 20 });
  const mac = snapshotMac(macKey);
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  failed.catch(() => undefined);
  const write = async (text: string): Promise<void> => {
    const buf = Buffer.from(text, 'utf8');
    mac.update(buf);
    if (!out.write(buf)) await Promise.race([new Promise<void>((r) => out.once('drain', () => r())), failed]);
  };
  try {
    const header: SnapshotHeader = { format: SNAPSHOT_FORMAT, seq, writtenAt: at.toISOString(), identifiers: index.size };
    await write(`${JSON.stringify(header)}\n`);
    let batch = '';
    let n = 0;
    let count = 0;
    for (const [id, packed, claimed] of index.packedEntries()) {
      batch += snapshotLine(id, packed, claimed);
      count++;
      if (++n === BATCH) {
        await write(batch);
        batch = '';
        n = 0;
        await new Promise((r) => setImmediate(r));
      }
    }
    if (batch) await write(batch);
    // The header's count is what the index held when the write began; entries may come and go
    // while it runs (it yields), so the count read back is the number of lines, not the header's.
    out.end(`#mac ${mac.digest('hex')}\n`);
    await Promise.race([new Promise<void>((r) => out.once('finish', () => r())), failed]);
    renameSync(tmp, path);
    return { ...header, identifiers: count };
  } catch (err) {
    out.destroy();
    rmSync(tmp, { force: true });
    throw err;
  }
}

/**
 * Reads a snapshot into `index` (expected empty) and returns its header; throws, with the index
 * cleared, when the file is not a whole snapshot signed with this deployment's key.
 */
export async function readIndexSnapshot(path: string, index: ReputationIndex, macKey: Buffer): Promise<SnapshotHeader> {
  const size = statSync(path).size;
  if (size <= MAC_LINE_BYTES) throw new Error('snapshot file too short');
  const tail = Buffer.alloc(MAC_LINE_BYTES);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, tail, 0, MAC_LINE_BYTES, size - MAC_LINE_BYTES);
  } finally {
    closeSync(fd);
  }
  const m = /^#mac ([0-9a-f]{64})\n$/.exec(tail.toString('latin1'));
  if (!m) throw new Error('snapshot file has no MAC line (cut short?)');
  const mac = snapshotMac(macKey);
  let header: SnapshotHeader | undefined;
  let carry: Buffer | undefined;
  try {
    for await (const data of createReadStream(path, { start: 0, end: size - MAC_LINE_BYTES - 1, highWaterMark: 4 << 20 })) {
      const chunk = data as Buffer;
      mac.update(chunk);
      const buf = carry ? Buffer.concat([carry, chunk]) : chunk;
      let start = 0;
      if (header === undefined) {
        const nl = buf.indexOf(NL);
        if (nl < 0) {
          carry = buf;
          continue;
        }
        header = parseSnapshotHeader(buf.toString('utf8', 0, nl));
        start = nl + 1;
      }
      start = readLines(buf, start, index);
      carry = start < buf.length ? buf.subarray(start) : undefined;
    }
    if (carry !== undefined || header === undefined) throw new Error('snapshot file ends inside a line');
    if (!timingSafeEqual(mac.digest(), Buffer.from(m[1]!, 'hex'))) throw new Error('snapshot MAC does not match (written by another deployment, or changed on disk)');
    return header;
  } catch (err) {
    index.clear();
    throw err;
  }
}

const NL = 0x0a;
const TAB = 0x09;
const QUOTE = 0x22;

/**
 * Reads the whole lines of `buf` from `start` into the index and returns where the unfinished line
 * begins. Works on the bytes: each identifier becomes one fresh string (no split arrays, and no
 * sliced strings that would keep every 4 MB chunk alive behind the index's keys).
 */
function readLines(buf: Buffer, start: number, index: ReputationIndex): number {
  for (;;) {
    const nl = buf.indexOf(NL, start);
    if (nl < 0) return start;
    const tab = buf.indexOf(TAB, start);
    if (tab < 0 || tab > nl || buf[start] === QUOTE) {
      // A quoted field (or a broken line: parseSnapshotLine says what is wrong).
      index.setPacked(...parseSnapshotLine(buf.toString('utf8', start, nl)));
    } else {
      let packed = 0;
      let i = tab + 1;
      for (; i < nl && buf[i] !== TAB; i++) {
        const d = buf[i]! - 0x30;
        if (d < 0 || d > 9) throw new Error('snapshot line with a bad packed value');
        packed = packed * 10 + d;
      }
      if (i === tab + 1 || packed > 0x7fffffff) throw new Error('snapshot line with a bad packed value');
      const claimed = i < nl ? parseSnapshotField(buf.toString('utf8', i + 1, nl)) : undefined;
      index.setPacked(buf.toString('utf8', start, tab), packed, claimed);
    }
    start = nl + 1;
  }
}

