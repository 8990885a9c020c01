import { createWriteStream } from 'node:fs';
import type { Command } from 'commander';
import { wholeNumberFlag } from '../flags.js';

// Each action loads what it needs when it runs (commands/index.ts loads this file for `gen`, `cdr`
// and `import`): `cdr publish` then starts with NATS alone, not the store and the whole application.

/** `callshield gen cdr --calls N --seed S [--out FILE]`: synthetic call records with labelled patterns. */
export function registerCdr(program: Command): void {
  const gen = program.command('gen').description('generate synthetic data');
  gen
    .command('cdr')
    .description('synthetic call detail records with labelled robocall and harassment patterns (a label column the importer ignores); the data is made up')
    .requiredOption('--calls <n>', 'number of call records')
    .option('--seed <s>', 'random seed (same seed, same file)', '1')
    .option('--out <file>', 'write to a file instead of stdout')
    .action(async (opts: { calls: string; seed: string; out?: string }) => {
      const calls = wholeNumberFlag(opts.calls, '--calls', { min: 0, code: 'REQUEST_INVALID_QUERY' });
      const seed = wholeNumberFlag(opts.seed, '--seed', { min: 0, code: 'REQUEST_INVALID_QUERY' });
      const { generateCdr } = await import('../../governance/generate-cdr.js');
      const out = opts.out ? createWriteStream(opts.out) : process.stdout;
      for (const chunk of generateCdr({ calls, seed })) {
        if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
      }
      if (opts.out) await new Promise<void>((r) => (out as ReturnType<typeof createWriteStream>).end(() => r()));
    });
}

/**
 * `callshield cdr publish FILE --nats URL --subject SUBJECT`: the file's call records into a NATS
 * JetStream stream (created when missing), for `serve --cdr-nats URL --cdr-subject SUBJECT`.
 */
export function registerCdrPublish(program: Command): void {
  const cdr = program.command('cdr').description('call detail records on a NATS JetStream stream');
  cdr
    .command('publish <file>')
    .description('publish a call-record file (the gen cdr / import cdr CSV) to a JetStream stream; serve --cdr-nats analyses it as it flows')
    .requiredOption('--nats <url>', 'NATS server, e.g. nats://127.0.0.1:4222')
    .requiredOption('--subject <subject>', 'subject to publish on (its stream, CALLSHIELD_CDR_<subject>, is created when missing)')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, opts: { nats: string; subject: string; json?: boolean }) => {
      const { publishCdrFile } = await import('../../operations/governance/cdr-nats.js');
      const started = performance.now();
      const r = await publishCdrFile(file, { url: opts.nats, subject: opts.subject });
      const secs = (performance.now() - started) / 1000;
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ ...r, seconds: Math.round(secs * 100) / 100 }, null, 2)}\n`);
        return;
      }
      process.stdout.write(`published ${r.lines.toLocaleString('en-US')} lines in ${r.messages.toLocaleString('en-US')} messages to ${r.subject} (stream ${r.stream}, sequences ${r.firstSequence ?? '-'}..${r.lastSequence ?? '-'}) in ${secs.toFixed(1)} s\n`);
    });
}

/** `callshield import cdr FILE`, added to the `import` group of import.ts. */
export function registerImportCdr(imp: Command): void {
  imp
    .command('cdr <file>')
    .description('stream call detail records (CSV: caller,callee,start,duration,answered,attestation) and flag robocall and harassment patterns as reputation evidence')
    .option('--db <path>', 'SQLite file (env CALLSHIELD_DB)')
    .option('--utc-offset <minutes>', 'local time for the night share, minutes east of UTC', '480')
    .option('--evaluate', 'compare the flags with the label column of a generated file (precision / recall)')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, opts: { db?: string; utcOffset: string; evaluate?: boolean; json?: boolean }) => {
      const offset = wholeNumberFlag(opts.utcOffset, '--utc-offset', { min: -14 * 60, max: 14 * 60, code: 'REQUEST_INVALID_QUERY', noun: 'minutes east of UTC,' });
      const [{ SingleBar, Presets }, { importCdrFile }, { CLI_OPERATOR }, { openFromCli }] = await Promise.all([
        import('cli-progress'),
        import('../../operations/governance/cdr.js'),
        import('../../operations/actor.js'),
        import('../open-app.js'),
      ]);
      const ctx = await openFromCli({ ...(opts.db ? { db: opts.db } : {}) }, {}, { skipIndex: true });
      const bar = new SingleBar({ format: 'importing [{bar}] {percentage}% | {rows} records', hideCursor: true, stream: process.stderr, noTTYOutput: true, notTTYSchedule: 1000 }, Presets.shades_classic);
      bar.start(100, 0, { rows: 0 });
      try {
        const started = performance.now();
        const r = await importCdrFile(ctx, file, CLI_OPERATOR, {
          utcOffsetMinutes: offset,
          ...(opts.evaluate ? { evaluate: true } : {}),
          onProgress: (p) => bar.update(Math.round((100 * p.bytes) / Math.max(1, p.totalBytes)), { rows: p.rows.toLocaleString('en-US') }),
        });
        bar.stop();
        const secs = (performance.now() - started) / 1000;
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ ...r, seconds: Math.round(secs * 10) / 10 }, null, 2)}\n`);
          return;
        }
        process.stdout.write(`imported ${r.rows.toLocaleString('en-US')} records from ${r.callers.toLocaleString('en-US')} callers in ${secs.toFixed(1)} s; flagged ${r.flagged}; malformed ${r.malformed}\n`);
        for (const s of r.issues.slice(0, 10)) process.stdout.write(`  line ${s.line}: ${s.reason}\n`);
        if (r.malformed > 10) process.stdout.write(`  ... and ${r.malformed - 10} more malformed lines\n`);
        for (const f of r.flags.slice(0, 10)) process.stdout.write(`  ${f.caller} ${f.pattern}: ${f.origin}\n`);
        if (r.campaigns?.found) process.stdout.write(`campaigns: ${r.campaigns.found} groups of callers tied by evidence (GET /v1/campaigns)\n`);
        if (r.flagged > 10) process.stdout.write(`  ... and ${r.flagged - 10} more flagged callers\n`);
        if (r.evaluation) {
          process.stdout.write('evaluation against the label column (synthetic data):\n');
          for (const e of r.evaluation) {
            process.stdout.write(`  ${e.label}: ${e.truth} labelled, ${e.flagged} flagged, precision ${(e.precision * 100).toFixed(1)}%, recall ${(e.recall * 100).toFixed(1)}%\n`);
          }
          const c = r.campaignEvaluation;
          if (c) process.stdout.write(`  campaigns: ${c.campaigns} labelled (${c.numbers} numbers), ${c.found} found, recall ${(c.recall * 100).toFixed(1)}%, purity ${(c.purity * 100).toFixed(1)}%\n`);
        }
      } finally {
        bar.stop();
        await ctx.close();
      }
    });
}
