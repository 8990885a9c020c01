import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { generateKeyPem, parseVerifierKey } from '../../audit/index.js';
import type { NoteKey } from '../../audit/index.js';
import { CallshieldError } from '../../errors.js';
import { missingAuditKey } from '../../operations/audit/key.js';
import { checkpointView, currentCheckpoint, signNewCheckpoint } from '../../operations/audit/log.js';
import { verifyAuditLogOf } from '../../operations/audit/verify.js';
import type { AuditVerification } from '../../operations/audit/verify.js';
import { openFromCli } from '../open-app.js';
import { readFlagFile } from '../flags.js';

function describe(r: AuditVerification): string {
  if (r.ok) {
    const against = r.checkpoint
      ? `; extends the ${r.checkpoint.source} checkpoint of size ${r.checkpoint.treeSize} (consistency proof of ${r.consistencyProof} hashes)`
      : '';
    return `audit log ok: ${r.entries} entries, root ${r.rootHash}${against}${r.notes.map((n) => `\n  note: ${n}`).join('')}`;
  }
  const p = r.problem!;
  if (r.brokenAt) return `audit log ${p.kind.toUpperCase()} at entry ${r.brokenAt.seq}: ${r.brokenAt.problem}`;
  return `audit log ${p.kind.toUpperCase()}: ${p.detail}`;
}

export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('the audit log: a Merkle tree with signed checkpoints (docs/audit.md)');
  audit
    .command('verify')
    .description('recompute the tree, check the checkpoint\'s signature and that the log extends it; exit 1 names what is wrong (truncated, rewritten, forked, bad signature)')
    .option('--checkpoint <file>', 'a signed checkpoint a witness kept (default: the latest stored one)')
    .option('--public-key <key>', 'verifier key "<name>+<id>+<base64>" to check signatures with (default: the audit key file\'s)')
    .option('--db <path>', 'SQLite file (env CALLSHIELD_DB)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { checkpoint?: string; publicKey?: string; db?: string; json?: boolean }) => {
      let key: NoteKey | undefined;
      if (opts.publicKey !== undefined) {
        key = parseVerifierKey(opts.publicKey);
        if (!key) throw new CallshieldError('REQUEST_INVALID_BODY', 'not a verifier key "<name>+<8 hex>+<base64>"', { field: 'public-key' });
      }
      const note = opts.checkpoint === undefined ? undefined : readFlagFile(opts.checkpoint, 'checkpoint');
      // Checking a copy of a database must not invent a key beside it.
      const ctx = await openFromCli(opts, {}, { skipIndex: true, createAuditKey: false });
      try {
        key ??= ctx.auditKey;
        if (note !== undefined && !key) throw missingAuditKey(ctx.config);
        const r = await verifyAuditLogOf(ctx, { ...(note !== undefined ? { checkpoint: note } : {}), ...(key ? { key } : {}) });
        process.stdout.write(opts.json ? `${JSON.stringify(r)}\n` : `${describe(r)}\n`);
        if (!r.ok) process.exitCode = 1;
      } finally {
        await ctx.close();
      }
    });
  audit
    .command('checkpoint')
    .description('sign a checkpoint of the log as it is now (if it grew since the last one) and write it to a file')
    .requiredOption('--out <file>', 'where to write the signed checkpoint note')
    .option('--db <path>', 'SQLite file (env CALLSHIELD_DB)')
    .action(async (opts: { out: string; db?: string }) => {
      const ctx = await openFromCli(opts, {}, { skipIndex: true });
      try {
        if (!ctx.auditKey) throw missingAuditKey(ctx.config);
        const fresh = await signNewCheckpoint(ctx);
        const cp = fresh ? checkpointView(ctx, fresh) : await currentCheckpoint(ctx);
        writeFileSync(opts.out, cp.checkpoint);
        process.stdout.write(`checkpoint of ${cp.treeSize} entries (root ${cp.rootHash}) written to ${opts.out}\n`);
      } finally {
        await ctx.close();
      }
    });
  audit
    .command('public-key')
    .description('print the verifier key that checks this log\'s checkpoints (give it to witnesses)')
    .option('--db <path>', 'SQLite file (env CALLSHIELD_DB)')
    .action(async (opts: { db?: string }) => {
      const ctx = await openFromCli(opts, {}, { skipIndex: true });
      try {
        if (!ctx.auditKey) throw missingAuditKey(ctx.config);
        process.stdout.write(`${ctx.auditKey.verifierKey}\n`);
      } finally {
        await ctx.close();
      }
    });
  audit
    .command('keygen')
    .description('write a new Ed25519 audit signing key (PKCS#8 PEM, mode 0600) for CALLSHIELD_AUDIT_KEY_FILE; never overwrites')
    .argument('<file>', 'where to write it')
    .action((file: string) => {
      try {
        writeFileSync(file, generateKeyPem(), { mode: 0o600, flag: 'wx' });
      } catch (err) {
        throw new CallshieldError('REQUEST_CONFLICT', `cannot write ${file}: ${(err as Error).message}`, { field: 'file', cause: err });
      }
      process.stdout.write(`audit key written to ${file}; set CALLSHIELD_AUDIT_KEY_FILE=${file} on every node\n`);
    });
}
