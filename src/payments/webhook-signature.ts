import { createHmac, timingSafeEqual } from 'node:crypto';

// Stripe-style signing: HMAC-SHA256 over "<unix seconds>.<raw body>", sent as
// `X-Callshield-Signature: t=<unix>,v1=<hex>`. The timestamp inside the MAC lets a receiver refuse
// replays older than its tolerance; the raw body (not re-serialised JSON) is what is signed.
export const SIGNATURE_HEADER = 'x-callshield-signature';
export const DEFAULT_TOLERANCE_SECONDS = 300;

export function signPayload(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

export function signatureHeader(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${signPayload(secret, timestamp, body)}`;
}

export type SignatureCheck = { ok: true; timestamp: number } | { ok: false; reason: 'malformed' | 'stale' | 'mismatch' };

/** What a receiver runs on every delivery (docs/payments.md shows the same in a few lines). */
export function verifySignature(header: string | undefined, body: string, secret: string, nowSeconds: number, toleranceSeconds = DEFAULT_TOLERANCE_SECONDS): SignatureCheck {
  if (!header) return { ok: false, reason: 'malformed' };
  const parts = new Map<string, string[]>();
  for (const piece of header.split(',')) {
    const i = piece.indexOf('=');
    if (i <= 0) continue;
    const k = piece.slice(0, i).trim();
    parts.set(k, [...(parts.get(k) ?? []), piece.slice(i + 1).trim()]);
  }
  const t = Number(parts.get('t')?.[0]);
  const sigs = parts.get('v1') ?? [];
  if (!Number.isInteger(t) || sigs.length === 0) return { ok: false, reason: 'malformed' };
  if (Math.abs(nowSeconds - t) > toleranceSeconds) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(signPayload(secret, t, body), 'hex');
  // Several v1 values are allowed so a receiver keeps working while a secret is rotated.
  for (const s of sigs) {
    const got = Buffer.from(s, 'hex');
    if (got.length === expected.length && timingSafeEqual(got, expected)) return { ok: true, timestamp: t };
  }
  return { ok: false, reason: 'mismatch' };
}
