// Replay detection (issue 13 part 2 item 3): a PASSporT is made for one call, but nothing in it
// names the call, so a captured token can be put on other calls while it is fresh (RFC 8224 §6.2.1
// freshness is all that stops it). We remember each accepted token with the call it came on (a
// hash of the SIP Call-ID) until it is no longer fresh; the same token on a call with another
// Call-ID is a replay. A fork of one call to several destinations keeps its Call-ID, so it is
// not one. Memory is bounded twice: entries go when their token is stale, and past `maxEntries`
// the oldest go first.

export type Sighting = 'first' | 'same-call' | 'replayed';

interface Seen {
  call: string;
  /** Epoch ms after which the token is stale anyway (iat + freshness window). */
  expires: number;
}

export class ReplayGuard {
  private readonly seen = new Map<string, Seen>();

  constructor(private readonly maxEntries = 1_000_000) {}

  get size(): number {
    return this.seen.size;
  }

  /** Records that `token` came on `call`; says whether it was seen before on another call. */
  see(token: string, call: string, expires: number, now: number): Sighting {
    this.sweep(now);
    const prior = this.seen.get(token);
    if (prior !== undefined && prior.expires > now) return prior.call === call ? 'same-call' : 'replayed';
    this.add(token, { call, expires });
    return 'first';
  }

  /** A sighting reported by another node: kept unless this node already saw the token. */
  remember(token: string, call: string, expires: number, now: number): void {
    if (expires <= now || this.seen.has(token)) return;
    this.add(token, { call, expires });
  }

  private add(token: string, entry: Seen): void {
    this.seen.delete(token);
    this.seen.set(token, entry);
    while (this.seen.size > this.maxEntries) {
      const oldest = this.seen.keys().next().value as string;
      this.seen.delete(oldest);
    }
  }

  /** Drops stale entries from the front (insertion order is nearly expiry order: iat ± 60 s). */
  sweep(now: number): void {
    for (const [token, entry] of this.seen) {
      if (entry.expires > now) break;
      this.seen.delete(token);
    }
  }
}
