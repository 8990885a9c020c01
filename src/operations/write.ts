import type { Kysely } from 'kysely';
import type { AppContext } from '../app-context.js';
import { CallshieldError } from '../errors.js';
import { appendAudit } from '../store/audit/log.js';
import type { AuditInput } from '../store/audit/log.js';
import type { Database } from '../store/schema.js';
import { isStoreUnavailable } from '../store/unavailable.js';

export interface WriteScope {
  readonly db: Kysely<Database>;
  audit(entry: AuditInput): Promise<void>;
}

/**
 * Every write runs in one transaction together with its audit entry: on any error nothing of it is
 * left behind. A store that is unreachable becomes STORE_UNAVAILABLE (503 with Retry-After).
 */
export async function inTransaction<T>(ctx: AppContext, work: (scope: WriteScope) => Promise<T>): Promise<T> {
  try {
    return await ctx.db.transaction().execute(async (trx) =>
      work({ db: trx, audit: async (entry) => void (await appendAudit(trx, entry, ctx.engine)) }),
    );
  } catch (err) {
    if (err instanceof CallshieldError) throw err;
    if (isStoreUnavailable(err)) {
      throw new CallshieldError('STORE_UNAVAILABLE', 'the database did not answer; nothing was written', { cause: err });
    }
    throw err;
  }
}
