// The statements of a transfer check's write: the check record, and for an allowed payment the
// payer's history and the known payee. On SQLite they are prepared once and run directly (kysely
// built and compiled each anew on every check: BENCHMARKS.md, "Payments"); on PostgreSQL they are
// the kysely queries of ./transfers.ts. Either way they run in the write's own transaction.
import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { preparedOnSqlite } from '../open-database.js';
import type { Database } from '../schema.js';
import type { PayerHistoryTable, TransferChecksTable } from './schema.js';
import { addKnownPayee, findCheckByKey, insertCheck, upsertHistory } from './transfers.js';

export interface CheckWrites {
  findCheckByKey(orgId: string, key: string): Promise<TransferChecksTable | undefined> | TransferChecksTable | undefined;
  insertCheck(row: TransferChecksTable): Promise<void> | void;
  upsertHistory(row: PayerHistoryTable): Promise<void> | void;
  addKnownPayee(payerKey: string, account: string, at: string): Promise<void> | void;
}

const CHECK_COLUMNS = ['id', 'org_id', 'idempotency_key', 'request_hash', 'payer_key', 'account', 'amount', 'currency', 'channel', 'decision', 'response', 'created_at'] as const;

function prepare(sqlite: SQLite.Database): CheckWrites {
  const byKey = sqlite.prepare<[string, string], TransferChecksTable>('select * from transfer_checks where org_id = ? and idempotency_key = ?');
  const check = sqlite.prepare(`insert into transfer_checks (${CHECK_COLUMNS.join(', ')}) values (${CHECK_COLUMNS.map(() => '?').join(', ')})`);
  const history = sqlite.prepare(
    `insert into payer_history (payer_key, currency, count, mean, recent, updated_at) values (?, ?, ?, ?, ?, ?)
     on conflict (payer_key, currency) do update set count = excluded.count, mean = excluded.mean, recent = excluded.recent, updated_at = excluded.updated_at`,
  );
  const payee = sqlite.prepare('insert into payer_payees (payer_key, account, first_at) values (?, ?, ?) on conflict (payer_key, account) do nothing');
  return {
    findCheckByKey: (orgId, key) => byKey.get(orgId, key),
    insertCheck: (row) => void check.run(CHECK_COLUMNS.map((c) => row[c])),
    upsertHistory: (row) => void history.run(row.payer_key, row.currency, row.count, row.mean, row.recent, row.updated_at),
    addKnownPayee: (payerKey, account, at) => void payee.run(payerKey, account, at),
  };
}

/** The check's statements for a write in `trx`, a transaction opened on `root` (ctx.db). */
export function checkWrites(root: Kysely<Database>, trx: Kysely<Database>): CheckWrites {
  return (
    preparedOnSqlite(root, prepare) ?? {
      findCheckByKey: (orgId, key) => findCheckByKey(trx, orgId, key),
      insertCheck: (row) => insertCheck(trx, row),
      upsertHistory: (row) => upsertHistory(trx, row),
      addKnownPayee: (payerKey, account, at) => addKnownPayee(trx, payerKey, account, at),
    }
  );
}
