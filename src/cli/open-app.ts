import { pino } from 'pino';
import { loadConfig } from '../config.js';
import type { ConfigOverrides } from '../config.js';
import { openApp } from '../app-context.js';
import type { AppContext, OpenAppOptions } from '../app-context.js';

export interface DbOption {
  db?: string;
  region?: string;
}

/** Every data command takes --db PATH (else CALLSHIELD_DB, else ./data/callshield.db). */
export async function openFromCli(opts: DbOption, extra: ConfigOverrides = {}, appOptions: OpenAppOptions = {}): Promise<AppContext> {
  const config = loadConfig(process.env, {
    ...(opts.db ? { dbPath: opts.db } : {}),
    ...(opts.region ? { defaultRegion: opts.region } : {}),
    ...extra,
  });
  // The CLI's own output is for people; keep the library logs quiet unless asked for.
  const logger = appOptions.logger ?? pino({ level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination(2));
  return openApp(config, { ...appOptions, logger });
}
