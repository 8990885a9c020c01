import type { Kysely } from 'kysely';
import type { AppContext } from '../app-context.js';
import { CallshieldError } from '../errors.js';
import { appendAudit } from '../store/audit/log.js';
import { recordChangesIn } from '../store/changes.js';
import type { AuditInput } from '../store/audit/log.js';
import type { Database } from '../store/schema.js';
import { isStoreUnavailable } from '../store/unavailable.js';

export interface WriteScope {
  readonly db: Kysely<Database>;
  audit(entry: AuditInput): Promise<void>;
  /**
   * Tells every node (this one included, at its next applyChanges) what this write changed, in the
   * change log: the entries are written at the end of this transaction, so they commit with the
   * change or not at all. Same kinds and keys as AppContext.publish. `applied`: this node has
   * applied the change itself already (its reports: AppContext.ownReputationChange); when every
   * entry of the transaction is, its NOTIFY carries the node's own notice and this node's change
   * feed does not wake for it (src/change-feed.ts), or there is none when no other node listens
   * (AppContext.noticeOfOwnChanges). Other nodes wake either way.
   */
  publish(kind: string, keys: readonly string[], applied?: boolean): void;
}

/**
 * Every write runs in one transaction together with its audit entry: on any error nothing of it is
 * left behind. A store that is unreachable becomes STORE_UNAVAILABLE (503 with Retry-After).
 */
export async function inTransaction<T>(ctx: AppContext, work: (scope: WriteScope) => Promise<T>): Promise<T> {
  const changes: [string, string[]][] = [];
  let allApplied = true;
  try {
    const result = await ctx.db.transaction().execute(async (trx) => {
      const out = await work({
        db: trx,
        audit: async (entry) => void (await appendAudit(trx, entry, ctx.engine)),
        publish: (kind, keys, applied = false) => {
          if (keys.length === 0) return;
          changes.push([kind, [...keys]]);
          allApplied &&= applied;
        },
      });
      await recordChangesIn(trx, ctx.engine, changes, allApplied ? ctx.noticeOfOwnChanges() : '', ctx.db);
      return out;
    });
    exitAfterCommitIfTesting(ctx, changes.map(([kind]) => kind));
    return result;
  } catch (err) {
    if (err instanceof CallshieldError) throw err;
    if (isStoreUnavailable(err)) {
      throw new CallshieldError('STORE_UNAVAILABLE', 'the database did not answer; nothing was written', { cause: err });
    }
    throw err;
  }
}

/**
 * Fault injection for the crash test (CALLSHIELD_TEST_EXIT_AFTER_COMMIT): die the hardest way right
 * after a commit that logged this kind of change, before anything else runs. Call it right after
 * every commit that writes change-log entries.
 */
export function exitAfterCommitIfTesting(ctx: AppContext, kinds: readonly string[]): void {
  const crashOn = ctx.config.testExitAfterCommit;
  if (crashOn && kinds.includes(crashOn)) process.kill(process.pid, 'SIGKILL');
}
