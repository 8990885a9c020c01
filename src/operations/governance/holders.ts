import { randomUUID } from 'node:crypto';
import { parse as parseCsv } from 'csv-parse/sync';
import type { AppContext } from '../../app-context.js';
import { CallshieldError } from '../../errors.js';
import { IDENTITY_LEVELS, USES, checkClaim, describeBlock, parseBlock } from '../../governance/index.js';
import type { ClaimCheck, HolderBlock } from '../../governance/index.js';
import { parseIdentifier } from '../../identity/index.js';
import { insertHolderBlocks, updateHolderBlock } from '../../store/governance/registry.js';
import type { GovernanceHoldersTable } from '../../store/governance/schema.js';
import { OVERSEERS } from '../../auth/index.js';
import { describeActor } from '../actor.js';
import type { Actor } from '../actor.js';
import { CHANGE_KINDS, holderForCaller, holderOfRow, loadGovernance } from './state.js';
import { inTransaction } from '../write.js';
import { findOrgById, findOrgByName } from '../../store/orgs.js';

export const MAX_HOLDER_BLOCKS = 50_000;

export interface HolderInput {
  holder: string;
  identityLevel: string;
  use: string;
  /** The business organisation that holds the numbers: its name or id (only it may then appeal their labels). */
  org?: string;
  number?: string;
  prefix?: string;
  from?: string;
  to?: string;
}

export interface HolderView {
  id: string;
  block: string;
  kind: string;
  holder: string;
  identityLevel: string;
  use: string;
  carrier: string;
  /** The business organisation registered as holding the numbers (its id), or null. */
  org: string | null;
}

export function holderView(b: HolderBlock): HolderView {
  return { id: b.id, block: describeBlock(b), kind: b.kind, holder: b.holder, identityLevel: b.identityLevel, use: b.use, carrier: b.carrierName, org: b.holderOrgId ?? null };
}

/** CSV with a header row: holder,identityLevel,use and one of number | prefix | from,to. */
export function parseHoldersCsv(text: string): HolderInput[] {
  let rows: Record<string, string>[];
  try {
    rows = parseCsv(text, { columns: (h: string[]) => h.map((c) => c.trim()), skip_empty_lines: true, trim: true, bom: true });
  } catch (err) {
    throw new CallshieldError('GOVERNANCE_INVALID_CSV', `the CSV could not be read: ${(err as Error).message}`, { field: 'body' });
  }
  if (rows.length === 0) throw new CallshieldError('GOVERNANCE_INVALID_CSV', 'the CSV has no blocks', { field: 'body' });
  for (const col of ['holder', 'identityLevel', 'use']) {
    if (!(col in rows[0]!)) throw new CallshieldError('GOVERNANCE_INVALID_CSV', `the CSV needs a header row with holder, identityLevel, use and number | prefix | from,to; "${col}" is missing`, { field: 'body' });
  }
  return rows.map((r) => {
    const out: HolderInput = { holder: r.holder ?? '', identityLevel: r.identityLevel ?? '', use: r.use ?? '' };
    if (r.org) out.org = r.org;
    if (r.number) out.number = r.number;
    if (r.prefix) out.prefix = r.prefix;
    if (r.from) out.from = r.from;
    if (r.to) out.to = r.to;
    return out;
  });
}

/**
 * A carrier registers which enterprise holds which numbers. Every block is checked before anything
 * is written; a block that overlaps one registered by another carrier is a conflict (409) naming
 * both, never an overwrite. The same carrier may nest blocks (a single number leased out of a
 * prefix); registering the same block again updates its holder.
 */
