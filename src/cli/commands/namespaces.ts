import type { Command } from 'commander';
import { claimNamespaces, decideNamespace, listNamespaces } from '../../operations/response/namespaces.js';
import type { NamespaceView } from '../../operations/response/namespaces.js';
import { openFromCli } from '../open-app.js';
import { partyActor } from '../party.js';
import type { PartyOption } from '../party.js';

// `callshield namespaces …`: the identifier spaces platforms answer for, through the same operations
// as /v1/platforms/namespaces (a platform claims for itself; the local operator, an admin, decides).

type Opts = PartyOption & { db?: string; json?: boolean };

function claimLine(n: NamespaceView): string {
  return [n.id, n.status, n.kind, n.value, `platform "${n.platform}"`, `claimed by ${n.claimedBy} at ${n.createdAt}`, ...(n.decidedBy ? [`decided by ${n.decidedBy} at ${n.decidedAt}`] : [])].join('  ');
}

const list = (v: string | undefined): string[] | undefined => (v === undefined ? undefined : v.split(',').map((s) => s.trim()).filter((s) => s !== ''));

export function registerNamespaces(program: Command): void {
  const ns = program.command('namespaces').description('account platform names and e-mail domains that platforms answer for (joint response)');
  ns.command('claim')
    .description('a platform claims spaces (as POST /v1/platforms/namespaces); one another platform holds stays pending until approved')
    .requiredOption('--org <name>', 'the platform organisation')
    .requiredOption('--person <id>', 'who claims: a person holding a live key of the platform')
    .option('--accounts <names>', 'account platform names, comma-separated (zoom,teams)')
    .option('--email-domains <domains>', 'e-mail domains, comma-separated (icloud.com,qq.com)')
    .option('--json', 'one JSON object per line')
    .option('--db <path>', 'SQLite file (env CALLSHIELD_DB)')
    .action(async (opts: Opts & { accounts?: string; emailDomains?: string }) => {
      const ctx = await openFromCli(opts, {}, { skipIndex: true });
      try {
        const actor = await partyActor(ctx, opts, 'namespaces.claim', true);
        const accounts = list(opts.accounts);
        const emailDomains = list(opts.emailDomains);
        const claims = await claimNamespaces(ctx, { ...(accounts ? { accounts } : {}), ...(emailDomains ? { emailDomains } : {}) }, actor);
        for (const c of claims) process.stdout.write(`${opts.json ? JSON.stringify(c) : claimLine(c)}\n`);
      } finally {
        await ctx.close();
      }
    });
  ns.command('list')
    .description("claims: with --org that platform's own (as GET /v1/platforms/namespaces), without it every claim")
    .option('--status <status>', 'approved | pending | rejected | replaced')
    .option('--org <name>', 'the platform whose claims to show')
    .option('--json', 'one JSON object per line')
    .option('--db <path>', 'SQLite file (env CALLSHIELD_DB)')
    .action(async (opts: Opts & { status?: string }) => {
      const ctx = await openFromCli(opts, {}, { skipIndex: true });
      try {
        const actor = await partyActor(ctx, opts, 'namespaces.read', false);
        for (const c of await listNamespaces(ctx, actor, opts.status !== undefined ? { status: opts.status } : {})) process.stdout.write(`${opts.json ? JSON.stringify(c) : claimLine(c)}\n`);
      } finally {
        await ctx.close();
      }
    });
  for (const decision of ['approve', 'reject'] as const) {
    ns.command(`${decision} <id>`)
      .description(decision === 'approve' ? 'approve a pending claim: the space moves to the claimant (as the local operator, an admin)' : 'reject a pending claim (as the local operator, an admin)')
      .option('--person <id>', 'who decides at the operator (kept in the audit log)')
      .option('--json', 'print the claim as JSON')
      .option('--db <path>', 'SQLite file (env CALLSHIELD_DB)')
      .action(async (id: string, opts: Opts) => {
        const ctx = await openFromCli(opts, {}, { skipIndex: true });
        try {
          const c = await decideNamespace(ctx, id, decision, await partyActor(ctx, { ...(opts.person !== undefined ? { person: opts.person } : {}) }, 'namespaces.decide', true));
          process.stdout.write(opts.json ? `${JSON.stringify(c)}\n` : `${decision === 'approve' ? 'approved' : 'rejected'}: ${claimLine(c)}\n`);
        } finally {
          await ctx.close();
        }
      });
  }
}
