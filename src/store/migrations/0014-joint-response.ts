import type { Kysely } from 'kysely';

// Joint response (docs/joint-response.md): the identifier spaces platforms claim (an account
// platform name such as "zoom", or an e-mail domain such as "icloud.com"), and the tasks a victim's
// case sets each responsible party (the carrier holding a calling number, the platform of an e-mail
// or account caller, the bank of a payee account, the police unit), with their deadline, status and
// every step taken (who, as organisation and person, and when).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('platform_namespaces')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('org_name', 'text', (c) => c.notNull())
    // account | email-domain
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    // approved | pending | rejected | replaced
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('claimed_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    .execute();
  await db.schema.createIndex('platform_namespaces_value').on('platform_namespaces').columns(['kind', 'value']).execute();
  await db.schema.createIndex('platform_namespaces_org').on('platform_namespaces').column('org_id').execute();

  await db.schema
    .createTable('response_tasks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull())
    // trace-and-suspend | suspend-account | freeze-preparation | review
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('identifier', 'text', (c) => c.notNull())
    .addColumn('ask', 'text', (c) => c.notNull())
    // The organisation asked; null for a review task of an app's case, which any police unit may take.
    .addColumn('org_id', 'text')
    .addColumn('org_name', 'text')
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('deadline', 'text', (c) => c.notNull())
    // open | accepted | done | refused | escalated
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('steps', 'text', (c) => c.notNull())
    .addColumn('case_filed_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('response_tasks_case').on('response_tasks').column('case_id').execute();
  await db.schema.createIndex('response_tasks_org').on('response_tasks').columns(['org_id', 'status']).execute();
  await db.schema.createIndex('response_tasks_status').on('response_tasks').columns(['status', 'deadline']).execute();
}
