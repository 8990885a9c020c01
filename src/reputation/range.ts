import { createHash } from 'node:crypto';

// The range look-up (the Have I Been Pwned / Safe Browsing pattern, docs/privacy.md): a phone sends
// the first 5 hex characters of SHA-256 of the canonical identifier and gets back every listed
// identifier in that bucket (by the rest of its hash), padded with decoys. The buckets here are a
// plain SHA-256 structure beside the reputation index (which is keyed by the canonical identifier):
// 2^20 buckets, each holding the canonical identifiers whose hash starts with its prefix.

export const RANGE_PREFIX_LENGTH = 5;
export const RANGE_PREFIX_PATTERN = '^[0-9a-f]{5}$';
/** No answer lists fewer entries than this, real and decoy together. */
export const RANGE_MIN_ENTRIES = 32;

/** Lower-case hex SHA-256 of a canonical identifier (E.164 with "+", lower-case e-mail, account:platform:id). */
export function rangeHash(canonical: string): string {
  return createHash('sha256').update(canonical).digest('hex');
}

/** The bucket number (0 .. 2^20 - 1) of a 5-hex prefix. */
export function bucketOf(prefixHex: string): number {
  return Number.parseInt(prefixHex.slice(0, RANGE_PREFIX_LENGTH), 16);
}

/**
 * How many entries an answer with `real` true entries shows: at least 32, and otherwise the next
 * power of two, so the size tells only the order of magnitude of the true count.
 */
export function paddedSize(real: number): number {
  let size = RANGE_MIN_ENTRIES;
  while (size < real) size *= 2;
  return size;
}

/** Canonical identifiers by the 20-bit SHA-256 prefix. One string per bucket needs no array. */
export class RangeBuckets {
  private readonly buckets = new Map<number, string | string[]>();
  private count = 0;

  add(canonical: string): void {
    const b = bucketOf(rangeHash(canonical));
    const cur = this.buckets.get(b);
    if (cur === undefined) this.buckets.set(b, canonical);
    else if (typeof cur === 'string') {
      if (cur === canonical) return;
      this.buckets.set(b, [cur, canonical]);
    } else {
      if (cur.includes(canonical)) return;
      cur.push(canonical);
    }
    this.count++;
  }

  remove(canonical: string): void {
    const b = bucketOf(rangeHash(canonical));
    const cur = this.buckets.get(b);
    if (cur === undefined) return;
    if (typeof cur === 'string') {
      if (cur !== canonical) return;
      this.buckets.delete(b);
    } else {
      const at = cur.indexOf(canonical);
      if (at < 0) return;
      cur.splice(at, 1);
      if (cur.length === 1) this.buckets.set(b, cur[0]!);
    }
    this.count--;
  }

  /** The identifiers in one bucket. */
  get(bucket: number): readonly string[] {
    const cur = this.buckets.get(bucket);
    return cur === undefined ? [] : typeof cur === 'string' ? [cur] : cur;
  }

  get size(): number {
    return this.count;
  }
}
