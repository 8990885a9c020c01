import type { SubscriberPolicy } from './types.js';

/**
 * Subscriber policies by the organisation that set them, then by hashed subscriber: a subscriber
 * who uses two apps has two policies, and each app's screening reads its own. The outer map holds
 * only organisations that set policies (a handful of apps), so screening costs one look-up there —
 * none of the subscriber hash at all for an organisation without policies (a carrier) — and one in
 * the organisation's own map, as when policies were keyed by subscriber alone.
 */
export class PolicyBook {
  readonly #byOrg = new Map<string, Map<string, SubscriberPolicy>>();
  #size = 0;

  /** The policies one organisation set, by hashed subscriber (undefined when it set none). */
  forOrg(orgId: string): ReadonlyMap<string, SubscriberPolicy> | undefined {
    return this.#byOrg.get(orgId);
  }

  get(orgId: string, subscriberHash: string): SubscriberPolicy | undefined {
    return this.#byOrg.get(orgId)?.get(subscriberHash);
  }

  has(orgId: string, subscriberHash: string): boolean {
    return this.#byOrg.get(orgId)?.has(subscriberHash) ?? false;
  }

  set(orgId: string, subscriberHash: string, policy: SubscriberPolicy): void {
    let mine = this.#byOrg.get(orgId);
    if (!mine) this.#byOrg.set(orgId, (mine = new Map()));
    if (!mine.has(subscriberHash)) this.#size++;
    mine.set(subscriberHash, policy);
  }

  delete(orgId: string, subscriberHash: string): boolean {
    const mine = this.#byOrg.get(orgId);
    if (!mine?.delete(subscriberHash)) return false;
    this.#size--;
    if (mine.size === 0) this.#byOrg.delete(orgId);
    return true;
  }

  /** Every organisation's policy for one subscriber (off the hot path: one look-up per organisation). */
  *ofSubscriber(subscriberHash: string): IterableIterator<[orgId: string, policy: SubscriberPolicy]> {
    for (const [orgId, mine] of this.#byOrg) {
      const p = mine.get(subscriberHash);
      if (p) yield [orgId, p];
    }
  }

  /** Every (organisation, subscriber) pair held, for a full reload that drops the ones gone from the store. */
  *keys(): IterableIterator<[orgId: string, subscriberHash: string]> {
    for (const [orgId, mine] of this.#byOrg) for (const subscriberHash of mine.keys()) yield [orgId, subscriberHash];
  }

  /** Policies across all organisations. */
  get size(): number {
    return this.#size;
  }
}
