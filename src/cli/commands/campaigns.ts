import type { Command } from 'commander';
import { CallshieldError } from '../../errors.js';
import { campaignDetail, campaignsList } from '../../operations/campaigns/campaigns.js';
import type { CampaignView } from '../../operations/campaigns/campaigns.js';
import { addTranscript, listHoneypots, registerHoneypots as addHoneypots, removeHoneypot } from '../../operations/campaigns/honeypots.js';
import { openFromCli } from '../open-app.js';
import { readFlagFile, wholeNumberFlag } from '../flags.js';
import { partyActor } from '../party.js';
import type { PartyOption } from '../party.js';

// `callshield campaigns …` and `callshield honeypots …` (issue 15): what GET /v1/campaigns and
// /v1/honeypots give, through the same operations. Honeypot lines belong to an organisation:
// --org names it and --person who acts (a person holding a live key of it, as the audit log names
// over HTTP); without --org the local operator acts, an admin, whose lines are its own.

type Opts = PartyOption & { db?: string; json?: boolean };

const evidenceText = (c: CampaignView): string => c.evidence.map((e) => `${e.kind} ${e.count}`).join(', ');
const campaignLine = (c: CampaignView): string => [c.id, `${c.memberCount} members`, `first seen ${c.firstSeen}`, `last seen ${c.lastSeen}`, evidenceText(c)].join('  ');

