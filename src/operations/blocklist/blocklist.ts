// Versioned block lists for devices and switches (GET /v1/blocklist, `callshield export blocklist`).
// A version is a snapshot of the reputation index taken by publishBlocklist: which identifiers are
// on the `block` list (action block/silence) and the `identify` list (label/warn, with labels). The
// store keeps every entry with the version it entered and left at, so any older version gets a
// delta; a signed manifest names each version's counts and digests (docs/blocklist.md).
import { createPublicKey, createHash, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { areaState } from '../../app-context.js';
import type { AppContext } from '../../app-context.js';
import { CallshieldError } from '../../errors.js';
import { csvLine } from '../../csv-writer.js';
import { BLOCKLISTS, blocklistEntryOf, listDigest, numberKey } from '../../screening/index.js';
import type { BlocklistEntry, BlocklistName } from '../../screening/index.js';
import {
  blocklistDelta,
  blocklistPages,
  blocklistPagesSqlite,
  currentBlocklistEntries,
  insertBlocklistVersion,
  latestBlocklistVersion,
  removeBlocklistEntries,
} from '../../store/blocklist/entries.js';
import type { BlocklistRow, BlocklistVersionRow } from '../../store/blocklist/entries.js';

export const BLOCKLIST_FORMATS = ['json', 'csv', 'ios'] as const;
export type BlocklistFormat = (typeof BLOCKLIST_FORMATS)[number];

const state = areaState('blocklist', () => ({ checkedAt: -Infinity, publishing: undefined as Promise<BlocklistVersionRow | undefined> | undefined }));

const keyOf = (list: string, identifier: string): string => `${list}\u0000${identifier}`;

/**
 * Compares the index with the newest stored version and stores a new version when they differ.
 * Returns the newest version (undefined only when nothing was ever listed and nothing is now).
 */
export async function publishBlocklist(ctx: AppContext): Promise<BlocklistVersionRow | undefined> {
  const s = ctx.area(state);
  if (s.publishing) return s.publishing;
  s.publishing = (async () => {
    const desired = new Map<string, BlocklistEntry>();
    for (const id of ctx.index.keys()) {
      const r = ctx.index.get(id);
      const e = r && blocklistEntryOf(id, r);
      if (e) desired.set(keyOf(e.list, e.identifier), e);
    }
    const upserts: BlocklistEntry[] = [];
    const removals: Record<BlocklistName, string[]> = { block: [], identify: [] };
    const seen = new Set<string>();
    for await (const page of currentBlocklistEntries(ctx.db)) {
      for (const row of page) {
        const k = keyOf(row.list, row.identifier);
        const d = desired.get(k);
        if (!d) removals[row.list as BlocklistName].push(row.identifier);
        else {
          seen.add(k);
          if (d.label !== row.label || d.category !== row.category) upserts.push(d);
        }
      }
    }
    for (const [k, d] of desired) if (!seen.has(k)) upserts.push(d);
    const latest = await latestBlocklistVersion(ctx.db);
    if (upserts.length === 0 && removals.block.length === 0 && removals.identify.length === 0 && latest) return latest;
    const version = (latest?.version ?? 0) + 1;
    const byList = (list: BlocklistName) => [...desired.values()].filter((e) => e.list === list);
    const row: BlocklistVersionRow = {
      version,
      created_at: new Date(ctx.now()).toISOString(),
      block_count: byList('block').length,
      identify_count: byList('identify').length,
      block_digest: listDigest('block', byList('block')),
      identify_digest: listDigest('identify', byList('identify')),
    };
    try {
      await ctx.db.transaction().execute(async (trx) => {
        for (let i = 0; i < upserts.length; i += 500) {
          const values = upserts.slice(i, i + 500).map((e) => ({ list: e.list, identifier: e.identifier, number_key: numberKey(e.identifier) ?? null, category: e.category, label: e.label, added_version: version, removed_version: null }));
          await trx
            .insertInto('blocklist_entries')
            .values(values)
            .onConflict((oc) =>
              oc.columns(['list', 'identifier']).doUpdateSet((eb) => ({
                number_key: eb.ref('excluded.number_key'),
                category: eb.ref('excluded.category'),
                label: eb.ref('excluded.label'),
                added_version: eb.ref('excluded.added_version'),
                removed_version: null,
              })),
            )
            .execute();
        }
        for (const list of BLOCKLISTS) await removeBlocklistEntries(trx, list, removals[list], version);
        await insertBlocklistVersion(trx, row);
      });
    } catch (err) {
      // Another node published this version number first: its snapshot is as good as ours.
      const now = await latestBlocklistVersion(ctx.db);
      if (now && now.version >= version) return now;
      throw err;
    }
    ctx.logger.info({ version, block: row.block_count, identify: row.identify_count, changed: upserts.length + removals.block.length + removals.identify.length }, 'published a block-list version');
    return row;
  })().finally(() => {
    s.publishing = undefined;
  });
  return s.publishing;
}

/** The newest version, publishing a new one first when the last check is older than CALLSHIELD_BLOCKLIST_SECONDS. */
export async function currentBlocklist(ctx: AppContext): Promise<BlocklistVersionRow | undefined> {
  const s = ctx.area(state);
  const t = ctx.now();
  if (t - s.checkedAt >= ctx.config.blocklistSeconds * 1000) {
    const v = await publishBlocklist(ctx);
    s.checkedAt = t;
    return v;
  }
  return latestBlocklistVersion(ctx.db);
}

export interface BlocklistRequest {
  format?: string;
  since?: number;
  list?: string;
}

export interface BlocklistBody {
  version: number;
  contentType: string;
  chunks: AsyncIterable<string>;
}

const digits = (identifier: string): string => identifier.slice(1);

/** Parses and checks the query (each fault names its field). */
function parseRequest(req: BlocklistRequest): { format: BlocklistFormat; list: BlocklistName; since: number | undefined } {
  const format = (req.format ?? 'json') as BlocklistFormat;
  if (!BLOCKLIST_FORMATS.includes(format)) throw new CallshieldError('REQUEST_INVALID_QUERY', 'format must be json, csv or ios', { field: 'format' });
  const list = (req.list ?? 'block') as BlocklistName;
  if (!BLOCKLISTS.includes(list)) throw new CallshieldError('REQUEST_INVALID_QUERY', 'list must be block or identify', { field: 'list' });
  if (req.since !== undefined && (!Number.isInteger(req.since) || req.since < 0)) throw new CallshieldError('REQUEST_INVALID_QUERY', 'since must be a version number (a whole number, 0 or more)', { field: 'since' });
  return { format, list, since: req.since };
}

/**
 * The list, whole or as a delta since a version, in the format asked, as text chunks (streamed: a
 * 10-million-entry list is never held in memory). Version 0 is the empty list before the first.
 */
export async function blocklistBody(ctx: AppContext, req: BlocklistRequest, version?: BlocklistVersionRow): Promise<BlocklistBody> {
  const { format, list, since } = parseRequest(req);
  const v = version ?? (await currentBlocklist(ctx));
  const V = v?.version ?? 0;
  if (since !== undefined && since > V) throw new CallshieldError('REQUEST_INVALID_QUERY', `since ${since} is newer than the newest version (${V})`, { field: 'since' });
  const db = ctx.db;
  if (since !== undefined) {
    const { added, removed } = V === 0 ? { added: [], removed: [] } : await blocklistDelta(db, list, since, V);
    if (format === 'csv') {
      return {
        version: V,
        contentType: 'text/csv; charset=utf-8',
        chunks: (async function* () {
          yield csvLine(['change', 'identifier', 'category', 'label']);
          for (const r of added) yield csvLine(['added', r.identifier, r.category, r.label]);
          for (const r of removed) yield csvLine(['removed', r.identifier, r.category, r.label]);
        })(),
      };
    }
    if (format === 'ios') {
      const byNumber = (a: BlocklistRow, b: BlocklistRow) => (a.number_key! < b.number_key! ? -1 : 1);
      const phones = (rows: BlocklistRow[]) => rows.filter((r) => r.number_key !== null).sort(byNumber);
      const body = {
        version: V,
        list,
        since,
        added: phones(added).map((r) => (list === 'block' ? digits(r.identifier) : { number: digits(r.identifier), label: r.label })),
        removed: phones(removed).map((r) => digits(r.identifier)),
      };
      return { version: V, contentType: 'application/json; charset=utf-8', chunks: once(JSON.stringify(body)) };
    }
    const body = { version: V, list, since, added: added.map(entryView), removed: removed.map((r) => r.identifier) };
    return { version: V, contentType: 'application/json; charset=utf-8', chunks: once(JSON.stringify(body)) };
  }
  const pages = (order: 'identifier' | 'number') =>
    V === 0 ? empty() : ctx.engine === 'sqlite' && ctx.config.dbPath !== ':memory:' ? blocklistPagesSqlite(ctx.config.dbPath, list, V, order) : blocklistPages(db, list, V, order);
  if (format === 'csv') {
    return {
      version: V,
      contentType: 'text/csv; charset=utf-8',
      chunks: (async function* () {
        yield csvLine(['identifier', 'category', 'label']);
        for await (const page of pages('identifier')) yield page.map((r) => csvLine([r.identifier, r.category, r.label])).join('');
      })(),
    };
  }
  if (format === 'ios') {
    return {
      version: V,
      contentType: 'text/plain; charset=utf-8',
      chunks: (async function* () {
        for await (const page of pages('number')) {
          yield page.map((r) => (list === 'block' ? `${digits(r.identifier)}\n` : `${digits(r.identifier)}\t${r.label.replace(/[\t\n\r]/g, ' ')}\n`)).join('');
        }
      })(),
    };
  }
  return {
    version: V,
    contentType: 'application/json; charset=utf-8',
    chunks: (async function* () {
      yield `{"version":${V},"list":${JSON.stringify(list)},"entries":[`;
      let first = true;
      for await (const page of pages('identifier')) {
        const text = page.map((r) => JSON.stringify(entryView(r))).join(',');
        yield first ? text : `,${text}`;
        first = false;
      }
      yield ']}';
    })(),
  };
}

function entryView(r: Pick<BlocklistRow, 'identifier' | 'category' | 'label'>): { identifier: string; category: string | null; label: string } {
  return { identifier: r.identifier, category: r.category, label: r.label };
}

async function* once(text: string): AsyncGenerator<string> {
  yield text;
}

async function* empty(): AsyncGenerator<Pick<BlocklistRow, 'identifier' | 'number_key' | 'category' | 'label'>[]> {}

/** The verifier's public key, as GET /v1/blocklist/signing-key publishes it. */
export function signingKeyView(ctx: AppContext): { algorithm: 'Ed25519'; keyId: string; publicKey: string; pem: string } {
  const pub = createPublicKey(ctx.listSigningKey);
  const raw = rawPublicKey(pub);
  return { algorithm: 'Ed25519', keyId: keyIdOf(raw), publicKey: raw.toString('base64url'), pem: pub.export({ type: 'spki', format: 'pem' }).toString() };
}

function rawPublicKey(pub: KeyObject): Buffer {
  // The SPKI DER of an Ed25519 key ends with the 32 raw bytes.
  const der = pub.export({ type: 'spki', format: 'der' });
  return der.subarray(der.length - 32);
}

const keyIdOf = (raw: Buffer): string => createHash('sha256').update(raw).digest('hex').slice(0, 16);

/**
 * The signed manifest of the newest version: `payload` is the exact JSON text signed (Ed25519, with
 * the key GET /v1/blocklist/signing-key publishes), `signature` its signature in base64url; the
 * payload's fields are repeated beside it for convenience.
 */
export async function blocklistManifest(ctx: AppContext): Promise<Record<string, unknown>> {
  const v = await currentBlocklist(ctx);
  const { keyId } = signingKeyView(ctx);
  const emptyDigest = createHash('sha256').digest('hex');
  const manifest = {
    version: v?.version ?? 0,
    createdAt: v?.created_at ?? new Date(0).toISOString(),
    keyId,
    lists: {
      block: { count: v?.block_count ?? 0, digest: v?.block_digest ?? emptyDigest },
      identify: { count: v?.identify_count ?? 0, digest: v?.identify_digest ?? emptyDigest },
    },
  };
  const payload = JSON.stringify(manifest);
  const signature = sign(null, Buffer.from(payload), ctx.listSigningKey).toString('base64url');
  return { ...manifest, payload, signature };
}
