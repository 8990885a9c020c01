import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { CallshieldError } from '../../errors.js';
import { blocklistBody, publishBlocklist } from '../../operations/blocklist/blocklist.js';
import { latestBlocklistVersion } from '../../store/blocklist/entries.js';
import { openFromCli } from '../open-app.js';

/** `callshield export blocklist --format json|csv|ios --out FILE`: the newest published block list, streamed to a file. */
export function registerExport(program: Command): void {
  const exp = program.command('export').description('export data for devices and switches');
  exp
    .command('blocklist')
    .description('write the newest block-list version (or a delta since one) to a file, streamed: memory stays flat at any size')
    .option('--format <format>', 'json | csv | ios (ascending numbers without "+", one a line)', 'json')
    .option('--list <list>', 'block (block/silence, default) | identify (label/warn, with labels)', 'block')
    .option('--since <version>', 'a delta since this version instead of the whole list')
    .option('--publish', 'first publish a new version from the reputation index (loads the index; a server does this itself, see CALLSHIELD_BLOCKLIST_SECONDS)')
    .requiredOption('--out <file>', 'the file to write ("-" for stdout)')
    .option('--db <path>', 'SQLite file (env CALLSHIELD_DB)')
    .action(async (opts: { format: string; list: string; since?: string; publish?: boolean; out: string; db?: string }) => {
      const ctx = await openFromCli({ ...(opts.db ? { db: opts.db } : {}) }, {}, { skipIndex: !opts.publish });
      try {
        const started = performance.now();
        const version = opts.publish ? await publishBlocklist(ctx) : await latestBlocklistVersion(ctx.db);
        if (!version) throw new CallshieldError('REQUEST_NOT_FOUND', 'no block-list version has been published yet: run with --publish, or let a server answer GET /v1/blocklist once', { field: 'version' });
        let since: number | undefined;
        if (opts.since !== undefined) {
          since = Number(opts.since);
          if (!/^\d+$/.test(opts.since)) throw new CallshieldError('REQUEST_INVALID_QUERY', '--since must be a version number', { field: 'since' });
        }
        const body = await blocklistBody(ctx, { format: opts.format, list: opts.list, ...(since !== undefined ? { since } : {}) }, version);
        let lines = 0;
        const counted = (async function* () {
          for await (const chunk of body.chunks) {
            for (let i = chunk.indexOf('\n'); i >= 0; i = chunk.indexOf('\n', i + 1)) lines++;
            yield chunk;
          }
        })();
        await pipeline(Readable.from(counted), opts.out === '-' ? process.stdout : createWriteStream(opts.out));
        const what = opts.format === 'json' ? '' : ` (${lines.toLocaleString('en-US')} lines)`;
        process.stderr.write(`wrote version ${body.version} of the ${opts.list} list${since !== undefined ? ` since ${since}` : ''} as ${opts.format}${what} to ${opts.out} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
      } finally {
        await ctx.close();
      }
    });
}
