import { X509Certificate, randomUUID } from 'node:crypto';
import type { AppContext } from '../../app-context.js';
import { OVERSEERS } from '../../auth/index.js';
import { CallshieldError } from '../../errors.js';
import { createSigner, readCertificateSpc } from '../../stir/index.js';
import type { Signer } from '../../stir/index.js';
import { findOrgByName } from '../../store/orgs.js';
import { findSignerRow, listSigners as storeListSigners, upsertSigner } from '../../store/stir/signers.js';
import type { SignerListing } from '../../store/stir/signers.js';
import { describeActor } from '../actor.js';
import type { Actor } from '../actor.js';
import { openSigningKey, sealSigningKey } from './key-vault.js';
import { SIGNER_TTL_MS } from './runtime.js';
import type { StirRuntime } from './runtime.js';
import { SIGNERS_CHANGE_KIND } from './carrier-spcs.js';
import { inTransaction } from '../write.js';

// A carrier's STI-AS credential: configured by the operator (`callshield stir signer add`), sealed
// at rest, opened into a Signer (whose key lives only in a closure) when the carrier first signs.
// No function here returns or logs key material.

export interface SignerInput {
  org: string;
  privateKeyPem: string;
  certificatePem: string;
  x5u: string;
}

export interface SignerView {
  orgName: string;
  spc: string;
  x5u: string;
  notAfter: string;
  createdAt: string;
  updatedAt: string;
}

function view(s: SignerListing): SignerView {
  return { orgName: s.orgName, spc: s.spc, x5u: s.x5u, notAfter: s.notAfter, createdAt: s.createdAt, updatedAt: s.updatedAt };
}

/** Configures (or replaces) an organisation's signing key and certificate. */
export async function addSigner(ctx: AppContext, input: SignerInput, actor: Actor): Promise<SignerView> {
  const org = await findOrgByName(ctx.db, input.org);
  if (!org) throw new CallshieldError('STIR_INVALID_REQUEST', `no organisation named "${input.org}" (create it with \`callshield keys create\`)`, { field: 'org' });
  if (org.role !== 'carrier') throw new CallshieldError('STIR_INVALID_REQUEST', `"${org.name}" is a ${org.role}; only carriers sign calls`, { field: 'org' });
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(input.certificatePem);
  } catch (cause) {
    throw new CallshieldError('STIR_INVALID_CERTIFICATE', 'the certificate is not a readable PEM certificate', { field: 'cert', cause });
  }
  // ATIS-1000080 §6.4.1: the SPC the carrier signs for is the one in its certificate's TNAuthList.
  const spc = readCertificateSpc(certificate.raw);
  if (spc === undefined) throw new CallshieldError('STIR_INVALID_CERTIFICATE', 'the certificate has no TNAuthList with an SPC', { field: 'cert' });
  const now = ctx.now();
  const notAfter = Date.parse(certificate.validTo);
  if (!(notAfter > now)) throw new CallshieldError('STIR_INVALID_CERTIFICATE', `the certificate expired on ${certificate.validTo}`, { field: 'cert' });
  // Checks the key is P-256, belongs to the certificate, and that x5u is an http(s) URL.
  createSigner({ spc, x5u: input.x5u, privateKeyPem: input.privateKeyPem, certificatePem: input.certificatePem });
  const at = new Date(now).toISOString();
  const sealed = await sealSigningKey(ctx, input.privateKeyPem, org.id, spc);
  const saved = await inTransaction(ctx, async ({ db, audit }) => {
    const existing = await findSignerRow(db, org.id);
    await upsertSigner(db, {
      id: existing?.id ?? randomUUID(),
      org_id: org.id,
      spc,
      x5u: input.x5u,
      certificate_pem: input.certificatePem,
      sealed_key: sealed,
      not_after: new Date(notAfter).toISOString(),
      created_at: existing?.created_at ?? at,
      updated_at: at,
    });
    await audit({
      actor: describeActor(actor),
      action: existing ? 'stir.signer.replace' : 'stir.signer.add',
      subject: `org:${org.id}`,
      details: { org: org.name, spc, x5u: input.x5u, serialNumber: certificate.serialNumber, notAfter: new Date(notAfter).toISOString() },
      at,
    });
    return (await storeListSigners(db, org.id))[0]!;
  });
  // Every node's map of carrier SPCs (carrier-spcs.ts) follows.
  await ctx.publish(SIGNERS_CHANGE_KIND, [org.id]);
  return view(saved);
}

/** A carrier sees its own signer; an overseer (admin, regulator) every one. */
export async function listSigners(ctx: AppContext, actor: Actor): Promise<SignerView[]> {
  return (await storeListSigners(ctx.db, OVERSEERS.includes(actor.role) ? undefined : actor.orgId)).map(view);
}

/** The calling carrier's Signer (opened from the store at most once a minute), or undefined. */
export async function signerFor(ctx: AppContext, rt: StirRuntime, orgId: string): Promise<Signer | undefined> {
  const now = ctx.now();
  const hit = rt.signers.get(orgId);
  if (hit && hit.until > now) return hit.signer;
  const row = await findSignerRow(ctx.db, orgId);
  if (!row) {
    rt.signers.delete(orgId);
    return undefined;
  }
  const signer = createSigner({ spc: row.spc, x5u: row.x5u, certificatePem: row.certificate_pem, privateKeyPem: await openSigningKey(ctx, row.sealed_key, row.org_id, row.spc) });
  rt.signers.set(orgId, { signer, until: now + SIGNER_TTL_MS });
  return signer;
}