export function registerCampaigns(program: Command): void {
  const campaigns = program.command('campaigns').description('groups of callers tied by evidence: rotating numbers, neighbour spoofing, one script (as GET /v1/campaigns)');
  campaigns
    .command('list')
    .description('campaigns, the most recently active first')
    .option('--limit <n>', 'at most this many (1-1000, default 100)')
    .option('--org <name>', 'read as this organisation (police, regulator, carrier): held to its role')
    .option('--json', 'one JSON object per line')
    .option('--db <path>', 'SQLite file (env CALLSHIELD_DB)')
    .action(async (opts: Opts & { limit?: string }) => {
      const limit = opts.limit === undefined ? 100 : wholeNumberFlag(opts.limit, '--limit', { min: 1, max: 1000, code: 'REQUEST_INVALID' });
      const ctx = await openFromCli(opts, {}, { skipIndex: true });
      try {
        await partyActor(ctx, opts, 'campaigns.read', false);
        const { items } = await campaignsList(ctx, limit);
        if (!opts.json && items.length === 0) process.stderr.write('no campaigns yet\n');
        for (const c of items) process.stdout.write(`${opts.json ? JSON.stringify(c) : campaignLine(c)}\n`);
      } finally {
        await ctx.close();
      }
    });
  campaigns
    .command('show <id>')
    .description('one campaign with its members: when each was seen and what ties it in')
    .option('--org <name>', 'read as this organisation (police, regulator, carrier): held to its role')
    .option('--json', 'print the campaign as JSON')
    .option('--db <path>', 'SQLite file (env CALLSHIELD_DB)')
    .action(async (id: string, opts: Opts) => {
      const ctx = await openFromCli(opts, {}, { skipIndex: true });
      try {
        await partyActor(ctx, opts, 'campaigns.read', false);
        const c = await campaignDetail(ctx, id);
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(c)}\n`);
          return;
        }
        process.stdout.write(`${campaignLine(c)}\n`);
        for (const m of c.members) process.stdout.write(`  ${m.caller}  ${m.kinds.join(', ')}  first seen ${m.firstSeen}  last seen ${m.lastSeen}  joined ${m.joinedAt}\n`);
      } finally {
        await ctx.close();
      }
    });
}

export function registerHoneypotCommands(program: Command): void {
  const hp = program.command('honeypots').description('honeypot lines: numbers nobody legitimately calls, whose callers are evidence (as /v1/honeypots)');
  hp.command('add <numbers...>')
    .description('register lines (refused when a person uses the number: HONEYPOT_NUMBER_IN_USE)')
    .option('--org <name>', 'the owning organisation (carrier or regulator)')
    .option('--person <id>', 'who registers: a person holding a live key of --org')
    .option('--json', 'one JSON object per line')
    .option('--db <path>', 'SQLite file (env CALLSHIELD_DB)')
    .action(async (numbers: string[], opts: Opts) => {
      const ctx = await openFromCli(opts, {}, { skipIndex: true });
      try {
        const { registered } = await addHoneypots(ctx, numbers, await partyActor(ctx, opts, 'honeypots.write', true));
        for (const h of registered) process.stdout.write(opts.json ? `${JSON.stringify(h)}\n` : `${h.number}: a honeypot line of ${h.owner}\n`);
      } finally {
        await ctx.close();
      }
    });
  hp.command('list')
    .description("your lines (--org's; the local operator's: every line) and the callers each caught")
    .option('--org <name>', 'the owning organisation')
    .option('--json', 'one JSON object per line')
    .option('--db <path>', 'SQLite file (env CALLSHIELD_DB)')
    .action(async (opts: Opts) => {
      const ctx = await openFromCli(opts, {}, { skipIndex: true });
      try {
        const { items } = await listHoneypots(ctx, await partyActor(ctx, opts, 'honeypots.write', false));
        if (!opts.json && items.length === 0) process.stderr.write('no honeypot lines\n');
        for (const h of items) process.stdout.write(opts.json ? `${JSON.stringify(h)}\n` : `${h.number}  owner ${h.owner}  since ${h.createdAt}  ${h.hits} callers caught\n`);
      } finally {
        await ctx.close();
      }
    });
  hp.command('remove <number>')
    .description('remove one of your lines (the local operator: any); the calls it caught stop counting')
    .option('--org <name>', 'the owning organisation')
    .option('--person <id>', 'who removes it: a person holding a live key of --org')
    .option('--db <path>', 'SQLite file (env CALLSHIELD_DB)')
    .action(async (number: string, opts: Opts) => {
      const ctx = await openFromCli(opts, {}, { skipIndex: true });
      try {
        const r = await removeHoneypot(ctx, number, await partyActor(ctx, opts, 'honeypots.write', true));
        process.stdout.write(`${r.number}: removed\n`);
      } finally {
        await ctx.close();
      }
    });
  hp.command('transcript <number>')
    .description('what a caller said on one of your lines: a call to the line, and a script fingerprint for campaigns')
    .requiredOption('--caller <number>', 'the calling number')
    .option('--text <text>', 'the transcript')
    .option('--text-file <file>', 'the transcript, from a UTF-8 file')
    .option('--at <time>', 'when the call was (ISO-8601; default now)')
    .option('--org <name>', 'the owning organisation')
    .option('--person <id>', 'who files it: a person holding a live key of --org')
    .option('--json', 'print the result as JSON')
    .option('--db <path>', 'SQLite file (env CALLSHIELD_DB)')
    .action(async (number: string, opts: Opts & { caller: string; text?: string; textFile?: string; at?: string }) => {
      if ((opts.text === undefined) === (opts.textFile === undefined)) throw new CallshieldError('REQUEST_INVALID', 'give the transcript with --text or --text-file (one of them)', { field: 'text' });
      const text = opts.text ?? readFlagFile(opts.textFile!, 'text');
      const ctx = await openFromCli(opts, {}, { skipIndex: true });
      try {
        const r = await addTranscript(ctx, { number, caller: opts.caller, text, ...(opts.at !== undefined ? { at: opts.at } : {}) }, await partyActor(ctx, opts, 'honeypots.write', true));
        process.stdout.write(opts.json ? `${JSON.stringify(r)}\n` : `transcript ${r.id}: ${r.caller} on ${r.number} at ${r.at} (${r.shingles} shingles)\n`);
      } finally {
        await ctx.close();
      }
    });
}
