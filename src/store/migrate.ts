import { Migrator } from 'kysely';
import type { Kysely, Migration, MigrationProvider } from 'kysely';
import * as m0001 from './migrations/0001-initial.js';
import * as m0002 from './migrations/0002-stir.js';
import * as m0003 from './migrations/0003-conversation.js';
import * as m0004 from './migrations/0004-payments.js';
import * as m0005 from './migrations/0005-governance.js';
import * as m0006 from './migrations/0006-changes.js';
import * as m0007 from './migrations/0007-risky-calls.js';
import * as m0008 from './migrations/0008-people-behind-keys.js';
import * as m0009 from './migrations/0009-key-lifecycle.js';
import * as m0010 from './migrations/0010-audit-merkle.js';
import * as m0011 from './migrations/0011-ownership.js';
import * as m0012 from './migrations/0012-evidence-trust.js';
import * as m0013 from './migrations/0013-secrets.js';
import * as m0014 from './migrations/0014-joint-response.js';
import * as m0016 from './migrations/0016-stir-signer-holder.js';
import * as m0017 from './migrations/0017-blocklist.js';
import * as m0018 from './migrations/0018-subscriber-history.js';
import * as m0020 from './migrations/0020-cdr-streams.js';
import * as m0021 from './migrations/0021-honeypots.js';
import * as m0022 from './migrations/0022-campaigns.js';
import * as m0023 from './migrations/0023-org-language.js';
import * as m0024 from './migrations/0024-idempotency-keys.js';
import * as m0025 from './migrations/0025-hold-customer-ref.js';
import * as m0026 from './migrations/0026-cdr-stream-state.js';
import * as m0027 from './migrations/0027-cdr-stream-traces.js';
import * as m0028 from './migrations/0028-script-bands.js';
import * as m0029 from './migrations/0029-drop-reports-created.js';

// Migrations are listed in code rather than discovered on disk, so they work the same from tsx,
// from a bundle and from the tests. Append new ones; never edit a released one.
export const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': m0001,
  '0002-stir': m0002,
  '0003-conversation': m0003,
  '0004-payments': m0004,
  '0005-governance': m0005,
  '0006-changes': m0006,
  '0007-risky-calls': m0007,
  '0008-people-behind-keys': m0008,
  '0009-key-lifecycle': m0009,
  '0010-audit-merkle': m0010,
  '0011-ownership': m0011,
  '0012-evidence-trust': m0012,
  '0013-secrets': m0013,
  '0014-joint-response': m0014,
  '0016-stir-signer-holder': m0016,
  '0017-blocklist': m0017,
  '0018-subscriber-history': m0018,
  '0020-cdr-streams': m0020,
  '0021-honeypots': m0021,
  '0022-campaigns': m0022,
  '0023-org-language': m0023,
  '0024-idempotency-keys': m0024,
  '0025-hold-customer-ref': m0025,
  '0026-cdr-stream-state': m0026,
  '0027-cdr-stream-traces': m0027,
  '0028-script-bands': m0028,
  '0029-drop-reports-created': m0029,
};

class StaticProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return MIGRATIONS;
  }
}

export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new StaticProvider() });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
