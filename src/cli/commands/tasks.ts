import type { Command } from 'commander';
import { acceptTask, completeTask, listTasks, refuseTask, TASK_FILTERS } from '../../operations/response/tasks.js';
import type { TaskView } from '../../operations/response/tasks.js';
import { getCase } from '../../operations/payments/cases.js';
import { openFromCli } from '../open-app.js';
import { partyActor } from '../party.js';
import type { PartyOption } from '../party.js';
import { wholeNumberFlag } from '../flags.js';

// `callshield tasks …` and `callshield cases show`: the joint-response queues and the case timeline
// through the same operations as /v1/tasks and /v1/cases/{id}, acting for an organisation (--org)
// and a person of it (--person), with the same ownership rules and audit entries.

type Opts = PartyOption & { db?: string; json?: boolean };
type OutcomeFlags = { outcome?: string; tracedTo?: string; subscriberOfRecord?: string; numberSuspended?: boolean; accountSuspended?: boolean; amountHeld?: string; currency?: string };
type ActOpts = Opts & OutcomeFlags & { reason?: string };

function taskLine(t: TaskView): string {
  return [t.id, t.status, t.kind, t.identifier, `org "${t.organisation ?? 'unassigned'}"`, `deadline ${t.deadline}${t.overdue ? ' OVERDUE' : ''}`, `case ${t.caseId}`].join('  ');
}

function stepLine(verb: string, t: TaskView): string {
  const s = t.steps[t.steps.length - 1]!;
  const what = s.outcome ? `: ${s.outcome}` : s.reason ? `: ${s.reason}` : '';
  return `${verb} task ${t.id} (${t.kind} ${t.identifier}) by ${s.by} at ${s.at}${what}\n`;
}

/** The outcome fields the API takes in `details`, and the sentence they make when --outcome is not given. */
function outcomeOf(o: OutcomeFlags): { outcome?: string; details?: Record<string, unknown> } {
  const details: Record<string, unknown> = {};
  const parts: string[] = [];
  if (o.tracedTo !== undefined) {
    details.tracedTo = o.tracedTo;
    parts.push(`traced to carrier ${o.tracedTo}`);
  }
  if (o.subscriberOfRecord !== undefined) details.subscriberOfRecord = o.subscriberOfRecord;
  if (o.numberSuspended) {
    details.numberSuspended = true;
    parts.push('number suspended');
  }
  if (o.accountSuspended) {
    details.accountSuspended = true;
    parts.push('account suspended');
  }
  if (o.amountHeld !== undefined) {
    const n = wholeNumberFlag(o.amountHeld, '--amount-held', { min: 0, code: 'REQUEST_INVALID_BODY', field: 'details.heldAmount', noun: 'a whole number of minor units (fen, cents),' });
    details.heldAmount = n;
    if (o.currency !== undefined) details.currency = o.currency.toUpperCase();
    parts.push(`amount held ${n}${o.currency ? ` ${o.currency.toUpperCase()}` : ''}`);
  }
  const outcome = o.outcome ?? (parts.length ? parts.join(', ') : undefined);
  return { ...(outcome !== undefined ? { outcome } : {}), ...(Object.keys(details).length ? { details } : {}) };
}

