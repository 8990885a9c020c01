import type { Command } from 'commander';
import { createApiKey, listKeys, revokeKey, rotateKey } from '../../operations/keys.js';
import type { KeyView } from '../../operations/keys.js';
import { CLI_OPERATOR } from '../../operations/actor.js';
import { openFromCli } from '../open-app.js';

function keyLine(k: KeyView): string {
  const cols = [
    k.id,
    k.status,
    `org "${k.org}" (${k.role})`,
    `person ${k.person ?? '—'}`,
    `prefix ${k.prefix}`,
    `created ${k.createdAt}`,
    `expires ${k.expiresAt ?? 'never'}`,
    `last used ${k.lastUsedAt ?? 'never'}`,
    ...(k.revokedAt ? [`revoked ${k.revokedAt}`] : []),
    ...(k.replacedBy ? [`replaced by ${k.replacedBy}`] : []),
    ...(k.label ? [`label "${k.label}"`] : []),
  ];
  return cols.join('  ');
}

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('API keys of the organisations that use this callshield');
  keys
    .command('create')
    .description('create a key (and the organisation on first use); the key is the last line of output')
    .requiredOption('--org <name>', 'organisation name')
    .requiredOption('--role <role>', 'carrier | platform | bank | police | regulator | app | business | admin')
    .option('--person <id>', 'who holds the key: a staff or badge number (required for police, bank and regulator keys), or a system name for machine keys')
    .option('--label <text>', 'what the key is for')
    .option('--expires <when>', 'when the key stops working: an ISO date (2027-03-31, valid through that day UTC), an ISO date and time, or a duration (90d, 12h)')
    .option('--db <path>', 'SQLite file (env CALLSHIELD_DB)')
    .action(async (opts: { org: string; role: string; label?: string; person?: string; expires?: string; db?: string }) => {
      const ctx = await openFromCli(opts, {}, { skipIndex: true });
      try {
        const k = await createApiKey(ctx, opts, CLI_OPERATOR);
        const expiry = k.expiresAt ? `; expires ${k.expiresAt}` : '';
        process.stdout.write(`${k.orgCreated ? 'created' : 'existing'} organisation "${k.org.name}" (${k.org.role}); person ${k.person}${expiry}; key id ${k.keyId}\n`);
        process.stdout.write('store this key now: it is not shown again\n');
        process.stdout.write(`${k.key}\n`);
      } finally {
        await ctx.close();
      }
    });
  keys
    .command('list')
    .description('every key: id, status, organisation, role, person, prefix, created, expires, last used, revoked (never the key itself)')
    .option('--org <name>', 'only this organisation')
    .option('--json', 'one JSON object per line')
    .option('--db <path>', 'SQLite file (env CALLSHIELD_DB)')
    .action(async (opts: { org?: string; json?: boolean; db?: string }) => {
      const ctx = await openFromCli(opts, {}, { skipIndex: true });
      try {
        const list = await listKeys(ctx, opts.org !== undefined ? { org: opts.org } : {});
        for (const k of list) process.stdout.write(`${opts.json ? JSON.stringify(k) : keyLine(k)}\n`);
      } finally {
        await ctx.close();
      }
    });
  keys
    .command('revoke <keyId>')
    .description('revoke a key; every running node refuses it within about a second')
    .option('--reason <text>', 'why (kept in the audit log)')
    .option('--db <path>', 'SQLite file (env CALLSHIELD_DB)')
    .action(async (keyId: string, opts: { reason?: string; db?: string }) => {
      const ctx = await openFromCli(opts, {}, { skipIndex: true });
      try {
        const k = await revokeKey(ctx, keyId, opts.reason !== undefined ? { reason: opts.reason } : {}, CLI_OPERATOR);
        process.stdout.write(`revoked key ${k.id} of "${k.org}" (${k.role}), person ${k.person ?? '—'}, at ${k.revokedAt}\n`);
      } finally {
        await ctx.close();
      }
    });
  keys
    .command('rotate <keyId>')
    .description('a new key for the same organisation, role and person; the old one works for the grace period, then is refused; the new key is the last line of output')
    .option('--grace <duration>', 'how long the old key keeps working: 24h (default), 30m, 7d; 0 ends it at once')
    .option('--expires <when>', 'when the new key stops working (default: the old key\'s lifetime again, or never)')
    .option('--person <id>', 'only for keys made before people were recorded')
    .option('--db <path>', 'SQLite file (env CALLSHIELD_DB)')
    .action(async (keyId: string, opts: { grace?: string; expires?: string; person?: string; db?: string }) => {
      const ctx = await openFromCli(opts, {}, { skipIndex: true });
      try {
        const input = { ...(opts.grace !== undefined ? { grace: opts.grace } : {}), ...(opts.expires !== undefined ? { expires: opts.expires } : {}), ...(opts.person !== undefined ? { person: opts.person } : {}) };
        const k = await rotateKey(ctx, keyId, input, CLI_OPERATOR);
        const expiry = k.expiresAt ? `; expires ${k.expiresAt}` : '';
        process.stdout.write(`rotated key ${k.replaces} of "${k.org.name}" (${k.org.role}): it works until ${k.oldKeyExpiresAt}\n`);
        process.stdout.write(`new key for person ${k.person}${expiry}; key id ${k.keyId}\n`);
        process.stdout.write('store this key now: it is not shown again\n');
        process.stdout.write(`${k.key}\n`);
      } finally {
        await ctx.close();
      }
    });
}
