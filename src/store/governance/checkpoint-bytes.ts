import { promisify } from 'node:util';
import { brotliCompress, brotliDecompressSync, constants } from 'node:zlib';

// The streamed consumer's checkpoints as stored: its counters are mostly zero bytes (79% for
// 66,000 callers: Float64 counts and one-byte sketch registers), so each blob is Brotli-compressed
// at its fastest setting before it is written. 34 MB of counters became 8 MB in 55-60 ms alone and
// about 100 ms in a busy consumer (in libuv's thread pool, off the event loop); the checkpoint's
// transaction then took 24-39 ms where it took 140-400 ms, with a quarter of the WAL
// (BENCHMARKS.md, fifth session). Blobs written before this are read as they are.

/**
 * Marks a packed blob. A raw snapshot or delta starts with its JSON head's length (a little-endian
 * uint32, here a head of 1.5 GB) and raw traces with a small Float64 version number (a zero byte
 * first): neither starts with these four bytes.
 */
const MAGIC = [0xff, 0x43, 0x53, 0x5a]; // 0xff "CSZ"

const compress = promisify(brotliCompress);

/** The blob to store for these bytes. */
export async function packCheckpointBytes(bytes: Uint8Array): Promise<Uint8Array> {
  const packed = await compress(bytes, {
    // Large chunks: the default 16 kB makes hundreds of trips between the pool and the event loop.
    chunkSize: 1 << 22,
    params: { [constants.BROTLI_PARAM_QUALITY]: 0, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.byteLength },
  });
  const out = new Uint8Array(MAGIC.length + packed.byteLength);
  out.set(MAGIC, 0);
  out.set(packed, MAGIC.length);
  return out;
}

/** The bytes of a stored blob (packed or, written by an older version, raw). */
export function unpackCheckpointBytes(data: Uint8Array): Uint8Array {
  if (data.byteLength < MAGIC.length || MAGIC.some((b, i) => data[i] !== b)) return data;
  return brotliDecompressSync(data.subarray(MAGIC.length));
}
