// What a running callshield holds: the store, the hot in-memory indexes that screening reads, and
// the deployment secrets (read from CALLSHIELD_SECRET_FILE, see src/store/deployment-secrets.ts). Both edges (the HTTP server and the CLI) open one of these and call the
// operations in src/operations with it.
import { existsSync } from 'node:fs';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { pino } from 'pino';
import type { Config } from './config.js';
import { hashIdentifier } from './identity/index.js';
import { ReputationIndex, TallyCache, TallyUnsupported, scoreEvidence } from './reputation/index.js';
import { PolicyBook, deserialisePolicy } from './screening/index.js';
import type { Reputation } from './reputation/index.js';
import type { RiskyCallSignal } from './payments/index.js';
import { migrateToLatest } from './store/migrate.js';
import { openDatabase } from './store/open-database.js';
import type { Engine } from './store/open-database.js';
import { listSigningKey, loadDeploymentSecrets } from './store/deployment-secrets.js';
import { randomUUID } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { identifiersWithEvidence, installEvidenceRead, loadEvidence, loadReportEvidence } from './store/reputation/evidence.js';
import { reputationAfterReport } from './operations/reputation/tally.js';
import { allPolicies, findPolicy, policiesOfSubscriber } from './store/screening/policies.js';
import { REPORT_CHANGE, latestChangeSeq, parseReportChangeKey, prunedThrough, readChangesAfter, recordChanges, recordChangesIn } from './store/changes.js';
import { readIndexSnapshot, writeIndexSnapshot } from './store/index-snapshot-file.js';
import { snapshotMacKey } from './reputation/index-snapshot.js';
import { pruneRiskyCalls, recentRiskyCalls, riskyCallsOf, upsertRiskyCall } from './store/conversation/risky-calls.js';
import type { ChangeKind } from './store/changes.js';
import type { Database } from './store/schema.js';
import { latestCheckpoint } from './store/audit/log.js';
import { loadAuditKey } from './operations/audit/key.js';
import type { AuditKey } from './operations/audit/key.js';
import { signNewCheckpoint } from './operations/audit/log.js';

/**
 * "This subscriber is in (or was just in) a risky call": set by the conversation guard when a
 * call's risk crosses its alert threshold, or when the subscriber's app reports screen sharing with
 * a stranger; read by the payments transfer check. Keyed by the hashed subscriber identifier.
 */
export interface RiskyCallMark extends RiskyCallSignal {
  readonly callId: string;
}

/**
 * One area's runtime state on a context (the STIR verifier, the open calls, the governance and
 * payments registries). The area declares its slot in its own folder with `areaState`, and reaches
 * its state with `ctx.area(slot)`: made on first use, one per context, gone with the context.
 */
export interface AreaState<T> {
  readonly name: string;
  readonly create: () => T;
}

export function areaState<T>(name: string, create: () => T): AreaState<T> {
  return Object.freeze({ name, create });
}

/**
 * What every area shares: configuration, the database, the clock, the keyed hash, the logger and
 * the change log, plus the hot state that several areas read on their fast paths (the reputation
 * index, subscriber policies, risky-call marks). Anything one area alone keeps is reached through
 * `area(slot)`.
 */
/** The `area` accessor of one context: each slot's state, created on first use. */
export function createAreaStates(): <T>(slot: AreaState<T>) => T {
  const areas = new Map<AreaState<unknown>, unknown>();
  return <T>(slot: AreaState<T>): T => {
    let state = areas.get(slot) as T | undefined;
    if (state === undefined) areas.set(slot, (state = slot.create()));
    return state;
  };
}

