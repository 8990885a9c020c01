// Starts a real callshield server on loopback over a fresh SQLite file, with one API key per role.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import type { ConfigOverrides } from '../../src/config.js';
import { openApp } from '../../src/app-context.js';
import type { AppContext } from '../../src/app-context.js';
import { buildServer } from '../../src/api/server.js';
import type { Server } from '../../src/api/server.js';
import { extraRoutes } from '../../src/api/extra-routes.js';
import { createApiKey } from '../../src/operations/keys.js';
import { CLI_OPERATOR } from '../../src/operations/actor.js';
import { ROLES } from '../../src/auth/index.js';
import { createTestDatabase } from './postgres.js';
import { generateKeyPem } from '../../src/audit/index.js';
import { assertContract } from './openapi-contract.js';
import type { Role } from '../../src/auth/index.js';

export interface TestServer {
  url: string;
  dir: string;
  dbPath: string;
  ctx: AppContext;
  server: Server;
  keys: Record<Role, string>;
  /** fetch with the key of a role (or a raw Authorization value, or none). */
  call(method: string, path: string, opts?: { role?: Role; auth?: string; body?: unknown; raw?: string; contentType?: string; headers?: Record<string, string> }): Promise<{ status: number; headers: Headers; body: any; text: string }>;
  close(): Promise<void>;
}

export async function startTestServer(overrides: ConfigOverrides = {}, clock?: () => number): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'callshield-test-'));
  const dbPath = join(dir, 'callshield.db');
  // CALLSHIELD_TEST_ENGINE=postgres runs the same suite on a fresh PostgreSQL database per server.
  const pgDb = process.env.CALLSHIELD_TEST_ENGINE === 'postgres' && !overrides.databaseUrl ? await createTestDatabase() : undefined;
  // PostgreSQL needs the audit key given (it never invents one); SQLite makes it beside the file.
  let auditKeyFile: string | undefined;
  if ((pgDb || overrides.databaseUrl) && !overrides.auditKeyFile) writeFileSync((auditKeyFile = join(dir, 'audit-key.pem')), generateKeyPem(), { mode: 0o600 });
  const config = loadConfig({}, {
    dbPath,
    port: 0,
    logLevel: 'silent',
    // The secret file sits beside the SQLite file by default; PostgreSQL needs one named.
    ...(pgDb || overrides.databaseUrl ? { secretFile: join(dir, 'callshield.secret') } : {}),
    ...(pgDb ? { databaseUrl: pgDb.url } : {}),
    ...(auditKeyFile ? { auditKeyFile } : {}),
    // The suites' webhook receivers and x5u servers are on loopback, which the outbound fetch guard
    // refuses by default; the abuse tests set this back to false to try the attacks.
    allowPrivateFetch: true,
    ...overrides,
  });
  const ctx = await openApp(config, { logger: pino({ level: 'silent' }), ...(clock ? { clock } : {}) });
  const keys = {} as Record<Role, string>;
  for (const role of ROLES) keys[role] = (await createApiKey(ctx, { org: `Test ${role}`, role, person: `${role}-officer-1` }, CLI_OPERATOR)).key;
  const server = await buildServer(ctx, extraRoutes);
  const address = await server.app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url: address,
    dir,
    dbPath,
    ctx,
    server,
    keys,
    async call(method, path, opts = {}) {
      const headers: Record<string, string> = { ...(opts.headers ?? {}) };
      if (opts.role) headers.authorization = `Bearer ${keys[opts.role]}`;
      if (opts.auth !== undefined) headers.authorization = opts.auth;
      let body: string | undefined;
      if (opts.raw !== undefined) {
        body = opts.raw;
        headers['content-type'] = opts.contentType ?? 'application/json';
      } else if (opts.body !== undefined) {
        body = JSON.stringify(opts.body);
        headers['content-type'] = 'application/json';
      }
      const res = await fetch(address + path, { method, headers, ...(body !== undefined ? { body } : {}) });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        /* not JSON: keep the text */
      }
      const out = { status: res.status, headers: res.headers, body: parsed, text };
      // Every response is checked against /openapi.json: drift fails the test that made the call.
      await assertContract(address, method, path, out);
      return out;
    },
    async close() {
      await server.app.close();
      await ctx.close();
      await pgDb?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
