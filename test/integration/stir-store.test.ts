// The STIR/SHAKEN state that outlives a request: carriers' keys sealed at rest, and the attestation
// history written behind the answers and loaded again when a server starts.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { openApp } from '../../src/app-context.js';
import type { AppContext } from '../../src/app-context.js';
import { openSigningKey, sealSigningKey } from '../../src/operations/stir/key-vault.js';
import { flushStir, loadStirRuntime, recordOutcome } from '../../src/operations/stir/runtime.js';
import { screen } from '../../src/operations/screening/screen.js';
import { createPostgresOrSqlite } from '../helpers/stir-store-engine.js';

const dir = mkdtempSync(join(tmpdir(), 'callshield-stir-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function open(store: { path: string; url: string | undefined; secretFile: string }): Promise<AppContext> {
  const { path: dbPath, url: databaseUrl, secretFile } = store;
  return openApp(loadConfig({}, { dbPath, secretFile, logLevel: 'silent', ...(databaseUrl ? { databaseUrl } : {}) }), { logger: pino({ level: 'silent' }) });
}

describe('STIR/SHAKEN store', () => {
  it('seals a signing key with AES-256-GCM bound to its row', async () => {
    const db = await createPostgresOrSqlite(dir, 'vault');
    const ctx = await open(db);
    try {
      const pem = '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgsecret\n-----END PRIVATE KEY-----\n';
      const a = await sealSigningKey(ctx, pem, 'org-1', '1234');
      const b = await sealSigningKey(ctx, pem, 'org-1', '1234');
      assert.notEqual(a, b, 'a fresh IV every time');
      assert.ok(!a.includes('secret') && !a.includes('PRIVATE'));
      assert.equal(await openSigningKey(ctx, a, 'org-1', '1234'), pem);
      // Copied onto another carrier's row, or altered: it does not open.
      await assert.rejects(openSigningKey(ctx, a, 'org-2', '1234'), { code: 'STIR_INVALID_SIGNER_KEY' });
      await assert.rejects(openSigningKey(ctx, a, 'org-1', '9999'), { code: 'STIR_INVALID_SIGNER_KEY' });
      const parts = a.split('.');
      const flipped = Buffer.from(parts[3]!, 'base64url');
      flipped[0] = flipped[0]! ^ 1;
      await assert.rejects(openSigningKey(ctx, [...parts.slice(0, 3), flipped.toString('base64url')].join('.'), 'org-1', '1234'), { code: 'STIR_INVALID_SIGNER_KEY' });
      await assert.rejects(openSigningKey(ctx, 'plain text', 'org-1', '1234'), { code: 'STIR_INVALID_SIGNER_KEY' });
      // The secret is made once and kept (in the secret file): a second context on the same store opens the first one's seal.
      const again = await open(db);
      try {
        assert.equal(await openSigningKey(again, a, 'org-1', '1234'), pem);
      } finally {
        await again.close();
      }
    } finally {
      await ctx.close();
      await db.drop();
    }
  });

  it('writes the attestation history behind the answers and loads it when a server starts', async () => {
    const db = await createPostgresOrSqlite(dir, 'history');
    const caller = '+12127363100';
    const input = { caller, callee: '+16502530000', channel: 'pstn' };
    const first = await open(db);
    try {
      const rt = await loadStirRuntime(first);
      for (let i = 0; i < 4; i++) recordOutcome(first, rt, caller, { verstat: 'TN-Validation-Passed', attest: 'A' }, Date.now());
      assert.ok(screen(first, input, 'test-carrier').reasons.some((r) => r.code === 'STIR_SPOOFING_SUSPECTED'));
      await flushStir(first);
    } finally {
      await first.close();
    }
    const second = await open(db);
    try {
      // Before the STIR runtime is loaded, screening knows no history.
      assert.ok(!screen(second, input, 'test-carrier').reasons.some((r) => r.code.startsWith('STIR_')));
      const rt = await loadStirRuntime(second);
      assert.equal(rt.history.get(caller)?.A, 4);
      const d = screen(second, input, 'test-carrier');
      assert.ok(d.reasons.some((r) => r.code === 'STIR_SPOOFING_SUSPECTED'), JSON.stringify(d.reasons));
      assert.ok(!screen(second, { ...input, attestation: 'A' }, 'test-carrier').reasons.some((r) => r.code === 'STIR_SPOOFING_SUSPECTED'));
    } finally {
      await second.close();
      await db.drop();
    }
  });
});
