// Row types of the tables that src/store/migrations/0002-stir.ts creates.

/**
 * One STI-AS signing credential per carrier organisation (ATIS-1000080 §6: the key and certificate
 * its STI-CA issued). The private key is only ever stored sealed (AES-256-GCM, see
 * src/operations/stir/key-vault.ts); no query in src/store returns it to an API.
 */
export interface StirSignersTable {
  id: string;
  org_id: string;
  spc: string;
  x5u: string;
  certificate_pem: string;
  /** "v1.<iv>.<tag>.<ciphertext>" (base64url), additional data bound to org_id and spc. */
  sealed_key: string;
  /** The certificate's notAfter, ISO-8601 UTC. */
  not_after: string;
  created_at: string;
  updated_at: string;
}

/** One signed or verified call (a TraceRecord), kept for traceback (ATIS-1000074 §5.2.4). */
export interface StirTracesTable {
  id: string;
  origid: string;
  /** signed | verified */
  direction: string;
  /** SPC of the signing certificate; null when a verified token's certificate could not be read. */
  spc: string | null;
  /** The organisation that signed (direction signed) or asked for the verification (verified). */
  org_id: string;
  /** Calling number, canonical TN (digits, country code first; RFC 8224 §8.3). */
  orig: string;
  /** JSON array of keyed hashes of the called numbers (ctx.hash of +E.164): subscribers are not stored in the clear. */
  dest_hashes: string;
  attest: string | null;
  /** NumericDate seconds as decimal text (any safe integer fits on both engines). */
  iat: string;
  verstat: string | null;
  x5u: string | null;
  /** When it was signed or verified, ISO-8601 UTC. */
  at: string;
}

/** Per calling number (+E.164) counts of verification outcomes (src/stir AttestationHistory). */
export interface StirAttestationHistoryTable {
  number: string;
  a: number;
  b: number;
  c: number;
  failed: number;
  unsigned: number;
  /** Calls attested A by a carrier that does not hold the number (migration 0016). */
  not_holder: number;
  last_seen: string | null;
  last_signed_a: string | null;
}

export interface StirTables {
  stir_signers: StirSignersTable;
  stir_traces: StirTracesTable;
  stir_attestation_history: StirAttestationHistoryTable;
}