export interface AppContext {
  readonly config: Config;
  readonly db: Kysely<Database>;
  readonly engine: Engine;
  readonly logger: Logger;
  /** The key that signs the audit log's checkpoints; undefined with PostgreSQL and no CALLSHIELD_AUDIT_KEY_FILE. */
  readonly auditKey: AuditKey | undefined;
  readonly index: ReputationIndex;
  /** Subscriber policies by the organisation that set them and the hashed subscriber identifier. */
  readonly policies: PolicyBook;
  /**
   * Subscribers in or just out of a risky call (see RiskyCallMark). Read it here; write with
   * markRiskyCall. Marks past the risky window are removed by pruneRiskyCalls (the dispatcher's sweep).
   */
  readonly riskyCalls: Map<string, RiskyCallMark>;
  /**
   * Sets a risky-call mark here at once, then stores it and tells the other nodes in one
   * transaction (without making the caller wait: the conversation guard calls this from its
   * synchronous utterance path). The returned promise settles when it is stored (or failed, logged).
   */
  markRiskyCall(subscriberHash: string, mark: RiskyCallMark): Promise<void>;
  /**
   * Removes risky-call marks that no longer count (inactive and older than the risky window, or
   * not updated for a whole day) here and in the store; returns how many left memory.
   */
  pruneRiskyCalls(): Promise<number>;
  /** Keyed hash of a canonical identifier (subscribers, contacts, reporters). */
  hash(canonical: string): string;
  /** The key that seals carriers' STIR signing keys at rest (from the secret file, never the database). */
  readonly keyEncryptionKey: Buffer;
  /** The Ed25519 private key that signs block-list manifests (derived from the secret file). */
  readonly listSigningKey: KeyObject;
  now(): number;
  /**
   * Re-scores identifiers from the store and updates the hot index at once; unless `publish` is
   * false it also appends them to the change log so the other nodes do the same.
   */
  refreshReputation(identifiers: Iterable<string>, options?: { publish?: boolean }): Promise<Map<string, Reputation>>;
  /**
   * The incremental tallies of callers being reported now (operations/reputation/tally.ts). Every
   * full re-score of an identifier checks its tally against the full result and drops it.
   */
  readonly tallies: TallyCache;
  /**
   * A write is about to record a reputation change for `identifier` in its own transaction, and
   * this node updates its index itself: it skips that change-log entry when reading it back. Call
   * the returned function if the write fails.
   */
  ownReputationChange(identifier: string): () => void;
  /**
   * The NOTIFY payload of writes whose every change-log entry this node already applied itself
   * (ownReputationChange): this node's change feed does not wake for them (src/change-feed.ts).
   */
  readonly ownChangesNotice: string;
  /**
   * Whether another node may be listening for change-log notices (PostgreSQL). src/change-feed.ts
   * keeps it: true until the feed has looked, true whenever another node's notice arrives, false
   * only when the feed's last look (once a second) found no other node's feed connected.
   */
  readonly changeListeners: { others: boolean };
  /**
   * The NOTIFY payload for writes whose every change-log entry this node applied itself: its own
   * notice, which wakes every node but this one, or null (no NOTIFY at all) when no other node
   * listens. Such a NOTIFY would wake only this node's own feed, to be ignored; on a two-core
   * machine that wake-up cost a hot caller's reports a fifth of their rate (BENCHMARKS.md, "Twelfth
   * session"). A node that joins is heard within a second, and its poll covers that second.
   */
  noticeOfOwnChanges(): string | null;
  /** Tells the other nodes that an organisation's policy for a subscriber changed (set or deleted). */
  publishPolicy(orgId: string, subscriberHash: string): Promise<void>;
  /**
   * Re-scores every identifier with evidence in the store (and those in the index whose evidence
   * is gone), so decay reaches identifiers this node has never seen written. Returns how many.
   */
  rescoreAll(): Promise<number>;
  /**
   * Applies the change log entries written since the last call (by any node); returns how many.
   * When entries this node needed were pruned (it was away longer than the retention), it reloads
   * every index in full instead, logs it, and `changeLog().reloading` is true meanwhile.
   */
  applyChanges(): Promise<number>;
  /** Whether a full reload is under way, how many this node did and when the last one ended (for /readyz). */
  changeLog(): { reloading: boolean; reloads: number; lastReloadAt: string | undefined };
  /** The sequence number of the last change-log entry this node has applied (readiness: caught up?). */
  appliedChangeSeq(): number;
  /** The snapshot the hot index was read from at start-up (CALLSHIELD_INDEX_SNAPSHOT), if it was. */
  indexSnapshot(): { seq: number; writtenAt: string } | undefined;
  /**
   * Writes the hot index to CALLSHIELD_INDEX_SNAPSHOT (temporary file, then renamed; the server
   * keeps serving while it runs). Undefined when no snapshot path is configured.
   */
  writeIndexSnapshot(): Promise<{ path: string; identifiers: number; ms: number } | undefined>;
  /**
   * Tells every node (this one included, at its next applyChanges) that in-memory state of another
   * area changed: `kind` names the area's state ("governance.holders"), `keys` what changed.
   */
  publish(kind: string, keys: string[]): Promise<void>;
  /** Registers how this node brings its in-memory state up to date for a kind of change. */
  onChange(kind: string, apply: (keys: string[]) => Promise<void>): void;
  /**
   * Registers how an area reloads its whole in-memory state from the store, for a full reload
   * after this node missed change-log entries (one per name; registering again replaces it).
   */
  onReload(name: string, reload: () => Promise<void>): void;
  /** This context's state of one area (see AreaState), created on first use. */
  area<T>(slot: AreaState<T>): T;
  close(): Promise<void>;
}

