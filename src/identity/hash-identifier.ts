import { createHmac } from 'node:crypto';

// Subscriber numbers and contact lists are kept only as keyed hashes: the decision needs to know
// "is this caller one of my contacts", never the contact list itself. The key is per deployment
// (generated on first start and kept in the database), so the hashes cannot be reversed with a
// precomputed table of all phone numbers.
export function hashIdentifier(secret: string, canonical: string): string {
  return createHmac('sha256', secret).update(canonical).digest('base64url').slice(0, 32);
}