export async function registerHolders(ctx: AppContext, blocks: HolderInput[], actor: Actor, field = 'blocks'): Promise<{ registered: number; updated: number; blocks: HolderView[] }> {
  const s = await loadGovernance(ctx);
  if (!Array.isArray(blocks) || blocks.length === 0) throw new CallshieldError('GOVERNANCE_INVALID_BLOCK', 'send at least one block', { field });
  if (blocks.length > MAX_HOLDER_BLOCKS) throw new CallshieldError('GOVERNANCE_INVALID_BLOCK', `at most ${MAX_HOLDER_BLOCKS} blocks per request`, { field });
  const at = new Date(ctx.now()).toISOString();
  // Named business organisations, resolved once each (by id or by name) before anything is checked.
  const orgIds = new Map<string, string | null>();
  for (const b of blocks) {
    const ref = typeof b?.org === 'string' ? b.org.trim() : undefined;
    if (ref && !orgIds.has(ref)) {
      const org = (await findOrgById(ctx.db, ref)) ?? (await findOrgByName(ctx.db, ref));
      orgIds.set(ref, org && org.role === 'business' ? org.id : null);
    }
  }
  const inserts: GovernanceHoldersTable[] = [];
  const updates: HolderBlock[] = [];
  const seen = new Map<string, number>();
  blocks.forEach((input, i) => {
    const f = `${field}.${i}`;
    const holder = typeof input.holder === 'string' ? input.holder.trim() : '';
    if (!holder || holder.length > 200) throw new CallshieldError('GOVERNANCE_INVALID_BLOCK', 'holder must name the enterprise, 1-200 characters', { field: `${f}.holder` });
    if (!(IDENTITY_LEVELS as readonly string[]).includes(input.identityLevel)) {
      throw new CallshieldError('GOVERNANCE_INVALID_BLOCK', `identityLevel must be one of ${IDENTITY_LEVELS.join(', ')}`, { field: `${f}.identityLevel` });
    }
    if (!(USES as readonly string[]).includes(input.use)) throw new CallshieldError('GOVERNANCE_INVALID_BLOCK', `use must be one of ${USES.join(', ')}`, { field: `${f}.use` });
    let holderOrgId: string | null = null;
    if (input.org !== undefined) {
      holderOrgId = typeof input.org === 'string' ? (orgIds.get(input.org.trim()) ?? null) : null;
      if (!holderOrgId) throw new CallshieldError('GOVERNANCE_INVALID_BLOCK', 'org must name a business organisation (its name or id) that holds these numbers', { field: `${f}.org` });
    }
    const block = parseBlock(input, ctx.config.defaultRegion, f);
    const key = `${block.kind}:${block.first}:${block.last}`;
    if (seen.has(key)) throw new CallshieldError('GOVERNANCE_INVALID_BLOCK', `the same block is listed twice (also at ${field}.${seen.get(key)})`, { field: f });
    seen.set(key, i);
    let same: HolderBlock | undefined;
    for (const other of s.holders.overlapping(block)) {
      if (other.carrierOrgId !== actor.orgId) {
        throw new CallshieldError('GOVERNANCE_BLOCK_CONFLICT', `${describeBlock(block)} overlaps ${describeBlock(other)}, held by ${other.holder} through ${other.carrierName}`, {
          field: f,
          extra: { conflict: { block: describeBlock(other), holder: other.holder, carrier: other.carrierName } },
        });
      }
      if (other.kind === block.kind && other.first === block.first && other.last === block.last) same = other;
    }
    const fields = { holder, identityLevel: input.identityLevel as HolderBlock['identityLevel'], use: input.use as HolderBlock['use'], holderOrgId };
    if (same) updates.push({ ...same, ...fields });
    else {
      inserts.push({ id: randomUUID(), carrier_org_id: actor.orgId, carrier_name: actor.orgName, holder, identity_level: fields.identityLevel, use: fields.use, kind: block.kind, first: block.first, last: block.last, created_at: at, updated_at: at, holder_org_id: holderOrgId });
    }
  });
  await inTransaction(ctx, async ({ db, audit, publish }) => {
    await insertHolderBlocks(db, inserts);
    for (const u of updates) await updateHolderBlock(db, u.id, { holder: u.holder, identity_level: u.identityLevel, use: u.use, updated_at: at, holder_org_id: u.holderOrgId ?? null });
    await audit({
      actor: describeActor(actor),
      action: 'holders.register',
      subject: `carrier:${actor.orgId}`,
      details: { registered: inserts.length, updated: updates.length, first: inserts[0] ? describeBlock(holderOfRow(inserts[0])) : undefined },
      at,
    });
    // One entry however many blocks: the other nodes reload the (small) holder table whole.
    publish(CHANGE_KINDS.holders, [actor.orgId]);
  });
  const added = inserts.map(holderOfRow);
  s.holders.upsert([...added, ...updates]);
  return { registered: inserts.length, updated: updates.length, blocks: [...added, ...updates].map(holderView) };
}

/** Who holds a number (or, with no number, the blocks a carrier registered; overseers see all). */
export async function lookupHolders(ctx: AppContext, number: string | undefined, actor: Actor): Promise<{ number?: string; holder?: HolderView | null; blocks?: HolderView[] }> {
  const s = await loadGovernance(ctx);
  if (number !== undefined) {
    const id = parseIdentifier(number, { defaultRegion: ctx.config.defaultRegion }, 'number');
    if (id.kind !== 'phone') throw new CallshieldError('IDENTITY_INVALID_NUMBER', 'number must be a phone number', { field: 'number' });
    const b = s.holders.lookup(id.canonical.slice(1));
    return { number: id.canonical, holder: b ? holderView(b) : null };
  }
  const all = [...s.holders.all()].filter((b) => OVERSEERS.includes(actor.role) || b.carrierOrgId === actor.orgId);
  return { blocks: all.slice(0, 5000).map(holderView) };
}

/**
 * Does what a caller claims (a report's claimedOrganization, the conversation guard's impersonation
 * stage) fit who holds the calling number? In memory; for the conversation guard and complaints.
 */
export function claimCheckFor(ctx: AppContext, callerCanonical: string, claimedOrganization: string | null | undefined): ClaimCheck | null {
  return checkClaim(holderForCaller(ctx, callerCanonical), claimedOrganization);
}