export function registerTasks(program: Command): void {
  const tasks = program.command('tasks').description("joint-response tasks from victims' cases: an organisation's queue, and its steps");
  tasks
    .command('list')
    .description("a queue, deadline first: with --org that organisation's own tasks (as GET /v1/tasks), without it every task")
    .option('--status <status>', TASK_FILTERS.join(' | '))
    .option('--org <name>', 'the organisation whose queue to show')
    .option('--json', 'one JSON object per line')
    .option('--db <path>', 'SQLite file (env CALLSHIELD_DB)')
    .action(async (opts: Opts & { status?: string }) => {
      const ctx = await openFromCli(opts, {}, { skipIndex: true });
      try {
        const actor = await partyActor(ctx, opts, 'tasks.read', false);
        for (const t of await listTasks(ctx, actor, opts.status !== undefined ? { status: opts.status } : {})) process.stdout.write(`${opts.json ? JSON.stringify(t) : taskLine(t)}\n`);
      } finally {
        await ctx.close();
      }
    });

  const act = (name: string, what: string, configure: (c: Command) => Command, run: (ctx: Awaited<ReturnType<typeof openFromCli>>, id: string, opts: ActOpts, actor: Awaited<ReturnType<typeof partyActor>>) => Promise<TaskView>, verb: string) =>
    configure(
      tasks
        .command(`${name} <id>`)
        .description(what)
        .requiredOption('--org <name>', 'the organisation the task is addressed to')
        .requiredOption('--person <id>', 'who acts: a staff or badge number holding a live key of the organisation'),
    )
      .option('--json', 'print the task as JSON')
      .option('--db <path>', 'SQLite file (env CALLSHIELD_DB)')
      .action(async (id: string, opts: ActOpts) => {
        const ctx = await openFromCli(opts, {}, { skipIndex: true });
        try {
          const t = await run(ctx, id, opts, await partyActor(ctx, opts, 'tasks.act', true));
          process.stdout.write(opts.json ? `${JSON.stringify(t, null, 2)}\n` : stepLine(verb, t));
        } finally {
          await ctx.close();
        }
      });

  act('accept', 'take the task on (as POST /v1/tasks/{id}/accept)', (c) => c, (ctx, id, _o, actor) => acceptTask(ctx, id, actor), 'accepted');
  act(
    'done',
    'report what was done (as POST /v1/tasks/{id}/done); --outcome, or the outcome flags, or both',
    (c) =>
      c
        .option('--outcome <text>', 'what was done, in words (default: made from the flags below)')
        .option('--traced-to <carrier>', 'the calls were traced back to this carrier')
        .option('--subscriber-of-record <name>', 'the subscriber the number is registered to (reported to police)')
        .option('--number-suspended', "the number's outbound calls are stopped")
        .option('--account-suspended', 'the account that called is suspended')
        .option('--amount-held <amount>', 'the amount held in the account')
        .option('--currency <code>', 'the currency of --amount-held'),
    (ctx, id, o, actor) => completeTask(ctx, id, outcomeOf(o), actor),
    'done:',
  );
  act('refuse', 'refuse the task with a reason (as POST /v1/tasks/{id}/refuse)', (c) => c.requiredOption('--reason <text>', 'why the organisation cannot act'), (ctx, id, o, actor) => refuseTask(ctx, id, { reason: o.reason }, actor), 'refused');

  const cases = program.command('cases').description("victims' cases");
  cases
    .command('show <id>')
    .description('a case with its timeline: every task, who did what when, minutes from filing (as GET /v1/cases/{id})')
    .option('--org <name>', 'see it as this organisation would (police, regulator, or the app that filed it)')
    .option('--json', 'print the case as JSON')
    .option('--db <path>', 'SQLite file (env CALLSHIELD_DB)')
    .action(async (id: string, opts: Opts) => {
      const ctx = await openFromCli(opts, {}, { skipIndex: true });
      try {
        const c = await getCase(ctx, id, await partyActor(ctx, opts, 'cases.read', false));
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(c, null, 2)}\n`);
          return;
        }
        const out: string[] = [];
        out.push(`case ${c.id}  filed by ${c.filedBy} at ${c.createdAt}  ${c.amount} ${c.currency} lost (occurred ${c.occurredAt})`);
        out.push(`callers: ${c.callers.join(', ')}`);
        out.push(`payee accounts: ${c.payeeAccounts.join(', ') || '—'}`);
        out.push(`tasks (${c.tasks.length}):`);
        for (const t of c.tasks) out.push(`  ${taskLine(t)}`);
        out.push('timeline (minutes from filing):');
        for (const e of c.timeline) {
          const who = [e.organisation ?? (e.action === 'created' ? 'unassigned' : 'callshield'), ...(e.person ? [e.person] : [])].join(' / ');
          const note = e.outcome ? `  "${e.outcome}"` : e.reason ? `  "${e.reason}"` : '';
          out.push(`  +${e.minutesFromFiling.toFixed(1).padStart(6)} min  ${e.at}  ${e.action.padEnd(9)}  ${e.kind} ${e.identifier}  ${who}${note}`);
        }
        process.stdout.write(`${out.join('\n')}\n`);
      } finally {
        await ctx.close();
      }
    });
}
