import type { Attestation } from './types.js';

export interface AttestationFacts {
  /** The carrier has an authenticated, direct relationship with the calling customer. */
  customerVerified: boolean;
  /** The customer is verified to be entitled to use the calling number. */
  numberVerified: boolean;
  /** The call entered this network from elsewhere (gateway, international, unknown origin). */
  gateway: boolean;
}

/**
 * ATIS-1000074 §5.2.3: A (full) when the originating carrier knows the customer and that the
 * customer may use the number; B (partial) when it knows the customer but not the number; C
 * (gateway) when it only carries the call onwards or knows neither.
 */
export function decideAttestation(facts: AttestationFacts): Attestation {
  if (facts.gateway) return 'C';
  if (facts.customerVerified && facts.numberVerified) return 'A';
  if (facts.customerVerified) return 'B';
  return 'C';
}
