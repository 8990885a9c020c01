// The one place that reads the environment. Everything else receives the frozen Config (or the part
// of it that it needs). Invalid settings fail here, before the server listens.
import { dirname, join } from 'node:path';
import { CallshieldError } from './errors.js';
import { CDR_THRESHOLDS } from './governance/cdr-thresholds.js';
import type { CdrThresholds } from './governance/cdr-thresholds.js';

export interface Config {
  /** SQLite file (CALLSHIELD_DB). Created with its folder on first start. */
  readonly dbPath: string;
  /** PostgreSQL connection string (DATABASE_URL); when set it wins over dbPath. */
  readonly databaseUrl: string | undefined;
  /** TCP port of the HTTP API (PORT). */
  readonly port: number;
  /** Interface to listen on (HOST). Loopback by default so a laptop does not expose the API. */
  readonly host: string;
  /** ISO 3166 region for national phone formats such as `021 5555 1234` (CALLSHIELD_DEFAULT_REGION). */
  readonly defaultRegion: string;
  /** Largest accepted request body in bytes (CALLSHIELD_BODY_LIMIT). */
  readonly bodyLimit: number;
  /** pino log level (LOG_LEVEL). */
  readonly logLevel: string;
  /** Whether GET /metrics needs no key (CALLSHIELD_PUBLIC_METRICS, default on for scrapers on a private network). */
  readonly publicMetrics: boolean;
  /** PEM bundle of STI-CA trust anchors (CALLSHIELD_STIR_CA_FILE). */
  readonly stirCaFile: string | undefined;
  /** Allow fetching x5u over plain HTTP, for tests on loopback only (CALLSHIELD_STIR_ALLOW_HTTP_X5U=1). */
  readonly stirAllowHttpX5u: boolean;
  /**
   * What an STI-VS does when a certificate's CRL cannot be fetched or verified (CALLSHIELD_STIR_CRL):
   * `soft` (default) accepts the call and logs a warning, `hard` refuses it with 437.
   */
  readonly stirCrl: 'soft' | 'hard';
  /**
   * Where the ECDSA check of an Identity header runs (CALLSHIELD_STIR_VERIFY): `pool` (default) on
   * libuv's thread pool, so concurrent checks use every core; `inline` on the event loop's own
   * thread, which saves the hop where the cores are taken anyway (a small box beside a SIP proxy).
   */
  readonly stirVerify: 'pool' | 'inline';
  /** Requests per second per API key, and per client address for requests without a verified key (CALLSHIELD_RATE_LIMIT; 0 = no limit). */
  readonly rateLimit: number;
  /** Redis for rate limits shared by every node (CALLSHIELD_REDIS_URL); unset: each node counts alone. */
  readonly redisUrl: string | undefined;
  /**
   * Plain POST /v1/screen requests answered beside fastify's request pipeline, with the same checks and
   * the same answer (CALLSHIELD_SCREEN_FAST_PATH, default on; `0` sends every request through fastify).
   * Not taken while rate limits are shared through Redis. See src/api/screen-fast-path.ts.
   */
  readonly screenFastPath: boolean;
  /**
   * The deployment's secrets (the subscriber-hash key and the key that seals STIR signing keys),
   * kept outside the database they protect (CALLSHIELD_SECRET_FILE). Defaults to
   * `callshield.secret` beside the SQLite file; undefined with PostgreSQL when not set (start-up
   * then refuses) and with an in-memory SQLite store (the secrets then live only in memory).
   */
  readonly secretFile: string | undefined;
  /**
   * Let webhooks, guardian webhooks and x5u fetches reach loopback, private, link-local and
   * metadata addresses (CALLSHIELD_ALLOW_PRIVATE_FETCH=1): tests with receivers on loopback, or a
   * deployment whose receivers are on its own private network.
   */
  readonly allowPrivateFetch: boolean;
  /**
   * Ed25519 key that signs the audit log's checkpoints (CALLSHIELD_AUDIT_KEY_FILE, PKCS#8 PEM).
   * Unset on SQLite: `<db file>.audit-key.pem`, created 0600 on first start. Required with
   * PostgreSQL (every node shares one key; none may invent its own). Never stored in the database.
   */
  readonly auditKeyFile: string | undefined;
  /** The log's name in its checkpoints and the key's name (CALLSHIELD_AUDIT_ORIGIN); default derived from the key. */
  readonly auditOrigin: string | undefined;
  /** How often `serve` signs a new checkpoint when the log grew and sends it to witnesses (CALLSHIELD_AUDIT_CHECKPOINT_SECONDS). */
  readonly auditCheckpointSeconds: number;
  /**
   * Minutes each kind of joint-response task gets before it escalates to the regulator
   * (CALLSHIELD_TASK_DEADLINE_<KIND>_MINUTES, e.g. CALLSHIELD_TASK_DEADLINE_FREEZE_PREPARATION_MINUTES=60).
   */
  readonly taskDeadlineMinutes: Readonly<Record<TaskKindName, number>>;
  /**
   * SQLite's `synchronous` setting (CALLSHIELD_SQLITE_SYNC, `normal` or `full`; default `normal`).
   * `normal` in WAL mode survives a crash of callshield, but a power cut or OS crash can lose the
   * last transactions acknowledged before it (never corrupting the file). `full` syncs the WAL on
   * every commit: nothing acknowledged is lost, at the cost of one fsync per write transaction.
   */
  readonly sqliteSync: 'normal' | 'full';
  /** How long a shutdown may take before open connections are cut (CALLSHIELD_SHUTDOWN_TIMEOUT_MS, default 10000). */
  readonly shutdownTimeoutMs: number;
  /** How long a risky-call mark still holds transfers after its last update (CALLSHIELD_RISKY_CALL_WINDOW_MINUTES, default 30). */
  readonly riskyCallWindowMinutes: number;
  /** How old the newest block-list version may be before GET /v1/blocklist publishes a new one from the index (CALLSHIELD_BLOCKLIST_SECONDS, default 300; 0 = on every request). */
  readonly blocklistSeconds: number;
  /** Time a bank has for the call-back check before a hold returns the money (CALLSHIELD_HOLD_DEADLINE_HOURS, default 24). */
  readonly holdDeadlineHours: number;
  /** A freeze's life after approval unless the request or an extension says otherwise (CALLSHIELD_FREEZE_HOURS, default 48). */
  readonly freezeHours: number;
  /** A risky-call mark at or above this risk alerts the subscriber's guardians (CALLSHIELD_GUARDIAN_ALERT_RISK, 0-1, default 0.8). */
  readonly guardianAlertRisk: number;
  /** Webhook deliveries: tries before one is parked as dead, and the time each try may take (CALLSHIELD_WEBHOOK_MAX_ATTEMPTS, CALLSHIELD_WEBHOOK_TIMEOUT_MS). */
  readonly webhookMaxAttempts: number;
  readonly webhookTimeoutMs: number;
  /** When a caller's pattern in a CDR file becomes evidence (CALLSHIELD_CDR_<NAME>, e.g. CALLSHIELD_CDR_ROBOCALL_PEAK_HOUR=150). */
  readonly cdrThresholds: CdrThresholds;
  /**
   * How long change-log entries are kept (CALLSHIELD_CHANGE_LOG_RETENTION_SECONDS, default 86400).
   * A node away longer than this cannot catch up entry by entry and reloads its indexes in full.
   */
  readonly changeLogRetentionSeconds: number;
  /** How often a node polls the change log besides PostgreSQL NOTIFY (CALLSHIELD_CHANGE_POLL_MS, default 1000; the only way on SQLite). */
  readonly changePollMs: number;
  /** How often every identifier with evidence is re-scored, as evidence decays with time (CALLSHIELD_RESCORE_MINUTES, default 60). */
  readonly rescoreMinutes: number;
  /** How often the streamed call-record consumer commits its counters, flags and record ids (CALLSHIELD_CDR_CHECKPOINT_MS, default 2000). */
  readonly cdrCheckpointMs: number;
  /** How long a node's claim on a call-record stream lasts without renewal before another node takes over (CALLSHIELD_CDR_LEASE_SECONDS, default 15). */
  readonly cdrLeaseSeconds: number;
  /**
   * Where `serve` keeps its hot-index snapshot, read at start-up instead of re-scoring every
   * identifier (CALLSHIELD_INDEX_SNAPSHOT; default `index.snapshot` beside the SQLite file, none on
   * PostgreSQL unless set: each node needs a path of its own on local disk; `off` disables).
   */
  readonly indexSnapshot: string | undefined;
  /**
   * Fault injection for the crash tests only (CALLSHIELD_TEST_EXIT_AFTER_COMMIT=<change kind>, e.g.
   * `reputation`): the process kills itself right after committing a write that logged this kind of
   * change. Never set it in production.
   */
  readonly testExitAfterCommit: string | undefined;
}