export interface OpenAppOptions {
  logger?: Logger;
  clock?: () => number;
  /** Skip loading the hot indexes (CLI commands that only write). */
  skipIndex?: boolean;
  /**
   * Read the hot index from its snapshot (CALLSHIELD_INDEX_SNAPSHOT) when one is usable: `serve`
   * only, which then applies the change log after it and re-scores in the background. One-shot
   * commands always re-score from the store, so they never answer from a stale snapshot.
   */
  indexSnapshot?: boolean;
  /**
   * Generate the audit key beside the SQLite file when there is none (default true). Commands that
   * check a log (audit verify, perhaps on a copy) must not invent a key that then "fails" to verify.
   */
  createAuditKey?: boolean;
}

/** The change-log key of one organisation's policy for one subscriber (hashes never hold a colon). */
export function policyChangeKey(orgId: string, subscriberHash: string): string {
  return `${orgId}:${subscriberHash}`;
}

export async function openApp(config: Config, options: OpenAppOptions = {}): Promise<AppContext> {
  const logger = options.logger ?? pino({ level: config.logLevel });
  const { db, engine } = openDatabase(config);
  try {
    await migrateToLatest(db);
    if (engine === 'postgres') await installEvidenceRead(db);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  let secret: string;
  let keyEncryptionKey: Buffer;
  let auditKey: AuditKey | undefined;
  try {
    ({ hash: secret, kek: keyEncryptionKey } = await loadDeploymentSecrets(db, { secretFile: config.secretFile, engine, logger }));
    auditKey = loadAuditKey(config, { create: options.createAuditKey !== false && engine === 'sqlite' });
  } catch (err) {
    await db.destroy();
    throw err;
  }
  const now = options.clock ?? Date.now;
  const index = new ReputationIndex();
  const policies = new PolicyBook();
  const tallies = new TallyCache();
  // The NOTIFY payload of this node's own applied writes, and whether anyone else would hear it.
  const ownChangesNotice = `node:${randomUUID()}`;
  const changeListeners = { others: true };
  // Reputation changes this node published after updating its own index: skipped once each when read back.
  const ownReputation = new Map<string, number>();

  const rescore = async (identifiers: Iterable<string>): Promise<Map<string, Reputation>> => {
    const ids = [...new Set(identifiers)];
    const out = new Map<string, Reputation>();
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const bundles = await loadEvidence(db, chunk);
      const t = now();
      for (const id of chunk) {
        const b = bundles.get(id);
        const r = b ? scoreEvidence(b.evidence, t, b.clearance) : scoreEvidence([], t);
        checkTally(id, r, t);
        index.set(id, r);
        out.set(id, r);
      }
    }
    return out;
  };

  // The full recompute is the check of the incremental tallies: a difference is logged (it would
  // mean a bug, or evidence changed without a re-score, e.g. a reporter's credibility after an
  // appeal on another caller), and the tally is dropped either way, to be rebuilt from the store.
  const checkTally = (id: string, full: Reputation, t: number): void => {
    const tally = tallies.get(id);
    if (!tally) {
      tallies.invalidate(id);
      return;
    }
    tallies.invalidate(id);
    try {
      const inc = tally.score(t);
      if (inc.score !== full.score || inc.category !== full.category || inc.confidence !== full.confidence || inc.label !== full.label) {
        logger.warn({ identifier: id, incremental: inc.score, full: full.score }, 'incremental reputation differed from the full recompute');
      }
    } catch (err) {
      if (!(err instanceof TallyUnsupported)) throw err;
    }
  };

  // For changes not written through inTransaction (whose WriteScope.publish logs them in the same
  // transaction). A failed publish must not fail a write that has already committed: this node is
  // correct at once, and the others catch up at their periodic re-score.
  const publish = async (kind: ChangeKind, keys: string[]): Promise<void> => {
    try {
      await recordChanges(db, engine, kind, keys);
    } catch (err) {
      logger.warn({ err, kind, keys: keys.length }, 'could not publish a change');
    }
  };
  const refreshReputation = async (identifiers: Iterable<string>, opts: { publish?: boolean } = {}): Promise<Map<string, Reputation>> => {
    const ids = [...new Set(identifiers)];
    if (opts.publish !== false) await publish('reputation', ids);
    // A context without an index (a CLI command) only tells the servers; scoring here would be
    // thrown away when the command exits.
    if (options.skipIndex) return new Map();
    return rescore(ids);
  };

  // A policy change names "org:subscriber"; one written before migration 0011 names the subscriber
  // alone, and then every organisation's policy for that subscriber is reloaded.
  const reloadPolicy = async (key: string): Promise<void> => {
    const at = key.lastIndexOf(':');
    if (at < 0) {
      for (const [orgId] of [...policies.ofSubscriber(key)]) policies.delete(orgId, key);
      for (const row of await policiesOfSubscriber(db, key)) policies.set(row.org_id, row.subscriber_hash, deserialisePolicy(row.policy));
      return;
    }
    const orgId = key.slice(0, at);
    const subscriberHash = key.slice(at + 1);
    const row = await findPolicy(db, orgId, subscriberHash);
    if (row) policies.set(orgId, subscriberHash, deserialisePolicy(row.policy));
    else policies.delete(orgId, subscriberHash);
  };

  const riskyWindowMs = config.riskyCallWindowMinutes * 60_000;
  const riskyCalls = new Map<string, RiskyCallMark>();
  const loadRiskyCalls = async (): Promise<void> => {
    for (const row of await recentRiskyCalls(db, new Date(now() - riskyWindowMs).toISOString())) {
      const mark = JSON.parse(row.mark) as RiskyCallMark;
      const mine = riskyCalls.get(row.subscriber_hash);
      if (!mine || mine.at <= mark.at) riskyCalls.set(row.subscriber_hash, mark);
    }
  };

  // Every identifier with evidence, plus those in the index whose evidence has gone since.
  const rescoreAll = async (): Promise<number> => {
    const seen = new Set<string>();
    for await (const page of identifiersWithEvidence(db)) {
      await rescore(page);
      for (const id of page) seen.add(id);
      // better-sqlite3 answers synchronously, so without a turn of the event loop between pages a
      // re-score of millions of identifiers would hold every request until it ends.
      await new Promise<void>((r) => setImmediate(r));
    }
    const gone = [...index.keys()].filter((id) => !seen.has(id));
    if (gone.length) await rescore(gone);
    return seen.size + gone.length;
  };
  const loadPolicies = async (): Promise<void> => {
    const found = new Set<string>();
    for await (const page of allPolicies(db)) {
      for (const row of page) {
        policies.set(row.org_id, row.subscriber_hash, deserialisePolicy(row.policy));
        found.add(policyChangeKey(row.org_id, row.subscriber_hash));
      }
    }
    for (const [orgId, subscriberHash] of [...policies.keys()]) if (!found.has(policyChangeKey(orgId, subscriberHash))) policies.delete(orgId, subscriberHash);
  };

  // Changes are read from the sequence number seen before the index was loaded, so nothing
  // written while loading is missed (applying one twice is harmless).
  let lastSeq = await latestChangeSeq(db);
  const handlers = new Map<string, (keys: string[]) => Promise<void>>();
  const reloaders = new Map<string, () => Promise<void>>();
  const status = { reloading: false, reloads: 0, lastReloadAt: undefined as string | undefined };
  // This node missed entries that pruning removed: nothing short of reading everything again
  // brings it back. The sequence number is taken first, as at start, so writes made while
  // reloading are applied afterwards.
  const reloadAll = async (pruned: number): Promise<void> => {
    status.reloading = true;
    const started = performance.now();
    logger.warn({ appliedSeq: lastSeq, prunedThrough: pruned }, 'change log: entries this node had not applied were pruned; reloading every index in full');
    try {
      const seq = await latestChangeSeq(db);
      ownReputation.clear(); // the entries it would have skipped are gone with the prune
      await rescoreAll();
      await loadPolicies();
      await loadRiskyCalls();
      for (const reload of reloaders.values()) await reload();
      lastSeq = seq;
      status.reloads++;
      status.lastReloadAt = new Date(now()).toISOString();
      logger.warn({ identifiers: index.size, policies: policies.size, appliedSeq: lastSeq, ms: Math.round(performance.now() - started) }, 'change log: full reload done');
    } finally {
      status.reloading = false;
    }
  };
  // Reports another node wrote: each is added to its caller's tally, as the writing node did
  // (operations/reputation/tally.ts), instead of re-reading every report of the caller; a caller
  // without a tally gets one built once. Callers re-scored in full in the same pass are skipped.
  const addForeignReports = async (reportIds: readonly string[], rescored: ReadonlySet<string>): Promise<void> => {
    for (const { caller, evidence } of await loadReportEvidence(db, reportIds)) {
      if (!rescored.has(caller)) await reputationAfterReport(self(), caller, evidence);
    }
  };
  let applying: Promise<number> | undefined;
  const applyChanges = async (): Promise<number> => {
    if (applying) return applying; // one pass at a time; a NOTIFY during a pass is covered by it
    applying = (async () => {
      let n = 0;
      for (;;) {
        const rows = await readChangesAfter(db, lastSeq);
        // Read after the rows: a prune that committed before them shows here. (Holes in the
        // numbers alone mean nothing: PostgreSQL skips the numbers of rolled-back inserts.)
        const pruned = await prunedThrough(db);
        if (pruned > lastSeq) {
          await reloadAll(pruned);
          continue;
        }
        if (rows.length === 0) return n;
        const ids: string[] = [];
        const reports: string[] = [];
        for (const r of rows) {
          if (r.kind !== 'reputation' && r.kind !== REPORT_CHANGE) continue;
          const report = r.kind === REPORT_CHANGE ? parseReportChangeKey(r.key) : undefined;
          const caller = report?.caller ?? r.key;
          const own = ownReputation.get(caller);
          if (own === undefined) {
            if (report) reports.push(report.id);
            else ids.push(caller);
          } else if (own > 1) ownReputation.set(caller, own - 1);
          else ownReputation.delete(caller);
        }
        if (ids.length) await rescore(ids);
        if (reports.length) await addForeignReports(reports, new Set(ids));
        const byKind = new Map<string, string[]>();
        for (const r of rows) {
          if (r.kind === 'reputation' || r.kind === REPORT_CHANGE) continue;
          if (r.kind === 'policy') {
            await reloadPolicy(r.key);
            continue;
          }
          let keys = byKind.get(r.kind);
          if (!keys) byKind.set(r.kind, (keys = []));
          keys.push(r.key);
        }
        for (const [kind, keys] of byKind) await handlers.get(kind)?.([...new Set(keys)]);
        lastSeq = rows[rows.length - 1]!.seq;
        n += rows.length;
      }
    })().finally(() => {
      applying = undefined;
    });
    return applying;
  };

  const markRiskyCall = (subscriberHash: string, mark: RiskyCallMark): Promise<void> => {
    riskyCalls.set(subscriberHash, mark);
    return db
      .transaction()
      .execute(async (trx) => {
        await upsertRiskyCall(trx, subscriberHash, JSON.stringify(mark), new Date(mark.at).toISOString());
        await recordChangesIn(trx, engine, [['risky-call', [subscriberHash]]], '', db);
      })
      .catch((err) => logger.warn({ err: String(err) }, 'could not store a risky-call mark'));
  };
  // A mark counts while active or within the risky window after its last update; an "active" one
  // not updated for a day belongs to a call that ended without saying so.
  let riskyRowsPrunedAt = 0;
  const pruneRiskyCallMarks = async (): Promise<number> => {
    const t = now();
    let n = 0;
    for (const [subscriberHash, mark] of riskyCalls) {
      if ((!mark.active && t - mark.at > riskyWindowMs) || t - mark.at > 86_400_000) {
        riskyCalls.delete(subscriberHash);
        n++;
      }
    }
    // The stored marks once a minute: they are only read at start and on a full reload.
    if (t - riskyRowsPrunedAt >= 60_000) {
      riskyRowsPrunedAt = t;
      await pruneRiskyCalls(db, new Date(t - Math.max(riskyWindowMs, 86_400_000)).toISOString());
    }
    return n;
  };
  handlers.set('risky-call', async (keys) => {
    for (const row of await riskyCallsOf(db, keys)) {
      const mark = JSON.parse(row.mark) as RiskyCallMark;
      const mine = riskyCalls.get(row.subscriber_hash);
      if (!mine || mine.at <= mark.at) riskyCalls.set(row.subscriber_hash, mark);
    }
  });

  const macKey = snapshotMacKey(secret);
  let restoredFrom: { seq: number; writtenAt: string } | undefined;
  if (!options.skipIndex) {
    const started = performance.now();
    await loadRiskyCalls();
    // A snapshot this deployment wrote, whose later changes the log still holds, stands in for
    // re-scoring every identifier; the change feed then applies what came after it.
    if (options.indexSnapshot === true && config.indexSnapshot !== undefined && existsSync(config.indexSnapshot)) {
      try {
        const header = await readIndexSnapshot(config.indexSnapshot, index, macKey);
        const pruned = await prunedThrough(db);
        if (header.seq > lastSeq) throw new Error(`snapshot is ahead of this database's change log (${header.seq} > ${lastSeq}): another or a restored database`);
        if (pruned > header.seq) throw new Error(`changes after the snapshot were pruned (through ${pruned}, snapshot at ${header.seq})`);
        restoredFrom = { seq: header.seq, writtenAt: header.writtenAt };
        lastSeq = header.seq;
      } catch (err) {
        index.clear();
        logger.warn({ path: config.indexSnapshot, reason: (err as Error).message }, 'index snapshot not used; re-scoring every identifier');
      }
    }
    if (restoredFrom === undefined) for await (const page of identifiersWithEvidence(db)) await rescore(page);
    await loadPolicies();
    logger.info(
      { identifiers: index.size, policies: policies.size, ms: Math.round(performance.now() - started), ...(restoredFrom ? { snapshot: restoredFrom } : {}) },
      restoredFrom ? 'hot index loaded from its snapshot' : 'hot index loaded',
    );
  }
  // One write at a time; a later request waits for the one running and then writes its own.
  let snapshotWrite: Promise<unknown> = Promise.resolve();
  const writeSnapshot = (): Promise<{ path: string; identifiers: number; ms: number } | undefined> => {
    const path = config.indexSnapshot;
    if (path === undefined) return Promise.resolve(undefined);
    const run = snapshotWrite.catch(() => undefined).then(async () => {
      const started = performance.now();
      const header = await writeIndexSnapshot(path, index, lastSeq, new Date(now()), macKey);
      return { path, identifiers: header.identifiers, ms: Math.round(performance.now() - started) };
    });
    snapshotWrite = run;
    return run;
  };

  const area = createAreaStates();

  // The context itself, for the operations the change feed runs (addForeignReports); set below.
  const self = (): AppContext => ctx;
  const ctx: AppContext = {
    config,
    db,
    engine,
    logger,
    auditKey,
    index,
    policies,
    riskyCalls,
    markRiskyCall,
    pruneRiskyCalls: pruneRiskyCallMarks,
    hash: (canonical) => hashIdentifier(secret, canonical),
    keyEncryptionKey,
    listSigningKey: listSigningKey(secret),
    now,
    refreshReputation,
    tallies,
    ownChangesNotice,
    changeListeners,
    noticeOfOwnChanges: () => (changeListeners.others ? ownChangesNotice : null),
    ownReputationChange: (identifier) => {
      ownReputation.set(identifier, (ownReputation.get(identifier) ?? 0) + 1);
      let undone = false;
      return () => {
        if (undone) return;
        undone = true;
        const own = ownReputation.get(identifier) ?? 1;
        if (own > 1) ownReputation.set(identifier, own - 1);
        else ownReputation.delete(identifier);
      };
    },
    publishPolicy: (orgId, subscriberHash) => publish('policy', [policyChangeKey(orgId, subscriberHash)]),
    publish: (kind, keys) => publish(kind, keys),
    onChange: (kind, apply) => void handlers.set(kind, apply),
    onReload: (name, reload) => void reloaders.set(name, reload),
    rescoreAll,
    applyChanges,
    changeLog: () => ({ ...status }),
    appliedChangeSeq: () => lastSeq,
    indexSnapshot: () => restoredFrom,
    writeIndexSnapshot: writeSnapshot,
    area,
    close: async () => {
      await snapshotWrite.catch(() => undefined);
      await db.destroy();
    },
  };
  // The first checkpoint: at the migration that turned an existing chain into a tree, or the first
  // start of a new log, as soon as a node has the key. Later ones come from `serve`'s checkpointer.
  if (auditKey && !(await latestCheckpoint(db))) {
    try {
      await signNewCheckpoint(ctx);
    } catch (err) {
      logger.error({ err }, 'could not sign the first audit checkpoint');
    }
  }
  return ctx;
}
