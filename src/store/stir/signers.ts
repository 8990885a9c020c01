import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { StirSignersTable } from './schema.js';

// Carriers' STI-AS credentials. Only findSignerRow (used to build the in-memory Signer) reads the
// sealed key; the listing selects the public columns only.

export async function upsertSigner(db: Kysely<Database>, row: StirSignersTable): Promise<void> {
  await db
    .insertInto('stir_signers')
    .values(row)
    .onConflict((oc) =>
      oc.column('org_id').doUpdateSet({
        spc: row.spc,
        x5u: row.x5u,
        certificate_pem: row.certificate_pem,
        sealed_key: row.sealed_key,
        not_after: row.not_after,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}

export async function findSignerRow(db: Kysely<Database>, orgId: string): Promise<StirSignersTable | undefined> {
  return db.selectFrom('stir_signers').selectAll().where('org_id', '=', orgId).executeTakeFirst();
}

export interface SignerListing {
  orgId: string;
  orgName: string;
  spc: string;
  x5u: string;
  notAfter: string;
  createdAt: string;
  updatedAt: string;
}

export async function listSigners(db: Kysely<Database>, orgId?: string): Promise<SignerListing[]> {
  let q = db
    .selectFrom('stir_signers')
    .innerJoin('orgs', 'orgs.id', 'stir_signers.org_id')
    .select(['stir_signers.org_id', 'orgs.name', 'stir_signers.spc', 'stir_signers.x5u', 'stir_signers.not_after', 'stir_signers.created_at', 'stir_signers.updated_at']);
  if (orgId !== undefined) q = q.where('stir_signers.org_id', '=', orgId);
  const rows = await q.orderBy('orgs.name').execute();
  return rows.map((r) => ({ orgId: r.org_id, orgName: r.name, spc: r.spc, x5u: r.x5u, notAfter: r.not_after, createdAt: r.created_at, updatedAt: r.updated_at }));
}

/** Organisations whose configured certificate carries this SPC (to name the signer of a foreign-verified call). */
export async function orgsBySpc(db: Kysely<Database>, spcs: readonly string[]): Promise<Map<string, { orgId: string; orgName: string }>> {
  const out = new Map<string, { orgId: string; orgName: string }>();
  if (spcs.length === 0) return out;
  const rows = await db
    .selectFrom('stir_signers')
    .innerJoin('orgs', 'orgs.id', 'stir_signers.org_id')
    .select(['stir_signers.spc', 'stir_signers.org_id', 'orgs.name'])
    .where('stir_signers.spc', 'in', [...spcs])
    .execute();
  for (const r of rows) out.set(r.spc, { orgId: r.org_id, orgName: r.name });
  return out;
}