/** The kinds of joint-response task (src/operations/response/tasks.ts). */
export type TaskKindName = 'trace-and-suspend' | 'suspend-account' | 'freeze-preparation' | 'review';

/** Default deadlines in minutes: the bank's within the golden hour, the others within a working shift. */
export const DEFAULT_TASK_DEADLINE_MINUTES: Readonly<Record<TaskKindName, number>> = Object.freeze({
  'freeze-preparation': 60,
  'review': 60,
  'suspend-account': 120,
  'trace-and-suspend': 240,
});

function parseTaskDeadlines(env: NodeJS.ProcessEnv, overrides: Partial<Record<TaskKindName, number>> | undefined): Readonly<Record<TaskKindName, number>> {
  const out = { ...DEFAULT_TASK_DEADLINE_MINUTES };
  for (const kind of Object.keys(out) as TaskKindName[]) {
    const name = `CALLSHIELD_TASK_DEADLINE_${kind.toUpperCase().replaceAll('-', '_')}_MINUTES`;
    const raw = overrides?.[kind] ?? env[name];
    if (raw === undefined || raw === '') continue;
    const n = Number(raw);
    if (!Number.isFinite(n) || n <= 0 || n > 60 * 24 * 30) throw new CallshieldError('CONFIG_INVALID', `${name} must be a number of minutes above 0 and at most 43200, got "${raw}"`, { field: name });
    out[kind] = n;
  }
  return Object.freeze(out);
}

