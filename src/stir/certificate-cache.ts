// Cache of fetched-and-validated x5u certificates, keyed by URL. It honours the publisher's
// Cache-Control (RFC 9111 §5.2.2: max-age, no-store), but bounds both the number of entries and the
// age of each, so a hostile x5u host can neither fill memory nor pin a certificate forever. An
// entry never outlives its certificate's notAfter.

export interface CertificateCacheOptions {
  /** Most URLs kept; the least recently used goes first. Default 1000. */
  maxEntries?: number;
  /** Upper bound on any entry's age, whatever max-age says. Default 86 400 s (one day). */
  maxAgeSeconds?: number;
  /** Lifetime when the response had no max-age. Default 3600 s. */
  defaultAgeSeconds?: number;
}

export interface CertificateCache<T> {
  /** The live entry for url at `now` (epoch ms), or undefined. */
  get(url: string, now: number): T | undefined;
  /** Stores value unless the response said no-store; returns whether it was stored. */
  set(url: string, value: T, freshness: { maxAgeSeconds: number | undefined; noStore: boolean; notAfter?: number }, now: number): boolean;
  delete(url: string): void;
  clear(): void;
  readonly size: number;
}

interface Entry<T> {
  value: T;
  expiresAt: number;
}

export function createCertificateCache<T>(options: CertificateCacheOptions = {}): CertificateCache<T> {
  const maxEntries = Math.max(1, options.maxEntries ?? 1000);
  const maxAgeMs = (options.maxAgeSeconds ?? 86_400) * 1000;
  const defaultAgeMs = (options.defaultAgeSeconds ?? 3600) * 1000;
  const entries = new Map<string, Entry<T>>();
  return {
    get(url, now) {
      const entry = entries.get(url);
      if (entry === undefined) return undefined;
      if (now >= entry.expiresAt) {
        entries.delete(url);
        return undefined;
      }
      // Move to the back: Map iteration order is insertion order, so the front is least recently used.
      entries.delete(url);
      entries.set(url, entry);
      return entry.value;
    },
    set(url, value, freshness, now) {
      if (freshness.noStore) return false;
      const ageMs = Math.min(freshness.maxAgeSeconds === undefined ? defaultAgeMs : freshness.maxAgeSeconds * 1000, maxAgeMs);
      const expiresAt = Math.min(now + ageMs, freshness.notAfter ?? Number.POSITIVE_INFINITY);
      if (expiresAt <= now) return false;
      entries.delete(url);
      entries.set(url, { value, expiresAt });
      while (entries.size > maxEntries) {
        const oldest = entries.keys().next();
        if (oldest.done) break;
        entries.delete(oldest.value);
      }
      return true;
    },
    delete(url) {
      entries.delete(url);
    },
    clear() {
      entries.clear();
    },
    get size() {
      return entries.size;
    },
  };
}