/** `CALLSHIELD_CDR_ROBOCALL_PEAK_HOUR` for `robocallPeakHour`. */
export function cdrThresholdEnv(name: keyof CdrThresholds): string {
  return `CALLSHIELD_CDR_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}

/** Shares are fractions 0-1, hours of the day 0-23, the rest counts or seconds (whole numbers, at least 1). */
function parseCdrThresholds(env: NodeJS.ProcessEnv, overrides: Partial<CdrThresholds> | undefined): CdrThresholds {
  const out: Record<string, number> = { ...CDR_THRESHOLDS };
  for (const key of Object.keys(out) as (keyof CdrThresholds)[]) {
    const name = cdrThresholdEnv(key);
    const raw = overrides?.[key] ?? env[name];
    if (raw === undefined || raw === '') continue;
    const share = /Share$|Rate$/.test(key);
    const hour = /Hour$/.test(key) && key.startsWith('night');
    out[key] = share
      ? parseNumber(raw, name, { min: 0, max: 1, what: 'a share between 0 and 1' })
      : hour
        ? parseNumber(raw, name, { min: 0, max: 23, integer: true, what: 'an hour of the day, 0-23' })
        : parseNumber(raw, name, { min: 1, max: 1_000_000, integer: true, what: 'a whole number, 1-1000000' });
  }
  return Object.freeze(out as CdrThresholds);
}

/** A number from the environment (or an override) within bounds, or CONFIG_INVALID naming the variable. */
function parseNumber(raw: string | number | undefined, name: string, o: { min: number; max: number; integer?: boolean; what: string; fallback?: number }): number {
  if (raw === undefined || raw === '') {
    if (o.fallback === undefined) throw new CallshieldError('CONFIG_INVALID', `${name} is required`, { field: name });
    return o.fallback;
  }
  const n = typeof raw === 'number' ? raw : /^\s*$/.test(raw) ? NaN : Number(raw);
  if (!Number.isFinite(n) || n < o.min || n > o.max || (o.integer && !Number.isInteger(n))) {
    throw new CallshieldError('CONFIG_INVALID', `${name} must be ${o.what}, got "${raw}"`, { field: name });
  }
  return n;
}

export type ConfigOverrides = Partial<{ -readonly [K in keyof Config]: Config[K] }>;

/**
 * Requests per second per key: generous, so that only a runaway client or a stolen key hammering the
 * API meets it (a carrier screening every call of a large network sets its own, higher).
 */
export const DEFAULT_RATE_LIMIT = 1000;

const LOG_LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

function parsePort(raw: string | number, name: string): number {
  const n = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new CallshieldError('CONFIG_INVALID', `${name} must be a port number 0-65535, got "${raw}"`, { field: name });
  }
  return n;
}

function parseBool(raw: string | undefined, fallback: boolean): boolean {
  if (raw === undefined || raw === '') return fallback;
  return raw === '1' || raw.toLowerCase() === 'true' || raw.toLowerCase() === 'yes';
}

/** `callshield.secret` beside the SQLite file, so the CLI on the same --db finds the server's secrets. */
function defaultSecretFile(dbPath: string, databaseUrl: string | undefined): string | undefined {
  if (databaseUrl || dbPath === ':memory:' || dbPath === '') return undefined;
  return join(dirname(dbPath), 'callshield.secret');
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: ConfigOverrides = {}): Config {
  const bodyLimit = overrides.bodyLimit ?? Number(env.CALLSHIELD_BODY_LIMIT ?? 1_048_576);
  if (!Number.isInteger(bodyLimit) || bodyLimit < 1024) {
    throw new CallshieldError('CONFIG_INVALID', 'CALLSHIELD_BODY_LIMIT must be an integer of at least 1024 bytes', {
      field: 'CALLSHIELD_BODY_LIMIT',
    });
  }
  const defaultRegion = (overrides.defaultRegion ?? env.CALLSHIELD_DEFAULT_REGION ?? 'CN').toUpperCase();
  if (!/^[A-Z]{2}$/.test(defaultRegion)) {
    throw new CallshieldError('CONFIG_INVALID', 'CALLSHIELD_DEFAULT_REGION must be a two-letter region code', {
      field: 'CALLSHIELD_DEFAULT_REGION',
    });
  }
  const logLevel = overrides.logLevel ?? env.LOG_LEVEL ?? 'info';
  if (!LOG_LEVELS.has(logLevel)) {
    throw new CallshieldError('CONFIG_INVALID', `LOG_LEVEL must be one of ${[...LOG_LEVELS].join(', ')}`, {
      field: 'LOG_LEVEL',
    });
  }
  const rateLimit = overrides.rateLimit ?? Number(env.CALLSHIELD_RATE_LIMIT || DEFAULT_RATE_LIMIT);
  if (!Number.isInteger(rateLimit) || rateLimit < 0) {
    throw new CallshieldError('CONFIG_INVALID', 'CALLSHIELD_RATE_LIMIT must be a whole number of requests per second (0 turns the limit off)', { field: 'CALLSHIELD_RATE_LIMIT' });
  }
  const redisUrl = overrides.redisUrl ?? (env.CALLSHIELD_REDIS_URL || undefined);
  if (redisUrl !== undefined && !/^rediss?:\/\//.test(redisUrl)) {
    throw new CallshieldError('CONFIG_INVALID', 'CALLSHIELD_REDIS_URL must be a redis:// or rediss:// URL', { field: 'CALLSHIELD_REDIS_URL' });
  }
  const sqliteSync = overrides.sqliteSync ?? ((env.CALLSHIELD_SQLITE_SYNC || 'normal').toLowerCase() as Config['sqliteSync']);
  if (sqliteSync !== 'normal' && sqliteSync !== 'full') {
    throw new CallshieldError('CONFIG_INVALID', 'CALLSHIELD_SQLITE_SYNC must be normal or full', { field: 'CALLSHIELD_SQLITE_SYNC' });
  }
  const shutdownTimeoutMs = overrides.shutdownTimeoutMs ?? Number(env.CALLSHIELD_SHUTDOWN_TIMEOUT_MS || 10_000);
  if (!Number.isInteger(shutdownTimeoutMs) || shutdownTimeoutMs < 0) {
    throw new CallshieldError('CONFIG_INVALID', 'CALLSHIELD_SHUTDOWN_TIMEOUT_MS must be a whole number of milliseconds', { field: 'CALLSHIELD_SHUTDOWN_TIMEOUT_MS' });
  }
  const stirCrl = overrides.stirCrl ?? ((env.CALLSHIELD_STIR_CRL || 'soft').toLowerCase() as Config['stirCrl']);
  if (stirCrl !== 'soft' && stirCrl !== 'hard') {
    throw new CallshieldError('CONFIG_INVALID', 'CALLSHIELD_STIR_CRL must be soft or hard', { field: 'CALLSHIELD_STIR_CRL' });
  }
  const stirVerify = overrides.stirVerify ?? ((env.CALLSHIELD_STIR_VERIFY || 'pool').toLowerCase() as Config['stirVerify']);
  if (stirVerify !== 'pool' && stirVerify !== 'inline') {
    throw new CallshieldError('CONFIG_INVALID', 'CALLSHIELD_STIR_VERIFY must be pool or inline', { field: 'CALLSHIELD_STIR_VERIFY' });
  }
  const dbPath = overrides.dbPath ?? env.CALLSHIELD_DB ?? './data/callshield.db';
  const databaseUrl = overrides.databaseUrl ?? (env.DATABASE_URL || undefined);
  const auditCheckpointSeconds = overrides.auditCheckpointSeconds ?? Number(env.CALLSHIELD_AUDIT_CHECKPOINT_SECONDS ?? 300);
  if (!Number.isInteger(auditCheckpointSeconds) || auditCheckpointSeconds < 1 || auditCheckpointSeconds > 86_400) {
    throw new CallshieldError('CONFIG_INVALID', 'CALLSHIELD_AUDIT_CHECKPOINT_SECONDS must be a whole number of seconds, 1-86400', {
      field: 'CALLSHIELD_AUDIT_CHECKPOINT_SECONDS',
    });
  }
  const auditOrigin = overrides.auditOrigin ?? (env.CALLSHIELD_AUDIT_ORIGIN || undefined);
  // An origin is also the signing key's name: no spaces, no '+' (c2sp.org/signed-note).
  if (auditOrigin !== undefined && !/^[^\s+]{1,255}$/u.test(auditOrigin)) {
    throw new CallshieldError('CONFIG_INVALID', 'CALLSHIELD_AUDIT_ORIGIN must be 1-255 characters without spaces or "+" (e.g. audit.callshield.example)', {
      field: 'CALLSHIELD_AUDIT_ORIGIN',
    });
  }
  const config: Config = {
    dbPath,
    databaseUrl,
    port: parsePort(overrides.port ?? env.PORT ?? 8080, 'PORT'),
    host: overrides.host ?? env.HOST ?? '127.0.0.1',
    defaultRegion,
    bodyLimit,
    logLevel,
    publicMetrics: overrides.publicMetrics ?? parseBool(env.CALLSHIELD_PUBLIC_METRICS, true),
    stirCaFile: overrides.stirCaFile ?? (env.CALLSHIELD_STIR_CA_FILE || undefined),
    stirAllowHttpX5u: overrides.stirAllowHttpX5u ?? parseBool(env.CALLSHIELD_STIR_ALLOW_HTTP_X5U, false),
    stirCrl,
    stirVerify,
    rateLimit,
    redisUrl,
    screenFastPath: overrides.screenFastPath ?? parseBool(env.CALLSHIELD_SCREEN_FAST_PATH, true),
    secretFile: 'secretFile' in overrides ? overrides.secretFile : env.CALLSHIELD_SECRET_FILE || defaultSecretFile(dbPath, databaseUrl),
    allowPrivateFetch: overrides.allowPrivateFetch ?? parseBool(env.CALLSHIELD_ALLOW_PRIVATE_FETCH, false),
    auditKeyFile: overrides.auditKeyFile ?? (env.CALLSHIELD_AUDIT_KEY_FILE || undefined),
    auditOrigin,
    auditCheckpointSeconds,
    taskDeadlineMinutes: parseTaskDeadlines(env, overrides.taskDeadlineMinutes),
    sqliteSync,
    shutdownTimeoutMs,
    riskyCallWindowMinutes: parseNumber(overrides.riskyCallWindowMinutes ?? env.CALLSHIELD_RISKY_CALL_WINDOW_MINUTES, 'CALLSHIELD_RISKY_CALL_WINDOW_MINUTES', { min: 0.01, max: 24 * 60, what: 'minutes above 0 and at most 1440', fallback: 30 }),
    blocklistSeconds: parseNumber(overrides.blocklistSeconds ?? env.CALLSHIELD_BLOCKLIST_SECONDS, 'CALLSHIELD_BLOCKLIST_SECONDS', { min: 0, max: 7 * 86_400, integer: true, what: 'whole seconds, 0-604800', fallback: 300 }),
    holdDeadlineHours: parseNumber(overrides.holdDeadlineHours ?? env.CALLSHIELD_HOLD_DEADLINE_HOURS, 'CALLSHIELD_HOLD_DEADLINE_HOURS', { min: 0.01, max: 24 * 30, what: 'hours above 0 and at most 720', fallback: 24 }),
    freezeHours: parseNumber(overrides.freezeHours ?? env.CALLSHIELD_FREEZE_HOURS, 'CALLSHIELD_FREEZE_HOURS', { min: 0.01, max: 24 * 366, what: 'hours above 0 and at most 8784', fallback: 48 }),
    guardianAlertRisk: parseNumber(overrides.guardianAlertRisk ?? env.CALLSHIELD_GUARDIAN_ALERT_RISK, 'CALLSHIELD_GUARDIAN_ALERT_RISK', { min: 0, max: 1, what: 'a risk between 0 and 1', fallback: 0.8 }),
    webhookMaxAttempts: parseNumber(overrides.webhookMaxAttempts ?? env.CALLSHIELD_WEBHOOK_MAX_ATTEMPTS, 'CALLSHIELD_WEBHOOK_MAX_ATTEMPTS', { min: 1, max: 1000, integer: true, what: 'a whole number of tries, 1-1000', fallback: 25 }),
    webhookTimeoutMs: parseNumber(overrides.webhookTimeoutMs ?? env.CALLSHIELD_WEBHOOK_TIMEOUT_MS, 'CALLSHIELD_WEBHOOK_TIMEOUT_MS', { min: 100, max: 120_000, integer: true, what: 'whole milliseconds, 100-120000', fallback: 5000 }),
    cdrThresholds: parseCdrThresholds(env, overrides.cdrThresholds),
    changeLogRetentionSeconds: parseNumber(overrides.changeLogRetentionSeconds ?? env.CALLSHIELD_CHANGE_LOG_RETENTION_SECONDS, 'CALLSHIELD_CHANGE_LOG_RETENTION_SECONDS', { min: 1, max: 90 * 86_400, integer: true, what: 'whole seconds, 1-7776000', fallback: 86_400 }),
    changePollMs: parseNumber(overrides.changePollMs ?? env.CALLSHIELD_CHANGE_POLL_MS, 'CALLSHIELD_CHANGE_POLL_MS', { min: 10, max: 600_000, integer: true, what: 'whole milliseconds, 10-600000', fallback: 1000 }),
    testExitAfterCommit: overrides.testExitAfterCommit ?? (env.CALLSHIELD_TEST_EXIT_AFTER_COMMIT || undefined),
    indexSnapshot: indexSnapshotPath(overrides.indexSnapshot !== undefined ? overrides.indexSnapshot : env.CALLSHIELD_INDEX_SNAPSHOT, databaseUrl, dbPath),
    rescoreMinutes: parseNumber(overrides.rescoreMinutes ?? env.CALLSHIELD_RESCORE_MINUTES, 'CALLSHIELD_RESCORE_MINUTES', { min: 0.01, max: 7 * 24 * 60, what: 'minutes above 0 and at most 10080', fallback: 60 }),
    cdrCheckpointMs: parseNumber(overrides.cdrCheckpointMs ?? env.CALLSHIELD_CDR_CHECKPOINT_MS, 'CALLSHIELD_CDR_CHECKPOINT_MS', { min: 50, max: 600_000, integer: true, what: 'whole milliseconds, 50-600000', fallback: 2000 }),
    cdrLeaseSeconds: parseNumber(overrides.cdrLeaseSeconds ?? env.CALLSHIELD_CDR_LEASE_SECONDS, 'CALLSHIELD_CDR_LEASE_SECONDS', { min: 1, max: 3600, integer: true, what: 'whole seconds, 1-3600', fallback: 15 }),
  };
  return Object.freeze(config);
}

function indexSnapshotPath(setting: string | undefined | null, databaseUrl: string | undefined, dbPath: string): string | undefined {
  if (setting === null || setting === 'off') return undefined;
  if (setting !== undefined && setting !== '') return setting;
  if (databaseUrl !== undefined || dbPath === ':memory:') return undefined;
  return join(dirname(dbPath), 'index.snapshot');
}

/** Where each setting comes from, for `callshield config`. */
export const CONFIG_ENV: Readonly<Record<keyof Config, string>> = {
  dbPath: 'CALLSHIELD_DB',
  databaseUrl: 'DATABASE_URL',
  port: 'PORT',
  host: 'HOST',
  defaultRegion: 'CALLSHIELD_DEFAULT_REGION',
  bodyLimit: 'CALLSHIELD_BODY_LIMIT',
  logLevel: 'LOG_LEVEL',
  publicMetrics: 'CALLSHIELD_PUBLIC_METRICS',
  stirCaFile: 'CALLSHIELD_STIR_CA_FILE',
  stirAllowHttpX5u: 'CALLSHIELD_STIR_ALLOW_HTTP_X5U',
  stirCrl: 'CALLSHIELD_STIR_CRL',
  stirVerify: 'CALLSHIELD_STIR_VERIFY',
  rateLimit: 'CALLSHIELD_RATE_LIMIT',
  redisUrl: 'CALLSHIELD_REDIS_URL',
  screenFastPath: 'CALLSHIELD_SCREEN_FAST_PATH',
  secretFile: 'CALLSHIELD_SECRET_FILE',
  allowPrivateFetch: 'CALLSHIELD_ALLOW_PRIVATE_FETCH',
  sqliteSync: 'CALLSHIELD_SQLITE_SYNC',
  shutdownTimeoutMs: 'CALLSHIELD_SHUTDOWN_TIMEOUT_MS',
  auditKeyFile: 'CALLSHIELD_AUDIT_KEY_FILE',
  auditOrigin: 'CALLSHIELD_AUDIT_ORIGIN',
  auditCheckpointSeconds: 'CALLSHIELD_AUDIT_CHECKPOINT_SECONDS',
  taskDeadlineMinutes: 'CALLSHIELD_TASK_DEADLINE_<KIND>_MINUTES',
  riskyCallWindowMinutes: 'CALLSHIELD_RISKY_CALL_WINDOW_MINUTES',
  blocklistSeconds: 'CALLSHIELD_BLOCKLIST_SECONDS',
  holdDeadlineHours: 'CALLSHIELD_HOLD_DEADLINE_HOURS',
  freezeHours: 'CALLSHIELD_FREEZE_HOURS',
  guardianAlertRisk: 'CALLSHIELD_GUARDIAN_ALERT_RISK',
  webhookMaxAttempts: 'CALLSHIELD_WEBHOOK_MAX_ATTEMPTS',
  webhookTimeoutMs: 'CALLSHIELD_WEBHOOK_TIMEOUT_MS',
  cdrThresholds: 'CALLSHIELD_CDR_<NAME>',
  changeLogRetentionSeconds: 'CALLSHIELD_CHANGE_LOG_RETENTION_SECONDS',
  changePollMs: 'CALLSHIELD_CHANGE_POLL_MS',
  rescoreMinutes: 'CALLSHIELD_RESCORE_MINUTES',
  indexSnapshot: 'CALLSHIELD_INDEX_SNAPSHOT',
  cdrCheckpointMs: 'CALLSHIELD_CDR_CHECKPOINT_MS',
  cdrLeaseSeconds: 'CALLSHIELD_CDR_LEASE_SECONDS',
  testExitAfterCommit: 'CALLSHIELD_TEST_EXIT_AFTER_COMMIT',
};

/** A URL with its password (and a token-like user) replaced by "***". */
function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '***';
  }
}

/**
 * The effective configuration with secrets masked: passwords in DATABASE_URL and
 * CALLSHIELD_REDIS_URL. (The secrets themselves live in the secret file, whose path is shown.)
 */
export function describeConfig(config: Config): { name: keyof Config; env: string; value: string | number | boolean | null }[] {
  return (Object.keys(CONFIG_ENV) as (keyof Config)[]).map((name) => {
    const raw = config[name];
    // Per-kind settings (task deadlines) print as "kind=value" pairs.
    const plain = typeof raw === 'object' && raw !== null ? Object.entries(raw).map(([k, v]) => `${k}=${String(v)}`).join(' ') : raw;
    const value = plain === undefined ? null : (name === 'databaseUrl' || name === 'redisUrl') && typeof plain === 'string' ? maskUrl(plain) : plain;
    return { name, env: CONFIG_ENV[name], value };
  });
}
